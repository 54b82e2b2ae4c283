#pragma once
// What an OS tree is, as imgutil tells it: its os-release (the host's for build, the image's
// for pack), the confluent OS category that picks package lists and diskless templates, and
// the spellings of its architecture.
#include <filesystem>
#include <string>
#include <string_view>

namespace confluent::imgutil {

struct OsRelease {
  std::string id;           // ID: "debian", "ubuntu", "rocky"
  std::string id_like;      // ID_LIKE: "rhel centos fedora"
  std::string version_id;   // VERSION_ID: "12", "22.04", "9.4"
  std::string codename;     // VERSION_CODENAME (or UBUNTU_CODENAME): "bookworm"
  std::string pretty_name;  // PRETTY_NAME: "Debian GNU/Linux 12 (bookworm)"
};

// KEY=value lines, values unquoted as a shell would ("..." with backslash escapes, '...').
OsRelease parse_os_release(std::string_view text);

// <root>/etc/os-release, else <root>/usr/lib/os-release, links followed inside `root`. An
// empty OsRelease when neither exists.
OsRelease read_os_release(const std::filesystem::path& root);

// confluent's category: "debian" (12 and older), "debian13" (13 on), "ubuntu22.04", "el9",
// "suse15", or "" when the OS is not one imgutil builds.
std::string os_category(const OsRelease& os);

// The family that decides how an image is built: "deb", "el", "suse" or "".
std::string os_family(const OsRelease& os);

// "x86_64" for amd64, "aarch64" for arm64, "ppc64le" for ppc64el; others unchanged.
std::string normalize_arch(std::string_view arch);
// The Debian spelling of a normalized architecture: "amd64", "arm64", "ppc64el".
std::string debian_arch(std::string_view arch);
// This host's normalized architecture (uname's machine).
std::string host_arch();

}  // namespace confluent::imgutil
