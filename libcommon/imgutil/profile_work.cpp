#include "imgutil/profile_work.h"

#include <pwd.h>
#include <unistd.h>

#include "base/error.h"
#include "base/files.h"
#include "osdeploy/layout.h"
#include "osdeploy/media.h"
#include "osdeploy/profiles.h"

namespace confluent::imgutil {

namespace fs = std::filesystem;
namespace od = confluent::osdeploy;

namespace {

const fs::perms kPublicFile = fs::perms(0644);
const fs::perms kPrivateDir = fs::perms(0700);

// As confluent's umask 077: every private directory made is rwx------.
void make_private_dirs(const fs::path& dir) {
  std::vector<fs::path> missing;
  for (fs::path p = dir; !p.empty() && !fs::exists(p); p = p.parent_path()) missing.push_back(p);
  for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
    fs::create_directory(*it);
    fs::permissions(*it, kPrivateDir);
  }
}

void chown_tree(const fs::path& dir, uid_t uid, gid_t gid) {
  if (::lchown(dir.c_str(), uid, gid) != 0) throw Error(ErrorKind::Runtime, "cannot chown " + dir.string());
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (::lchown(e.path().c_str(), uid, gid) != 0) throw Error(ErrorKind::Runtime, "cannot chown " + e.path().string());
  }
}

}  // namespace

ProfileWork::ProfileWork(const std::string& profile)
    : work_(od::profiles_dir() / ("." + profile + ".new")),
      private_work_(od::private_dir() / "os" / ("." + profile + ".new")),
      final_(od::profiles_dir() / profile),
      private_final_(od::private_dir() / "os" / profile) {}

ProfileWork::~ProfileWork() {
  std::error_code ec;
  fs::remove_all(work_, ec);
  fs::remove_all(private_work_, ec);
  if (placed_ && !committed_) {
    fs::remove_all(final_, ec);
    if (made_private_) fs::remove_all(private_final_, ec);
    if (keyed_ && !made_private_) fs::remove(private_final_ / "pending/rootimg.key", ec);
  }
}

void ProfileWork::create() {
  fs::remove_all(work_);
  fs::remove_all(private_work_);
  fs::create_directories(work_);
  make_private_dirs(private_work_);
}

void ProfileWork::place(const CryptKey* key) {
  fs::rename(work_, final_);
  placed_ = true;
  if (key == nullptr) return;
  made_private_ = !fs::exists(private_final_);
  make_private_dirs(private_final_ / "pending");
  keyed_ = true;
  write_key_file(private_final_ / "pending/rootimg.key", *key);
}

void check_new_profile_name(const std::string& profile) {
  if (profile.find('/') != std::string::npos)
    throw Error(ErrorKind::Invalid, "Full path not supported, supply only the profile name");
  if (profile.empty() || profile == "." || profile == ".." || profile.starts_with("."))
    throw Error(ErrorKind::Invalid, "'" + profile + "' is not a usable profile name");
  fs::path final_dir = od::profiles_dir() / profile;
  std::error_code ec;
  if (fs::exists(fs::symlink_status(final_dir, ec)))
    throw Error(ErrorKind::Invalid,
                "Profile already exists, select a different name or delete existing " + final_dir.string());
}

void install_boot_files(const fs::path& work, const fs::path& kernel, const fs::path& initrd,
                        const Bootloaders& loaders, const std::string& arch, const std::string& os_id) {
  fs::create_directories(work / "boot/efi/boot");
  fs::create_directories(work / "boot/initramfs");
  fs::create_symlink("../../../../site/initramfs.cpio", work / "boot/initramfs/site.cpio");
  fs::copy_file(kernel, work / "boot/kernel");
  fs::copy_file(initrd, work / "boot/initramfs/distribution");
  fs::permissions(work / "boot/kernel", kPublicFile);
  fs::permissions(work / "boot/initramfs/distribution", kPublicFile);
  install_bootloaders(loaders, work / "boot", arch, os_id);
}

void add_diskless_templates(const std::string& profile, const OsRelease& os, const std::string& arch,
                            const fs::path& work, std::vector<std::string>& warnings) {
  std::string category = os_category(os);
  fs::path tdir = od::diskless_templates_dir(category);
  std::error_code ec;
  if (category.empty() || !fs::is_directory(tdir, ec)) {
    warnings.push_back("no diskless templates for '" + (category.empty() ? os.id : category) + "' in " +
                       od::templates_dir().string() + ": the profile has no addons.cpio to boot the image with");
    return;
  }
  fs::path addons = tdir / "initramfs" / arch / "addons.cpio";
  if (!fs::exists(addons, ec)) {
    if (arch != host_arch())
      warnings.push_back(addons.string() + " is missing: the profile is not bootable until the " + arch +
                         " diskless support is installed");
    addons = tdir / "initramfs/addons.cpio";
  }
  if (fs::exists(addons, ec)) fs::create_symlink(fs::absolute(addons), work / "boot/initramfs/addons.cpio");
  if (fs::is_directory(tdir / "profiles/default", ec)) {
    od::MediaInfo info;
    info.distro = os.id;
    info.version = os.version_id;
    info.arch = arch;
    info.category = category;
    od::install_profile_template(tdir / "profiles/default", work, profile, info);
  }
}

std::string yaml_scalar(const std::string& text) {
  bool plain = !text.empty() && text.find_first_of(":#'\"{}[],&*!|>%@`\\\t\n") == std::string::npos &&
               text.front() != ' ' && text.back() != ' ' && text.front() != '-' && text.front() != '?';
  if (plain) return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
  }
  return out + "\"";
}

void chown_to_confluent(const ProfileWork& w, bool keyed) {
  const passwd* user = ::getpwnam("confluent");
  if (user == nullptr) return;
  chown_tree(w.final_dir(), user->pw_uid, user->pw_gid);
  if (keyed) chown_tree(w.private_final(), user->pw_uid, user->pw_gid);
}

}  // namespace confluent::imgutil
