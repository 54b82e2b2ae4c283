#pragma once
// Whole-file reads and atomic writes for everything osdeploy produces: the web service and a
// concurrent osdeploy may read any of it at any time.
#include <string>
#include <string_view>

#include "osdeploy/layout.h"

namespace confluent::osdeploy {

// The whole file; throws Runtime "<file>: cannot read (<why>)".
std::string read_file(const fs::path& file);

// Writes `content` to `file` through a temporary sibling renamed into place, so readers (the
// web server, a second updateboot) never see half a file and a symlink is replaced, never
// written through. The mode is set explicitly, whatever the umask.
void write_file_atomic(const fs::path& file, std::string_view content, fs::perms mode);

}  // namespace confluent::osdeploy
