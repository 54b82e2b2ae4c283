#include "imgutil/pack.h"

#include <pwd.h>
#include <unistd.h>

#include "base/error.h"
#include "base/files.h"
#include "base/process.h"
#include "imgutil/bootloader.h"
#include "imgutil/buildinfo.h"
#include "imgutil/crypt_image.h"
#include "imgutil/isolate.h"
#include "imgutil/kernel.h"
#include "imgutil/os_release.h"
#include "osdeploy/layout.h"
#include "osdeploy/media.h"
#include "osdeploy/profiles.h"

namespace confluent::imgutil {

namespace fs = std::filesystem;
namespace od = confluent::osdeploy;

namespace {

const fs::perms kPublicFile = fs::perms(0644);
const fs::perms kPrivateDir = fs::perms(0700);

// The profile while it is made, and its final places; destroyed uncommitted, it removes
// everything it made.
class ProfileWork {
 public:
  explicit ProfileWork(const std::string& profile)
      : work_(od::profiles_dir() / ("." + profile + ".new")),
        private_work_(od::private_dir() / "os" / ("." + profile + ".new")),
        final_(od::profiles_dir() / profile),
        private_final_(od::private_dir() / "os" / profile) {}
  ~ProfileWork() {
    std::error_code ec;
    fs::remove_all(work_, ec);
    fs::remove_all(private_work_, ec);
    if (placed_ && !committed_) {
      fs::remove_all(final_, ec);
      if (made_private_) fs::remove_all(private_final_, ec);
      if (keyed_ && !made_private_) fs::remove(private_final_ / "pending/rootimg.key", ec);
    }
  }
  ProfileWork(const ProfileWork&) = delete;
  ProfileWork& operator=(const ProfileWork&) = delete;

  const fs::path& dir() const { return work_; }
  const fs::path& private_dir() const { return private_work_; }
  const fs::path& final_dir() const { return final_; }
  const fs::path& private_final() const { return private_final_; }

  void create() {
    fs::remove_all(work_);
    fs::remove_all(private_work_);
    fs::create_directories(work_);
    make_private_dirs(private_work_);
  }
  // Renames the profile into place, then writes the key where nodes fetch it.
  void place(const CryptKey* key) {
    fs::rename(work_, final_);
    placed_ = true;
    if (key == nullptr) return;
    made_private_ = !fs::exists(private_final_);
    make_private_dirs(private_final_ / "pending");
    keyed_ = true;
    write_key_file(private_final_ / "pending/rootimg.key", *key);
  }
  void commit() { committed_ = true; }

 private:
  // As confluent's umask 077: every private directory made is rwx------.
  static void make_private_dirs(const fs::path& dir) {
    std::vector<fs::path> missing;
    for (fs::path p = dir; !p.empty() && !fs::exists(p); p = p.parent_path()) missing.push_back(p);
    for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
      fs::create_directory(*it);
      fs::permissions(*it, kPrivateDir);
    }
  }

  fs::path work_, private_work_, final_, private_final_;
  bool placed_ = false, made_private_ = false, keyed_ = false, committed_ = false;
};

fs::path base_profile_dir(const std::string& base) {
  return base.find('/') == std::string::npos ? od::profiles_dir() / base : fs::path(base);
}

void check_options(const PackOptions& o) {
  if (o.profile.find('/') != std::string::npos)
    throw Error(ErrorKind::Invalid, "Full path not supported, supply only the profile name");
  if (o.profile.empty() || o.profile == "." || o.profile == ".." || o.profile.starts_with("."))
    throw Error(ErrorKind::Invalid, "'" + o.profile + "' is not a usable profile name");
  std::error_code ec;
  if (!o.base_profile.empty() && !fs::is_directory(base_profile_dir(o.base_profile), ec))
    throw Error(ErrorKind::NotFound,
                "Specified base profile \"" + base_profile_dir(o.base_profile).string() + "\" does not seem to exist");
  fs::path final_dir = od::profiles_dir() / o.profile;
  if (fs::exists(fs::symlink_status(final_dir, ec)))
    throw Error(ErrorKind::Invalid,
                "Profile already exists, select a different name or delete existing " + final_dir.string());
  if (!fs::is_directory(o.scratch, ec)) throw Error(ErrorKind::NotFound, o.scratch.string() + ": no such directory");
  od::require_site_content();
  if (!find_program("mksquashfs"))
    throw Error(ErrorKind::Runtime, "mksquashfs is not installed (it is in the squashfs-tools package)");
}

void squash(const PackOptions& o, const fs::path& out) {
  std::vector<std::string> argv = mksquashfs_args(o, out);
  // mksquashfs 4.5 reads SOURCE_DATE_EPOCH itself, and then refuses -mkfs-time and -all-time.
  EnvChanges env = {"SOURCE_DATE_EPOCH"};
  if (!o.show_progress) return run_program_or_throw(argv, env);
  check_status("mksquashfs", run_program_visible(argv, env));
}

std::string pack_date(const PackOptions& o) {
  return build_date(o.source_date_epoch ? *o.source_date_epoch : std::time(nullptr));
}

void write_build_info(const PackOptions& o, const fs::path& dir) {
  std::string text = "PACKEDFROM=" + o.scratch.string() + "\nPACKDATE=" + pack_date(o) + "\n";
  if (!o.base_profile.empty()) text += "BASEPROFILE=" + o.base_profile + "\n";
  write_file_atomic(dir / "build-info", text, kPublicFile);
}

// A YAML plain scalar when that reads back the same, else a double-quoted one.
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

// The <category>-diskless templates that make an image profile bootable: the addons.cpio
// initrd and the default profile's scripts. Warnings for what is missing.
void add_diskless_templates(const PackOptions& o, const OsRelease& os, const std::string& arch, const fs::path& work,
                            std::vector<std::string>& warnings) {
  std::string category = os_category(os);
  fs::path tdir = od::templates_dir() / (category + "-diskless");
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
    od::install_profile_template(tdir / "profiles/default", work, o.profile, info);
  }
}

// Copies what `from` has and `to` lacks, links as links, as confluent's recursecp.
void merge_tree(const fs::path& from, const fs::path& to) {
  for (auto it = fs::recursive_directory_iterator(from); it != fs::recursive_directory_iterator(); ++it) {
    fs::path dest = to / fs::relative(it->path(), from);
    std::error_code ec;
    if (fs::exists(fs::symlink_status(dest, ec))) {
      if (it->is_directory() && !it->is_symlink() && !fs::is_directory(fs::symlink_status(dest, ec)))
        it.disable_recursion_pending();
      continue;
    }
    if (it->is_symlink())
      fs::copy_symlink(it->path(), dest);
    else if (it->is_directory())
      fs::create_directory(dest, it->path());
    else if (it->is_regular_file())
      fs::copy_file(it->path(), dest);
  }
}

void add_profile_content(const PackOptions& o, const OsRelease& os, const std::string& arch,
                         const std::optional<BuildInfo>& build, const fs::path& work,
                         std::vector<std::string>& warnings) {
  if (!o.base_profile.empty()) {
    // The base's files where the new profile has none: its profile.yaml, scripts, manifest.
    merge_tree(base_profile_dir(o.base_profile), work);
    return;
  }
  if (build && !build->build_source.empty()) fs::create_symlink(build->build_source, work / "distribution");
  add_diskless_templates(o, os, arch, work, warnings);
  std::string name = os.pretty_name.empty() ? o.profile : os.pretty_name;
  write_file_atomic(work / "profile.yaml", diskless_profile_yaml(name + " (Diskless Boot)"), kPublicFile);
}

void chown_tree(const fs::path& dir, uid_t uid, gid_t gid) {
  if (::lchown(dir.c_str(), uid, gid) != 0) throw Error(ErrorKind::Runtime, "cannot chown " + dir.string());
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (::lchown(e.path().c_str(), uid, gid) != 0) throw Error(ErrorKind::Runtime, "cannot chown " + e.path().string());
  }
}

// As confluent, the files are the confluent user's when there is one.
void chown_to_confluent(const ProfileWork& w, bool keyed) {
  const passwd* user = ::getpwnam("confluent");
  if (user == nullptr) return;
  chown_tree(w.final_dir(), user->pw_uid, user->pw_gid);
  if (keyed) chown_tree(w.private_final(), user->pw_uid, user->pw_gid);
}

}  // namespace

std::vector<std::string> mksquashfs_args(const PackOptions& o, const fs::path& out) {
  std::vector<std::string> argv = {"mksquashfs", o.scratch.string(), out.string(), "-comp", o.compression, "-noappend"};
  if (o.source_date_epoch) {
    std::string t = std::to_string(*o.source_date_epoch);
    argv.insert(argv.end(), {"-mkfs-time", t, "-all-time", t});
  }
  // -quiet would hide the progress bar too: on a terminal mksquashfs talks as it always does.
  if (!o.show_progress) argv.insert(argv.end(), {"-quiet", "-no-progress"});
  return argv;
}

std::string diskless_profile_yaml(const std::string& label) {
  // boot=confluent: the image's initramfs-tools runs confluent's diskless mountroot (the
  // <category>-diskless initramfs-tools pieces imgutil build puts in the image).
  return "label: " + yaml_scalar(label) +
         "\nkernelargs: boot=confluent quiet # confluent_imagemethod=untethered|tethered # untethered (the default) "
         "downloads the whole image into RAM and has no ongoing dependency on the deployment servers; tethered "
         "reads it on demand with HTTP range requests, using less RAM\n";
}

PackResult pack_image(const PackOptions& o, const ImageProgress& encrypt_progress) {
  check_options(o);
  BootFiles boot = find_boot_files(o.scratch);
  OsRelease os = read_os_release(o.scratch);
  std::optional<BuildInfo> build = read_buildinfo(o.scratch);
  std::string arch = build && !build->arch.empty() ? normalize_arch(build->arch) : host_arch();
  PackResult result;
  ProfileWork w(o.profile);
  w.create();
  fs::create_directories(w.dir() / "boot/efi/boot");
  fs::create_directories(w.dir() / "boot/initramfs");
  fs::create_symlink("../../../../site/initramfs.cpio", w.dir() / "boot/initramfs/site.cpio");
  fs::copy_file(boot.kernel, w.dir() / "boot/kernel");
  fs::copy_file(boot.initrd, w.dir() / "boot/initramfs/distribution");
  fs::permissions(w.dir() / "boot/kernel", kPublicFile);
  fs::permissions(w.dir() / "boot/initramfs/distribution", kPublicFile);
  install_bootloaders(find_bootloaders(o.scratch, arch), w.dir() / "boot", arch, os.id);
  std::optional<CryptKey> key;
  if (o.unencrypted) {
    squash(o, w.dir() / "rootimg.sfs");
  } else {
    fs::path plain = w.private_dir() / "rootimg.sfs.plain";
    squash(o, plain);
    key = generate_crypt_key();
    encrypt_image(plain, w.dir() / "rootimg.sfs", *key, encrypt_progress);
    fs::remove(plain);
  }
  fs::permissions(w.dir() / "rootimg.sfs", kPublicFile);
  write_build_info(o, w.dir());
  add_profile_content(o, os, arch, build, w.dir(), result.warnings);
  od::make_profile_dirs_servable(w.dir());
  w.place(key ? &*key : nullptr);
  chown_to_confluent(w, key.has_value());
  od::updateboot(o.profile);
  w.commit();
  result.profile_dir = w.final_dir();
  return result;
}

}  // namespace confluent::imgutil
