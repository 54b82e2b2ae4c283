#include "imgutil/pack.h"

#include "base/error.h"
#include "base/files.h"
#include "base/process.h"
#include "imgutil/bootloader.h"
#include "imgutil/buildinfo.h"
#include "imgutil/crypt_image.h"
#include "imgutil/isolate.h"
#include "imgutil/kernel.h"
#include "imgutil/os_release.h"
#include "imgutil/profile_work.h"
#include "osdeploy/layout.h"
#include "osdeploy/profiles.h"

namespace confluent::imgutil {

namespace fs = std::filesystem;
namespace od = confluent::osdeploy;

namespace {

const fs::perms kPublicFile = fs::perms(0644);

fs::path base_profile_dir(const std::string& base) {
  return base.find('/') == std::string::npos ? od::profiles_dir() / base : fs::path(base);
}

void check_options(const PackOptions& o) {
  check_new_profile_name(o.profile);
  std::error_code ec;
  if (!o.base_profile.empty() && !fs::is_directory(base_profile_dir(o.base_profile), ec))
    throw Error(ErrorKind::NotFound,
                "Specified base profile \"" + base_profile_dir(o.base_profile).string() + "\" does not seem to exist");
  if (!fs::is_directory(o.scratch, ec)) throw Error(ErrorKind::NotFound, o.scratch.string() + ": no such directory");
  if (o.compression_level != 0) {
    auto [low, high] = compression_levels(o.compression);
    if (o.compression_level < low || o.compression_level > high)
      throw Error(ErrorKind::Usage,
                  low == 0 ? "--compress-level: " + o.compression + " has no compression level (zstd and gzip do)"
                           : "--compress-level: " + o.compression + " takes a level from " + std::to_string(low) +
                                 " to " + std::to_string(high));
  }
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
  add_diskless_templates(o.profile, os, arch, work, warnings);
  std::string name = os.pretty_name.empty() ? o.profile : os.pretty_name;
  write_file_atomic(work / "profile.yaml", diskless_profile_yaml(name + " (Diskless Boot)"), kPublicFile);
}

}  // namespace

const std::vector<std::string>& pack_compressors() {
  static const std::vector<std::string> names = {"xz", "zstd", "gzip", "lz4"};
  return names;
}

std::pair<int, int> compression_levels(const std::string& compressor) {
  if (compressor == "zstd") return {1, 22};
  if (compressor == "gzip") return {1, 9};
  return {0, 0};
}

std::vector<std::string> mksquashfs_args(const PackOptions& o, const fs::path& out) {
  std::vector<std::string> argv = {"mksquashfs", o.scratch.string(), out.string(), "-comp", o.compression, "-noappend"};
  if (o.compression_level != 0) argv.insert(argv.end(), {"-Xcompression-level", std::to_string(o.compression_level)});
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
         "reads it on demand with HTTP range requests, using less RAM; add installtodisk to write the image to the "
         "node's disk instead\n";
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
  install_boot_files(w.dir(), boot.kernel, boot.initrd, find_bootloaders(o.scratch, arch), arch, os.id);
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
