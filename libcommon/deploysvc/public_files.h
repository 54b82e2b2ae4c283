#pragma once
// /confluent-public/...: the files of var/lib/confluent/public, with single Range requests.
// A path that leaves the tree (a ".." segment) is refused; symbolic links inside the tree
// are followed, as the profiles' distribution links need.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string_view>

#include "deploysvc/http.h"

namespace confluent::deploysvc {

// `relative` is the URL path after the prefix. Errors come back as 4xx responses.
Response serve_file(const std::filesystem::path& root, std::string_view relative, const Request& request);

struct ByteRange {
  uint64_t first = 0;
  uint64_t length = 0;
};
// A "Range: bytes=..." value against a file of `size` bytes: nullopt when the header is to
// be ignored (absent, malformed, several ranges: the whole file is sent), a range with
// length 0 when it cannot be satisfied (416).
std::optional<ByteRange> parse_range(std::string_view header, uint64_t size);

// Whether a relative URL path stays inside its root: no "..", no NUL, no backslash.
bool safe_relative_path(std::string_view relative);

}  // namespace confluent::deploysvc
