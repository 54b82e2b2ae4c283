// Boot payloads of a profile (spec §5.5): boot.ipxe for iPXE, grub.cfg for UEFI, ESXi's
// boot.cfg, and boot.img (the boot/ tree as a FAT image) for UEFI HTTP boot and remote media,
// all regenerated from profile.yaml so that editing it and rerunning is all it takes.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <fstream>
#include <sstream>

#include "base/error.h"
#include "osdeploy/fatimage.h"
#include "osdeploy/profile_manifest.h"
#include "osdeploy/profiles.h"

namespace confluent::osdeploy {

namespace detail {


fs::path existing_profile_dir(const std::string& name) {
  fs::path p(name);
  if (name.empty() || name.find('/') != std::string::npos || name == "." || name == ".." ||
      !fs::is_directory(profiles_dir() / p))
    throw Error(ErrorKind::NotFound, name + ": no such profile");
  return profiles_dir() / p;
}

void replace_symlink(const fs::path& target, const fs::path& link) {
  std::error_code ec;
  if (fs::is_symlink(fs::symlink_status(link)) && fs::read_symlink(link, ec) == target) return;
  fs::remove(link, ec);
  fs::create_symlink(target, link);
}

}  // namespace detail

namespace {

using namespace detail;

const fs::perms kPublicFile =
    fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read | fs::perms::others_read;

struct ProfileYaml {
  std::string label, kernelargs, ostype;
};

std::string yaml_string(const YAML::Node& root, const char* key, const fs::path& file) {
  const YAML::Node v = root[key];
  if (!v || v.IsNull()) return {};
  if (!v.IsScalar()) throw Error(ErrorKind::Invalid, file.string() + ": '" + key + "' must be a string");
  return v.Scalar();
}

ProfileYaml read_profile_yaml(const fs::path& dir) {
  fs::path file = dir / "profile.yaml";
  if (!fs::is_regular_file(file)) throw Error(ErrorKind::Invalid, file.string() + ": missing");
  YAML::Node root;
  try {
    root = YAML::Load(read_file(file));
  } catch (const YAML::Exception& e) {
    throw Error(ErrorKind::Invalid, file.string() + ": line " + std::to_string(e.mark.line + 1) + ", column " +
                                        std::to_string(e.mark.column + 1) + ": " + e.msg);
  }
  if (!root.IsNull() && !root.IsMap()) throw Error(ErrorKind::Invalid, file.string() + ": not a mapping");
  ProfileYaml p;
  if (root.IsMap()) {
    p.label = yaml_string(root, "label", file);
    p.kernelargs = yaml_string(root, "kernelargs", file);
    p.ostype = yaml_string(root, "ostype", file);
  }
  if (p.label.empty()) p.label = dir.filename().string();
  if (p.ostype.empty()) p.ostype = "linux";
  return p;
}

// GRUB before 2.03 (EL7, SLE 12 era) only boots EFI kernels with linuxefi/initrdefi; its
// network stack announces the version as "User-Agent: GRUB 2.02~beta2" in the binary.
bool grub_needs_efi_commands(const fs::path& efidir) {
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(efidir, ec)) {
    std::string name = e.path().filename().string();
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
    if (name.rfind("grub", 0) != 0 || !name.ends_with(".efi") || !e.is_regular_file()) continue;
    std::string bin = read_file(e.path());
    const std::string tag = "User-Agent: GRUB ";
    size_t at = bin.find(tag + "2.0");
    if (at == std::string::npos) continue;
    const char* v = bin.c_str() + at + tag.size();
    int major = std::atoi(v);
    const char* dot = std::strchr(v, '.');
    int minor = dot != nullptr ? std::atoi(dot + 1) : 0;
    return major < 2 || (major == 2 && minor < 3);
  }
  return false;
}

// GRUB's parser treats ; | & < > as syntax: quote such words (Ubuntu's "ds=nocloud;s=..."),
// so the kernel gets the same command line from grub.cfg as from boot.ipxe.
std::string grub_words(const std::string& args) {
  std::istringstream in(args);
  std::string word, out;
  while (in >> word) {
    if (!out.empty()) out += ' ';
    if (word.find_first_of(";|&<>") != std::string::npos && word.find('\'') == std::string::npos)
      out += "'" + word + "'";
    else
      out += word;
  }
  return out;
}

std::string quote_label(const std::string& label) {
  std::string out;
  for (char c : label) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out;
}

// Every grub.cfg already under boot/ (a loader's own prefix), else the two places shim and
// GRUB look first: /efi/boot/grub.cfg and /boot/grub/grub.cfg of boot.img.
std::vector<fs::path> grub_cfg_targets(const fs::path& boot) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(boot, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (it->path().filename() == "grub.cfg") out.push_back(it->path());
  }
  std::sort(out.begin(), out.end());
  if (out.empty()) out = {boot / "efi/boot/grub.cfg", boot / "boot/grub/grub.cfg"};
  return out;
}

void update_linux(const fs::path& dir, const ProfileYaml& p) {
  fs::path boot = dir / "boot";
  if (!fs::exists(boot / "kernel"))
    throw Error(ErrorKind::Invalid, (boot / "kernel").string() + ": missing or a broken link");
  std::vector<std::string> initrds = initrd_order(dir);
  for (const auto& i : initrds) {
    if (!fs::exists(boot / "initramfs" / i))
      throw Error(ErrorKind::Invalid, (boot / "initramfs" / i).string() + ": broken link");
  }
  bool efi = grub_needs_efi_commands(boot / "efi/boot");
  std::string grub = "set timeout=0\nmenuentry '" + quote_label(p.label) + "' {\n    " + (efi ? "linuxefi" : "linux") +
                     " /kernel " + grub_words(p.kernelargs) + "\n    " + (efi ? "initrdefi" : "initrd") + " ";
  for (const auto& i : initrds) grub += " /initramfs/" + i;
  grub += "\n}\n";
  for (const auto& cfg : grub_cfg_targets(boot)) {
    fs::create_directories(cfg.parent_path());
    write_file_atomic(cfg, grub, kPublicFile);
  }
  std::string fetch = "imgfetch boot/kernel";
  if (!p.kernelargs.empty()) fetch += " " + p.kernelargs;
  for (const auto& i : initrds) fetch += " initrd=" + i;
  std::string ipxe = "#!ipxe\n" + fetch + "\n";
  for (const auto& i : initrds) ipxe += "imgfetch boot/initramfs/" + i + "\n";
  ipxe += "imgload kernel\nimgexec kernel\n";
  write_file_atomic(dir / "boot.ipxe", ipxe, kPublicFile);
}

// The media's file, as named or upper-cased (ESXi media list b.b00, ISO 9660 has B.B00).
fs::path media_file(const fs::path& dist, const std::string& name) {
  if (fs::exists(dist / name)) return name;
  std::string upper = name;
  std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return std::toupper(c); });
  if (fs::exists(dist / upper)) return upper;
  throw Error(ErrorKind::Invalid, (dist / name).string() + ": missing (named in BOOT.CFG)");
}

struct EsxiBootCfg {
  std::string plain, efi;           // boot/boot.cfg, boot/efi/boot/boot.cfg
  std::vector<std::string> needed;  // kernel and modules, bare names
};

std::string without_slashes(std::string s) {
  s.erase(std::remove(s.begin(), s.end(), '/'), s.end());
  return s;
}

// ESXi's BOOT.CFG rewritten twice: with bare names for `bootx64.efi -c <url>` from iPXE (the
// loader fetches them relative to the URL), and with the media's absolute paths for boot.img;
// both get our title and kernel arguments, and the site (and addons) archives as modules.
EsxiBootCfg rewrite_boot_cfg(const std::string& text, const std::string& title, const std::string& kernelargs,
                             bool addons) {
  EsxiBootCfg out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::string plain = line, efi = line;
    if (line.starts_with("title=")) {
      plain = efi = "title=" + title;
    } else if (line.starts_with("kernelopt=")) {
      plain = efi = "kernelopt=" + kernelargs;
    } else if (line.starts_with("kernel=")) {
      out.needed.push_back(without_slashes(line.substr(7)));
      plain = "kernel=" + out.needed.back();
    } else if (line.starts_with("modules=")) {
      std::string mods = line.substr(8);
      plain = "modules=";
      for (size_t start = 0;;) {
        size_t end = mods.find(" --- ", start);
        std::string mod = without_slashes(mods.substr(start, end == std::string::npos ? end : end - start));
        if (!mod.empty()) {
          plain += (plain == "modules=" ? "" : " --- ") + mod;
          out.needed.push_back(mod);
        }
        if (end == std::string::npos) break;
        start = end + 5;
      }
      plain += std::string(addons ? " --- initramfs/addons.tgz" : "") + " --- site.tgz";
      efi += std::string(addons ? " --- /initramfs/addons.tgz" : "") + " --- /site.tgz";
    }
    out.plain += plain + "\n";
    out.efi += efi + "\n";
  }
  return out;
}


// ESXi boots its own EFI loader, which reads boot.cfg; every file it names is linked into boot/.
void update_esxi(const fs::path& dir, const ProfileYaml& p) {
  fs::path dist = dir / "distribution";
  fs::path boot = dir / "boot";
  std::string title =
      p.label.find("installation of") != std::string::npos ? p.label : "Confluent installation of " + p.label;
  // addons.tgz only when a template ships one: a module the loader cannot fetch stops the boot.
  EsxiBootCfg cfg = rewrite_boot_cfg(read_file(dist / media_file(dist, "boot.cfg")), title, p.kernelargs,
                                     fs::exists(boot / "initramfs/addons.tgz"));
  fs::create_directories(boot / "efi/boot");
  write_file_atomic(boot / "efi/boot/boot.cfg", cfg.efi, kPublicFile);
  write_file_atomic(boot / "boot.cfg", cfg.plain, kPublicFile);
  replace_symlink("../../../site/initramfs.tgz", boot / "site.tgz");
  for (const auto& fn : cfg.needed) replace_symlink("../distribution" / media_file(dist, fn), boot / fn);
  replace_symlink("../../../distribution" / media_file(dist, "efi/boot/bootx64.efi"), boot / "efi/boot/bootx64.efi");
  if (fs::exists(dist / "EFI/BOOT/CRYPTO64.EFI"))
    replace_symlink("../../../distribution/EFI/BOOT/CRYPTO64.EFI", boot / "efi/boot/crypto64.efi");
  write_file_atomic(
      dir / "boot.ipxe",
      "#!ipxe\nchain boot/efi/boot/bootx64.efi -c /confluent-public/os/" + dir.filename().string() + "/boot/boot.cfg\n",
      kPublicFile);
}

}  // namespace

void updateboot(const std::string& profile) {
  fs::path dir = existing_profile_dir(profile);
  require_site_content();
  ProfileYaml p = read_profile_yaml(dir);
  if (p.ostype == "linux")
    update_linux(dir, p);
  else if (p.ostype == "esxi")
    update_esxi(dir, p);
  else
    throw Error(ErrorKind::Invalid, (dir / "profile.yaml").string() + ": ostype '" + p.ostype + "' is not supported");
  dir_to_image(dir / "boot", dir / "boot.img", profile);
}

}  // namespace confluent::osdeploy
