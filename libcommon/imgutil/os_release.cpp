#include "imgutil/os_release.h"

#include <sys/utsname.h>

#include <cctype>

#include "base/files.h"
#include "base/strings.h"
#include "imgutil/isolate.h"

namespace confluent::imgutil {

namespace fs = std::filesystem;

namespace {

bool is_one_of(std::string_view word, std::initializer_list<std::string_view> list) {
  for (auto w : list) {
    if (word == w) return true;
  }
  return false;
}

bool digits(std::string_view s) {
  for (char c : s) {
    if (std::isdigit(static_cast<unsigned char>(c)) == 0) return false;
  }
  return !s.empty();
}

bool like(const OsRelease& os, std::string_view family) {
  for (const auto& w : split(os.id_like, ' ')) {
    if (w == family) return true;
  }
  return false;
}

}  // namespace

OsRelease parse_os_release(std::string_view text) {
  OsRelease os;
  std::string ubuntu_codename;
  for (const auto& [key, value] : parse_assignments(text)) {
    if (key == "ID") os.id = to_lower(value);
    if (key == "ID_LIKE") os.id_like = to_lower(value);
    if (key == "VERSION_ID") os.version_id = value;
    if (key == "VERSION_CODENAME") os.codename = value;
    if (key == "UBUNTU_CODENAME") ubuntu_codename = value;
    if (key == "PRETTY_NAME") os.pretty_name = value;
  }
  if (os.codename.empty()) os.codename = ubuntu_codename;
  return os;
}

OsRelease read_os_release(const fs::path& root) {
  for (const char* name : {"/etc/os-release", "/usr/lib/os-release"}) {
    fs::path file = resolve_in_root(root, name);
    std::error_code ec;
    if (fs::is_regular_file(file, ec)) return parse_os_release(read_file(file));
  }
  return {};
}

std::string os_family(const OsRelease& os) {
  if (is_one_of(os.id, {"debian", "ubuntu"})) return "deb";
  if (is_one_of(os.id, {"sles", "sle_hpc", "opensuse-leap"})) return "suse";
  if (is_one_of(os.id, {"rhel", "rocky", "almalinux", "centos", "ol", "fedora", "openeuler"}) || like(os, "rhel"))
    return "el";
  return "";
}

std::string os_category(const OsRelease& os) {
  std::string family = os_family(os);
  std::string major = os.version_id.substr(0, os.version_id.find('.'));
  if (family == "deb" && os.id == "ubuntu") return "ubuntu" + os.version_id;
  if (family == "deb") return major.size() == 2 && digits(major) && major >= "13" ? "debian13" : "debian";
  if (family == "suse") return major.empty() ? "" : "suse" + major;
  // Fedora follows the EL release it feeds: 41 on is el10, as osdeploy import counts it.
  if (family == "el" && os.id == "fedora") return "el10";
  if (family == "el") return major.empty() ? "" : "el" + major;
  return "";
}

std::string normalize_arch(std::string_view arch) {
  if (arch == "amd64") return "x86_64";
  if (arch == "arm64") return "aarch64";
  if (arch == "ppc64el") return "ppc64le";
  return std::string(arch);
}

std::string debian_arch(std::string_view arch) {
  std::string a = normalize_arch(arch);
  if (a == "x86_64") return "amd64";
  if (a == "aarch64") return "arm64";
  if (a == "ppc64le") return "ppc64el";
  return a;
}

std::string host_arch() {
  utsname u{};
  uname(&u);
  return normalize_arch(u.machine);
}

}  // namespace confluent::imgutil
