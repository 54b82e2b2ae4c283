#pragma once
// imgutil build (spec §6.2): a new image root from packages. Debian and Ubuntu are bootstrapped
// with debootstrap (--variant=minbase) from the host's apt mirror, then the package list is
// installed with apt-get in the constrained chroot; EL uses dnf/yum --installroot and SUSE
// zypper -R, when this host has them. Every in-image step runs through run_in_image, so
// nothing it mounts outlives it.
#include <filesystem>
#include <string>
#include <vector>

#include "imgutil/isolate.h"
#include "imgutil/os_release.h"

namespace confluent::imgutil {

struct BuildOptions {
  std::filesystem::path scratch;         // must not exist, or be empty
  std::vector<std::string> repos;        // -r, each possibly a comma list
  std::string package_list;              // -p: replaces the default list
  std::vector<std::string> added_lists;  // -a
  std::string source;                    // -s: a distribution name or directory
  std::string arch;                      // --arch, "" for the host's (or the source's)
  bool non_interactive = false;          // -y
  std::vector<Volume> volumes;           // -v
};

// What is built: from the host's os-release, or from a -s source's distinfo.yaml.
struct BuildTarget {
  std::string family;            // "deb", "el", "suse"
  std::string category;          // "debian", "ubuntu24.04", "el9", "suse15"
  OsRelease os;                  // id, version_id, codename
  std::string arch;              // normalized
  std::filesystem::path source;  // -s directory, empty for the host's repositories
};

// The target of `options`: throws Runtime "Unable to recognize source directory X" or
// "Unable to recognize build system os", Invalid "Requested architecture ... conflicts with
// source directory architecture ...".
BuildTarget build_target(const BuildOptions& options, const OsRelease& host);

// The package list file -p names: an existing path, else a name in the category's directory.
// Without -p, <category dir>/pkglist.
std::filesystem::path package_list_path(const std::string& arg, const std::filesystem::path& category_dir);

// The shipped package lists: $CONFLUENT_IMGUTIL_DATA, else <exe>/../share/confluent-cpp/imgutil;
// <category>/pkglist in it.
std::filesystem::path imgutil_data_dir();

// Builds the image. A failing step throws StatusError with its exit status and the message
// "<command> failed with exit code N".
void build_image(const BuildOptions& options);

}  // namespace confluent::imgutil
