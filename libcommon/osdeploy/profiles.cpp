// Stock profiles (spec §5.3): the templates of a category copied into public/os/ for an
// imported distribution, with the boot tree that updateboot turns into payloads. What
// confluent's per-OS initprofile.sh scripts do is here, as one table of media layouts.
#include "osdeploy/profiles.h"

#include <algorithm>
#include <cctype>

#include "base/error.h"
#include "base/natural_sort.h"
#include "osdeploy/fatimage.h"
#include "osdeploy/profile_manifest.h"


namespace confluent::osdeploy {

namespace {

using namespace detail;

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

// `rel` under `base`, each component matched case-insensitively: media spell EFI/BOOT,
// EFI/boot or efi/boot. Returns the path as it exists (relative), or empty.
fs::path find_ci(const fs::path& base, const fs::path& rel) {
  fs::path found;
  for (const auto& part : rel) {
    fs::path dir = base / found;
    if (fs::exists(dir / part)) {
      found /= part;
      continue;
    }
    std::error_code ec;
    fs::path match;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
      if (lower(e.path().filename().string()) == lower(part.string())) match = e.path().filename();
    }
    if (match.empty()) return {};
    found /= match;
  }
  return found;
}

// What a profile's boot/ links to in the media, all relative to the distribution directory.
struct BootFiles {
  fs::path kernel, initrd;
  fs::path efi_dir;                                  // loaders linked from here (every *.efi)
  fs::path efi_image;                                // else copied out of this FAT image (Debian mini.iso, CoreOS)
  std::vector<std::pair<fs::path, fs::path>> extra;  // profile-relative link -> media path
};

// Where each family keeps its installer kernel and initrd, as confluent's initprofile.sh.
std::vector<std::pair<fs::path, fs::path>> kernel_candidates(const MediaInfo& info) {
  const std::string& c = info.category;
  bool arm = info.arch == "aarch64";
  if (c.starts_with("ubuntu")) return {{"casper/vmlinuz", "casper/initrd"}};
  if (c.starts_with("suse")) {  // single media, or disc 1 of a set
    std::string loader = "boot/" + info.arch + "/loader/";
    return {{loader + "linux", loader + "initrd"}, {"1/" + loader + "linux", "1/" + loader + "initrd"}};
  }
  if (c.starts_with("debian")) {
    std::string deb = arm ? "arm64" : "amd64", cd = arm ? "a64" : "amd";
    return {{"linux", "initrd.gz"},                                                            // mini.iso
            {"debian-installer/" + deb + "/linux", "debian-installer/" + deb + "/initrd.gz"},  // netboot
            {"install." + cd + "/vmlinuz", "install." + cd + "/initrd.gz"}};                   // CD and DVD
  }
  return {{"images/pxeboot/vmlinuz", "images/pxeboot/initrd.img"}};  // EL, CoreOS and the like
}

BootFiles find_boot_files(const MediaInfo& info, const fs::path& dist) {
  const std::string& c = info.category;
  BootFiles b;
  if (c.starts_with("esxi")) {
    if (find_ci(dist, "boot.cfg").empty())
      throw Error(ErrorKind::Invalid, (dist / "BOOT.CFG").string() + ": missing from the ESXi media");
    return b;  // updateboot links what BOOT.CFG names
  }
  std::string looked;
  for (const auto& [k, i] : kernel_candidates(info)) {
    if (fs::is_regular_file(dist / k) && fs::is_regular_file(dist / i)) {
      b.kernel = k;
      b.initrd = i;
      break;
    }
    looked += (looked.empty() ? "" : ", ") + k.string();
  }
  if (b.kernel.empty())
    throw Error(ErrorKind::Invalid, dist.string() + ": no installer kernel for " + c + " (looked for " + looked + ")");
  fs::path root = b.kernel.string().starts_with("1/") ? fs::path("1") : fs::path();
  b.efi_dir = find_ci(dist, root / "EFI/BOOT");
  if (b.efi_dir.empty()) {
    for (const char* img : {"boot/grub/efi.img", "images/efiboot.img"}) {
      if (fs::is_regular_file(dist / img)) b.efi_image = img;
    }
  }
  if (c.starts_with("suse")) b.extra.push_back({"product", root});  // the install= repository
  if (c == "coreos") {
    if (fs::is_regular_file(dist / "images/pxeboot/rootfs.img"))
      b.extra.push_back({"rootfs.img", "images/pxeboot/rootfs.img"});
    if (fs::is_regular_file(dist / "images/ignition.img"))
      b.extra.push_back({"boot/initramfs/ignition.img", "images/ignition.img"});
  }
  return b;
}

// "rocky" in a menu is "Rocky Linux", as confluent's initprofile.sh scripts rewrite labels.
std::string pretty_distro(const std::string& distro) {
  static const std::pair<const char*, const char*> names[] = {{"rhel", "Red Hat Enterprise Linux"},
                                                              {"rocky", "Rocky Linux"},
                                                              {"alma", "AlmaLinux"},
                                                              {"alma_kitten", "AlmaLinux Kitten"},
                                                              {"centos", "CentOS"},
                                                              {"centos_stream", "CentOS Stream"},
                                                              {"fedora", "Fedora"},
                                                              {"oraclelinux", "Oracle Linux"},
                                                              {"openeuler", "openEuler"},
                                                              {"ubuntu", "Ubuntu"},
                                                              {"sle", "SUSE Linux Enterprise"},
                                                              {"opensuse_leap", "openSUSE Leap"},
                                                              {"debian", "Debian"},
                                                              {"esxi", "VMware ESXi"},
                                                              {"rhcos", "Red Hat CoreOS"},
                                                              {"fedoracoreos", "Fedora CoreOS"}};
  for (const auto& [raw, pretty] : names) {
    if (distro == raw) return pretty;
  }
  return distro;
}

// profile.yaml with its label pretty-printed, then the usual placeholders.
std::string render_profile_yaml(const std::string& text, const Substitutions& subs) {
  std::string out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    std::string line = text.substr(start, end == std::string::npos ? std::string::npos : end + 1 - start);
    if (line.starts_with("label:"))
      line = substitute(line, {pretty_distro(subs.distro), subs.version, subs.arch, subs.profile});
    out += line;
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return substitute(out, subs);
}

// Runs argv (no shell), quietly; false when it cannot run or fails.
// The initramfs addons a category ships (and those of its architecture), linked where they
// are: they live outside the state root, so the links are absolute, as confluent's.
void link_addons(const fs::path& category_dir, const std::string& arch, const fs::path& initramfs) {
  for (const fs::path& src : {category_dir / "initramfs", category_dir / "initramfs" / arch}) {
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(src, ec)) {
      std::string name = e.path().filename().string();
      // The README says what belongs here; it is not an initrd.
      if (e.is_directory() || name.starts_with(".") || name.starts_with("README")) continue;
      replace_symlink(fs::absolute(e.path()), initramfs / name);
    }
  }
}

// The template's files rendered into `work`; returns the manifest recording them.
Manifest copy_template(const fs::path& tdir, const fs::path& work, const MediaInfo& info, const Substitutions& subs) {
  Manifest m{tdir, info.category, tdir.filename().string(), info.distro, info.version, info.arch, {}, {}};
  for (const auto& [file, source] : template_files(tdir)) {
    std::string raw = read_file(source);
    fs::path dst = work / file;
    fs::create_directories(dst.parent_path());
    if (fs::path(file).filename() == "profile.yaml") {
      write_file_atomic(dst, render_profile_yaml(raw, subs), template_mode(source));
      continue;  // the administrator's from now on: never rebased, so not in the manifest
    }
    m.disthashes[file] = sha512_hex(raw);
    m.profilehashes[file] = install_template_file(source, dst, subs);
  }
  return m;
}

// boot/ and the other links of a profile. Links into the media go through the profile's own
// `distribution` link, so they are short, relative, and follow it if it is repointed.
void link_boot_tree(const fs::path& work, const fs::path& distdir, const BootFiles& b) {
  fs::create_directories(work / "boot/initramfs");
  fs::create_symlink("../../../../site/initramfs.cpio", work / "boot/initramfs/site.cpio");
  if (!b.kernel.empty()) {
    fs::create_symlink("../distribution" / b.kernel, work / "boot/kernel");
    fs::create_symlink("../../distribution" / b.initrd, work / "boot/initramfs/distribution");
  }
  if (!b.efi_dir.empty()) {
    fs::create_directories(work / "boot/efi/boot");
    for (const auto& e : fs::directory_iterator(distdir / b.efi_dir)) {
      if (e.is_regular_file() && lower(e.path().extension().string()) == ".efi")
        fs::create_symlink("../../../distribution" / b.efi_dir / e.path().filename(),
                           work / "boot/efi/boot" / e.path().filename());
    }
  } else if (!b.efi_image.empty()) {
    fs::create_directories(work / "boot/efi/boot");
    // Best effort, as confluent: without loaders only UEFI HTTP boot of boot.img is lost.
    run_mtools({"mcopy", "-n", "-i", (distdir / b.efi_image).string(), "::/efi/boot/*",
                 (work / "boot/efi/boot").string() + "/"});
  }
  for (const auto& [link, target] : b.extra) {
    fs::path via = "distribution";
    for (auto up = link.parent_path(); !up.empty(); up = up.parent_path()) via = ".." / via;
    fs::create_symlink(target.empty() ? via : via / target, work / link);
  }
}

// Everything of one profile in `work`, which the caller renames to `final_dir`.
void build_profile(const fs::path& tdir, const fs::path& work, const fs::path& final_dir, const MediaInfo& info,
                   const fs::path& distdir, const BootFiles& b) {
  install_profile_template(tdir, work, final_dir.filename().string(), info);
  fs::create_symlink(fs::relative(distdir, final_dir), work / "distribution");
  link_boot_tree(work, distdir, b);
  link_addons(tdir.parent_path().parent_path(), info.arch, work / "boot/initramfs");
  make_profile_dirs_servable(work);
}

}  // namespace

void make_profile_dirs_servable(const fs::path& dir) {
  const auto dir_mode = fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec | fs::perms::others_read |
                        fs::perms::others_exec;
  fs::permissions(dir, dir_mode);
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_directory() && !e.is_symlink()) fs::permissions(e.path(), dir_mode);
  }
}

void require_site_content() {
  if (!fs::exists(site_dir() / "initramfs.cpio"))
    throw Error(ErrorKind::Invalid, "Must generate site content first (TLS (-t) and/or SSH (-s))");
}

void install_profile_template(const fs::path& template_dir, const fs::path& work, const std::string& profile,
                              const MediaInfo& info) {
  Substitutions subs{info.distro, info.version, info.arch, profile};
  write_manifest(work, copy_template(template_dir, work, info, subs));
}

std::vector<std::string> create_profiles(const MediaInfo& info, const fs::path& distdir, const std::string& prefix) {
  fs::path category_dir = templates_dir() / info.category;
  if (info.category.empty() || !fs::is_directory(category_dir / "profiles"))
    throw Error(ErrorKind::Invalid, "no profile templates for " + info.category);
  // Checked first, as is the media layout, so that a failure leaves no half-made profile.
  require_site_content();
  fs::path dist = fs::absolute(distdir);
  BootFiles boot = find_boot_files(info, dist);
  std::vector<fs::path> templates;
  for (const auto& e : fs::directory_iterator(category_dir / "profiles")) {
    if (e.is_directory()) templates.push_back(e.path());
  }
  std::sort(templates.begin(), templates.end());
  fs::create_directories(profiles_dir());
  std::vector<std::string> created;
  for (const auto& tdir : templates) {
    std::string name = prefix + "-" + tdir.filename().string();
    fs::path final_dir = profiles_dir() / name;
    if (fs::exists(fs::symlink_status(final_dir))) continue;
    fs::path work = profiles_dir() / ("." + name + ".new");
    fs::remove_all(work);
    try {
      fs::create_directory(work);
      build_profile(tdir, work, final_dir, info, dist, boot);
      fs::rename(work, final_dir);
    } catch (...) {
      std::error_code ec;
      fs::remove_all(work, ec);
      throw;
    }
    updateboot(name);
    created.push_back(name);
  }
  return created;
}

std::vector<std::string> initrd_order(const fs::path& profile_dir) {
  // A fixed order where confluent used glob/listdir order: the *.cpio addons (site.cpio
  // among them) sorted by name, then any other file sorted by name, then the installer's
  // own initrd, `distribution`, last, as the kernel unpacks them in order.
  std::vector<std::string> cpio, other;
  bool distribution = false;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(profile_dir / "boot/initramfs", ec)) {
    std::string name = e.path().filename().string();
    if (e.is_directory()) continue;
    if (name == "distribution")
      distribution = true;
    else
      (name.ends_with(".cpio") ? cpio : other).push_back(name);
  }
  std::sort(cpio.begin(), cpio.end());
  std::sort(other.begin(), other.end());
  cpio.insert(cpio.end(), other.begin(), other.end());
  if (distribution) cpio.push_back("distribution");
  return cpio;
}

namespace {

std::vector<std::string> subdirectories(const fs::path& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    std::string name = e.path().filename().string();
    if (e.is_directory() && !name.starts_with(".")) out.push_back(name);  // .<name>.new: being made
  }
  natural_sort_unique(out);
  return out;
}

}  // namespace

Listing list() { return {subdirectories(distributions_dir()), subdirectories(profiles_dir())}; }

}  // namespace confluent::osdeploy
