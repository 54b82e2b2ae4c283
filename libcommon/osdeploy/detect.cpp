// Media fingerprinting as confluent's osimage.py does it: the file list plus a few marker
// files, then checkers in confluent's order, the first match wins. Unlike confluent, Debian
// netinst/DVD media are accepted (confluent only takes the netboot mini.iso).
#include <algorithm>
#include <cctype>
#include <optional>

#include "base/error.h"
#include "base/strings.h"
#include "osdeploy/iso.h"
#include "osdeploy/media.h"

namespace confluent::osdeploy {

namespace {

const std::set<std::string> kMarkerFiles = {
    ".disk/info", "media.1/products", "media.2/products", "install/media.1/products", ".discinfo",
    ".DISCINFO",  ".treeinfo",        "zipl.prm",         "isolinux/isolinux.cfg",    "BOOT.CFG",
};

using Found = std::optional<MediaInfo>;

MediaInfo make(std::string distro, std::string version, std::string arch, std::string category,
               std::string method = "full") {
  MediaInfo m;
  m.name = distro + "-" + version + "-" + arch;
  m.distro = std::move(distro);
  m.version = std::move(version);
  m.arch = std::move(arch);
  m.category = std::move(category);
  m.method = std::move(method);
  return m;
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
}

// Small version numbers only: anything longer is not a release we know (and would overflow).
int to_int(const std::string& s) { return all_digits(s) && s.size() <= 4 ? std::stoi(s) : -1; }

std::vector<std::string> words(std::string_view text) {
  std::vector<std::string> out;
  for (const auto& w : split(text, ' ')) {
    auto t = trim(w);
    if (!t.empty()) out.emplace_back(t);
  }
  return out;
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  for (const auto& l : split(text, '\n')) out.emplace_back(trim(l));
  return out;
}

std::string basename_of(const std::string& path) {
  auto slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string major_of(const std::string& version) { return version.substr(0, version.find('.')); }

// What a checker sees: the listing and the marker files read from it.
struct Media {
  const iso::Listing& listing;

  const std::string* file(const std::string& name) const {
    auto it = listing.files.find(name);
    return it == listing.files.end() ? nullptr : &it->second;
  }
  bool has_prefix(const std::string& prefix, bool ignore_case = false) const {
    std::string p = ignore_case ? to_lower(prefix) : prefix;
    for (const auto& path : listing.paths) {
      if ((ignore_case ? to_lower(path) : path).rfind(p, 0) == 0) return true;
    }
    return false;
  }
  // Line `n` (0-based) of .discinfo: timestamp, product, arch.
  std::string discinfo_line(std::size_t n) const {
    const std::string* d = file(".discinfo");
    if (d == nullptr) return "";
    auto ls = lines(*d);
    return n < ls.size() ? ls[n] : "";
  }
  // The arch of noarch release RPMs: .discinfo's third line, else .treeinfo's "arch =".
  std::string tree_arch() const {
    std::string arch = discinfo_line(2);
    if (!arch.empty()) return arch;
    if (const std::string* t = file(".treeinfo")) {
      for (const auto& l : lines(*t)) {
        auto eq = l.find('=');
        if (eq != std::string::npos && trim(std::string_view(l).substr(0, eq)) == "arch") {
          return std::string(trim(std::string_view(l).substr(eq + 1)));
        }
      }
    }
    return "";
  }
};

// ---- EL family: release RPM file names ------------------------------------------------

struct ReleaseRpm {
  const char* prefix;  // "rocky-release-": the version follows
  const char* distro;
  std::vector<int> majors;
};

// "9.4-0.5.el9.x86_64.rpm" -> ("9.4", "x86_64"); EL7's "7-9.2009.0.el7.centos.x86_64.rpm"
// -> ("7.9", "x86_64").
std::optional<std::pair<std::string, std::string>> parse_release(const std::string& rest) {
  if (rest.size() < 5 || rest.compare(rest.size() - 4, 4, ".rpm") != 0 || !std::isdigit((unsigned char)rest[0])) {
    return std::nullopt;
  }
  std::string stem = rest.substr(0, rest.size() - 4);
  auto dot = stem.rfind('.');
  if (dot == std::string::npos) return std::nullopt;
  std::string arch = stem.substr(dot + 1);
  auto dash = stem.find('-');
  if (dash == std::string::npos) return std::nullopt;
  std::string version = stem.substr(0, dash);
  if (version.find('.') == std::string::npos) {
    std::string minor = stem.substr(dash + 1, stem.find('.', dash) - dash - 1);
    if (all_digits(minor)) version += "." + minor;
  }
  if (to_int(major_of(version)) < 0) return std::nullopt;
  return std::make_pair(version, arch);
}

Found check_release_rpms(const Media& m, const std::vector<ReleaseRpm>& table) {
  for (const auto& entry : m.listing.entries) {
    if (entry.type != iso::EntryType::File && entry.type != iso::EntryType::Hardlink) continue;
    std::string base = basename_of(entry.path);
    for (const auto& rpm : table) {
      if (base.rfind(rpm.prefix, 0) != 0) continue;
      auto parsed = parse_release(base.substr(std::string(rpm.prefix).size()));
      if (!parsed) continue;
      auto [version, arch] = *parsed;
      int major = to_int(major_of(version));
      if (std::find(rpm.majors.begin(), rpm.majors.end(), major) == rpm.majors.end()) continue;
      if (arch == "noarch") arch = m.tree_arch();
      if (arch.empty()) return std::nullopt;
      return make(rpm.distro, version, arch, "el" + std::to_string(major));
    }
  }
  return std::nullopt;
}

Found check_rocky(const Media& m) { return check_release_rpms(m, {{"rocky-release-", "rocky", {8, 9, 10}}}); }

Found check_alma(const Media& m) {
  return check_release_rpms(
      m, {{"almalinux-release-", "alma", {8, 9, 10}}, {"almalinux-kitten-release-", "alma_kitten", {10}}});
}

Found check_centos(const Media& m) {
  return check_release_rpms(m, {{"centos-release-", "centos", {7, 8}},
                                {"centos-stream-release-", "centos_stream", {8, 9, 10}},
                                {"centos-linux-release-", "centos", {8}}});
}

// Oracle Linux first, as confluent does: its media also carry redhat-release-like names.
Found check_rhel(const Media& m) {
  if (auto found = check_release_rpms(m, {{"oraclelinux-release-", "oraclelinux", {7, 8, 9, 10}}})) return found;
  if (auto found = check_release_rpms(
          m, {{"redhat-release-", "rhel", {7, 8, 9, 10}}, {"redhat-release-server-", "rhel", {7}}})) {
    return found;
  }
  // RHV-H: no release RPM, .discinfo says "RHVH 4.5".
  auto product = words(m.discinfo_line(1));
  std::string arch = m.discinfo_line(2);
  if (product.size() >= 2 && product[0] == "RHVH" && !arch.empty()) {
    return make("rhvh", product[1], arch, "rhvh" + major_of(product[1]));
  }
  return std::nullopt;
}

// Fedora goes by .discinfo's product line ("Fedora 41"), as in confluent, and only the
// releases confluent maps to an EL profile family are supported.
Found check_fedora(const Media& m) {
  auto product = words(m.discinfo_line(1));
  std::string arch = m.discinfo_line(2);
  if (product.size() < 2 || product.front() != "Fedora" || arch.empty()) return std::nullopt;
  const std::string& version = product.back();
  if (version != "41" && version != "42") return std::nullopt;
  return make("fedora", version, arch, "el10");
}

// ---- ESXi, Debian, Ubuntu, SUSE, CoreOS --------------------------------------------------

// The ESXi version: .DISCINFO's "ESXi" and "Version: 8.0U2" lines, as confluent reads it;
// failing that (confluent gives up), BOOT.CFG's installer title and "build=8.0.2-0.0.22380479",
// where the third number is the update.
std::string esxi_version(const Media& m) {
  if (const std::string* d = m.file(".DISCINFO")) {
    bool esxi = false;
    std::string version;
    for (const auto& l : lines(*d)) {
      if (l == "ESXi") esxi = true;
      if (l.rfind("Version:", 0) == 0) version = std::string(trim(std::string_view(l).substr(8)));
    }
    return esxi ? version : "";
  }
  const std::string* cfg = m.file("BOOT.CFG");
  if (cfg == nullptr || cfg->find("title=Loading ESXi installer") == std::string::npos) return "";
  for (const auto& l : lines(*cfg)) {
    if (l.rfind("build=", 0) != 0) continue;
    auto parts = split(l.substr(6, l.find('-') - 6), '.');
    if (parts.size() < 3 || to_int(parts[2]) < 0) return "";
    return parts[0] + "." + parts[1] + (parts[2] == "0" ? "" : "U" + parts[2]);
  }
  return "";
}

Found check_esxi(const Media& m) {
  std::string version = esxi_version(m);
  if (version.empty() || to_int(major_of(version)) < 0) return std::nullopt;
  MediaInfo info = make("esxi", version, m.has_prefix("EFI/BOOT/BOOTAA64.EFI", true) ? "aarch64" : "x86_64",
                        "esxi" + major_of(version));
  info.name = "esxi-" + version;  // confluent names ESXi without an arch
  return info;
}

std::string debian_arch(const std::string& word) {
  if (word == "amd64") return "x86_64";
  if (word == "arm64") return "aarch64";
  return "";
}

// "Debian GNU/Linux 12.5.0 "Bookworm" - Official amd64 NETINST with firmware 20240210-11:27"
// (netinst, DVD) or the mini.iso's "... 12 ... mini.iso ... 20230607+deb12u10" whose point
// release hides in the build tag.
Found check_debian(const Media& m) {
  const std::string* info = m.file(".disk/info");
  if (info == nullptr) return std::nullopt;
  auto w = words(lines(*info).front());
  if (w.size() < 3 || w[0] != "Debian") return std::nullopt;
  std::string arch;
  for (const auto& word : w) {
    if (arch.empty()) arch = debian_arch(word);
  }
  auto parts = split(w[2], '.');
  if (arch.empty() || to_int(parts[0]) < 0) return std::nullopt;
  std::string version = parts[0] + "." + (parts.size() > 1 && all_digits(parts[1]) ? parts[1] : "0");
  if (parts.size() == 1) {
    auto plus = w.back().find("+deb");
    auto u = w.back().find('u', plus == std::string::npos ? 0 : plus);
    if (plus != std::string::npos && u != std::string::npos && all_digits(w.back().substr(u + 1))) {
      version = parts[0] + "." + w.back().substr(u + 1);
    }
  }
  return make("debian", version, arch, to_int(parts[0]) >= 13 ? "debian13" : "debian");
}

// "Ubuntu-Server 22.04.4 LTS "Jammy Jellyfish" - Release amd64 (20240220)". Subiquity media
// are booted from the whole ISO, so only the boot files are extracted and the ISO is copied.
Found check_ubuntu(const Media& m) {
  const std::string* info = m.file(".disk/info");
  if (info == nullptr) return std::nullopt;
  auto w = words(lines(*info).front());
  if (w.size() < 3 || w[0] != "Ubuntu-Server") return std::nullopt;
  std::string arch = debian_arch(w[w.size() - 2]);
  auto parts = split(w[1], '.');
  if (arch.empty() || parts.size() < 2 || !all_digits(parts[0])) return std::nullopt;
  bool legacy = m.listing.has("install/hwe-netboot/ubuntu-installer/amd64/linux");  // debian-installer era
  return make("ubuntu", w[1], arch, "ubuntu" + parts[0] + "." + parts[1], legacy ? "full" : "ubuntu");
}

// media.1/products: "/ SLES 15.5-0", "/ openSUSE-Leap 15.5-0", or for the full media
// "/Module-Basesystem 15.5-0". Only the first (installable) disc is supported: the
// distribution layout has no place for confluent's per-disc subdirectories yet.
Found check_suse(const Media& m) {
  const std::string* products = nullptr;
  for (const char* name : {"media.1/products", "install/media.1/products"}) {
    if (products == nullptr) products = m.file(name);
  }
  if (products == nullptr) return std::nullopt;
  auto w = words(lines(*products).front());
  if (w.size() < 2) return std::nullopt;
  std::string version = w.back().substr(0, w.back().find('-'));
  std::string major = major_of(version);
  if (major != "15" && major != "16" && major != "12") return std::nullopt;
  bool leap = w[1].find("Leap") != std::string::npos;
  if (major == "12" && w[1].find("SLES") == std::string::npos) return std::nullopt;
  if (major != "12" && !(w[0] == "/" || m.has_prefix("boot/"))) return std::nullopt;
  std::string arch = m.has_prefix("boot/aarch64/") ? "aarch64" : "x86_64";
  return make(major == "12" ? "sles" : leap ? "opensuse_leap" : "sle", version, arch, "suse" + major);
}

// The live ISO's kernel arguments name the build: coreos.liveiso=rhcos-<ver>-... or
// coreos.liveiso=fedora-coreos-<ver>.
Found check_coreos(const Media& m) {
  std::string arch = m.has_prefix("EFI/BOOT/BOOTAA64.EFI", true) ? "aarch64" : "x86_64";
  for (const char* name : {"zipl.prm", "isolinux/isolinux.cfg"}) {
    const std::string* text = m.file(name);
    if (text == nullptr) continue;
    std::string flat = *text;
    std::replace_if(
        flat.begin(), flat.end(), [](char c) { return std::isspace((unsigned char)c) != 0; }, ' ');
    for (const auto& word : words(flat)) {
      auto parts = split(word, '-');
      if (word.rfind("coreos.liveiso=rhcos-", 0) == 0 && parts.size() > 1 && !parts[1].empty()) {
        return make("rhcos", parts[1], arch, "coreos");
      }
      if (word.rfind("coreos.liveiso=fedora-coreos-", 0) == 0 && parts.size() > 2 && !parts[2].empty()) {
        return make("fedoracoreos", parts[2], arch, "coreos");
      }
    }
  }
  return std::nullopt;
}

// confluent's order; it matters where markers overlap (Rocky and Alma ship .discinfo too).
constexpr Found (*kCheckers[])(const Media&) = {
    check_rocky,  check_fedora, check_alma, check_centos, check_esxi,
    check_debian, check_ubuntu, check_suse, check_coreos, check_rhel,
};

}  // namespace

MediaInfo identify(const fs::path& iso) {
  iso::check_magic(iso);
  iso::check_complete(iso);
  iso::Listing listing = iso::scan(iso, kMarkerFiles);
  Media media{listing};
  for (auto* checker : kCheckers) {
    if (auto found = checker(media)) return *found;
  }
  throw Error(ErrorKind::Invalid, "Unsupported Media");
}

}  // namespace confluent::osdeploy
