#include "imgutil/unpack.h"

#include "base/error.h"
#include "base/paths.h"
#include "base/process.h"
#include "imgutil/crypt_image.h"
#include "imgutil/isolate.h"
#include "imgutil/multisquash.h"
#include "osdeploy/layout.h"

namespace confluent::imgutil {

namespace fs = std::filesystem;

namespace {

// Removes, unless committed, the target unpack made and always the decrypted copy.
class UnpackWork {
 public:
  UnpackWork(const fs::path& target, bool made_target) : target_(target), made_target_(made_target) {}
  ~UnpackWork() {
    std::error_code ec;
    if (!plain_.empty()) fs::remove(plain_, ec);
    if (made_target_ && !committed_) fs::remove_all(target_, ec);
  }
  UnpackWork(const UnpackWork&) = delete;
  UnpackWork& operator=(const UnpackWork&) = delete;

  const fs::path& plain_copy() {
    plain_ = target_.parent_path() / ("." + target_.filename().string() + ".plain-image");
    return plain_;
  }
  void commit() { committed_ = true; }

 private:
  fs::path target_, plain_;
  bool made_target_, committed_ = false;
};

// Returns whether it made the target.
bool prepare_target(const fs::path& target) {
  std::error_code ec;
  auto st = fs::symlink_status(target, ec);
  if (!fs::exists(st)) {
    fs::create_directories(target);
    return true;
  }
  if (!fs::is_directory(st)) throw Error(ErrorKind::Invalid, target.string() + ": exists and is not a directory");
  if (!fs::is_empty(target)) throw Error(ErrorKind::Invalid, target.string() + ": exists and is not empty");
  return false;
}

void unsquash(const fs::path& image, const fs::path& dir, uint64_t offset, bool show_progress) {
  std::vector<std::string> argv = {"unsquashfs", "-d", dir.string(), "-f"};
  if (offset != 0) argv.insert(argv.end(), {"-o", std::to_string(offset)});
  if (!show_progress) argv.insert(argv.end(), {"-q", "-n"});
  argv.push_back(image.string());
  if (!show_progress) return run_program_or_throw(argv);
  check_status("unsquashfs", run_program_visible(argv));
}

// Each captured file system into <target>/<its mount point>, "/" first as captured.
void unpack_multisquash(const fs::path& image, const fs::path& target, bool show_progress) {
  for (const auto& r : read_multisquash(image)) {
    fs::path mount = fs::path(r.mount).lexically_normal();
    for (const auto& part : mount) {
      if (part == "..")
        throw Error(ErrorKind::Invalid, image.string() + ": corrupt multisquash image (mount point '" + r.mount + "')");
    }
    fs::path dir = normal_absolute(target / mount.relative_path());
    fs::create_directories(dir);
    unsquash(image, dir, r.offset, show_progress);
  }
}

}  // namespace

fs::path image_file(const std::string& name_or_path) {
  fs::path image = name_or_path;
  std::error_code ec;
  if (!fs::exists(image, ec) && name_or_path.find('/') == std::string::npos)
    image = osdeploy::profiles_dir() / name_or_path;
  if (fs::is_directory(image, ec)) image /= "rootimg.sfs";
  if (!fs::exists(image, ec)) throw Error(ErrorKind::NotFound, image.string() + ": no such image or profile");
  return normal_absolute(image);
}

fs::path key_file_for(const fs::path& image) {
  fs::path profile = normal_absolute(image).parent_path();
  fs::path os_dir = profile.parent_path();
  fs::path key = fs::path("os") / profile.filename() / "pending/rootimg.key";
  if (os_dir.filename() == "os" && os_dir.parent_path().filename() == "public")
    return os_dir.parent_path().parent_path() / "private" / key;
  return osdeploy::private_dir() / key;
}

void unpack_image(const UnpackOptions& o, const ImageProgress& decrypt_progress) {
  fs::path image = image_file(o.image);
  ImageFormat format = detect_image_format(image);
  if (!find_program("unsquashfs"))
    throw Error(ErrorKind::Runtime, "unsquashfs is not installed (it is in the squashfs-tools package)");
  fs::path key_file = key_file_for(image);
  std::error_code ec;
  if (format == ImageFormat::Crypted && !fs::exists(key_file, ec))
    throw Error(ErrorKind::NotFound, key_file.string() + ": missing, cannot decrypt " + image.string());
  fs::path target = normal_absolute(o.target);
  UnpackWork work(target, prepare_target(target));
  fs::path plain = image;
  if (format == ImageFormat::Crypted) {
    plain = work.plain_copy();
    decrypt_image(image, plain, read_key_file(key_file), decrypt_progress);
    format = detect_image_format(plain);
    if (format == ImageFormat::Crypted)
      throw Error(ErrorKind::Invalid, image.string() + ": decrypts to another encrypted image");
  }
  if (format == ImageFormat::Multisquash)
    unpack_multisquash(plain, target, o.show_progress);
  else
    unsquash(plain, target, 0, o.show_progress);
  work.commit();
}

}  // namespace confluent::imgutil
