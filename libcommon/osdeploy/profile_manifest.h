#pragma once
// Internal to the profile code (profiles.cpp, updateboot.cpp, rebase.cpp): template files,
// placeholder substitution and manifest.yaml, shared so that rebase renders a file exactly
// as the import did.
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "osdeploy/files.h"
#include "osdeploy/layout.h"

namespace confluent::osdeploy::detail {

// The values of %%DISTRO%% %%VERSION%% %%ARCH%% %%PROFILE%%.
struct Substitutions {
  std::string distro, version, arch, profile;
};
std::string substitute(std::string text, const Substitutions& subs);

// The files of a template profile (templates/<category>/profiles/<name>): those of
// templates/common/profile/ (the scripts every profile shares), overridden by the profile's
// own. Relative path -> source file, sorted by path; the files an import copies and a rebase
// may update.
std::map<std::string, fs::path> template_files(const fs::path& dir);

std::string sha512_hex(std::string_view data);

// The text a template file becomes in a profile: placeholders substituted in text files
// (binary files, those with a NUL byte, are copied unchanged).
std::string render(const std::string& content, const Substitutions& subs);

// rw-r--r--, plus x for all when the template file is executable: profiles are served by
// the web server, and scripts must stay runnable.
fs::perms template_mode(const fs::path& src);

// Template file `src` rendered to `dst` (parents created), world-readable for the web server
// and executable when the template is. Returns the SHA-512 of what was written.
std::string install_template_file(const fs::path& src, const fs::path& dst, const Substitutions& subs);

// manifest.yaml. `distdir` is the template profile directory the profile was made from, as in
// confluent. `disthashes` holds the SHA-512 of each template file as shipped, `profilehashes`
// that of the file as written into the profile (after substitution): rebase compares the
// profile's current file with profilehashes (falling back to disthashes for manifests written
// by confluent, which copied files verbatim) to tell an untouched copy from a customised one.
struct Manifest {
  fs::path distdir;
  std::string category, template_name;
  std::string distro, version, arch;  // empty in confluent's manifests: no substitution
  std::map<std::string, std::string> disthashes;
  std::map<std::string, std::string> profilehashes;
};
void write_manifest(const fs::path& profile_dir, const Manifest& manifest);
// Throws Invalid "Specified profile <name> does not have a manifest.yaml for rebase" when
// missing, Invalid "<path>: <yaml error>" when unreadable.
Manifest read_manifest(const fs::path& profile_dir);

// public/os/<name>, or NotFound "<name>: no such profile" (also for names that are not a
// single path component).
fs::path existing_profile_dir(const std::string& name);

// Replaces whatever is at `link` with a symlink to `target`.
void replace_symlink(const fs::path& target, const fs::path& link);

}  // namespace confluent::osdeploy::detail
