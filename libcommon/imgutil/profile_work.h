#pragma once
// What pack and capture share to make a diskless profile: the profile made beside its final
// place and renamed in (ProfileWork), its boot/ tree, the <category>-diskless templates, and
// the checks and ownership every new profile gets.
#include <filesystem>
#include <string>
#include <vector>

#include "imgutil/bootloader.h"
#include "imgutil/crypt_image.h"
#include "imgutil/os_release.h"

namespace confluent::imgutil {

// The profile while it is made (public/os/.<p>.new and private/os/.<p>.new), and its final
// places; destroyed uncommitted, it removes everything it made.
class ProfileWork {
 public:
  explicit ProfileWork(const std::string& profile);
  ~ProfileWork();
  ProfileWork(const ProfileWork&) = delete;
  ProfileWork& operator=(const ProfileWork&) = delete;

  const std::filesystem::path& dir() const { return work_; }
  const std::filesystem::path& private_dir() const { return private_work_; }
  const std::filesystem::path& final_dir() const { return final_; }
  const std::filesystem::path& private_final() const { return private_final_; }

  // Makes both work directories, the private one rwx------.
  void create();
  // Renames the profile into place, then writes the key where nodes fetch it.
  void place(const CryptKey* key);
  void commit() { committed_ = true; }

 private:
  std::filesystem::path work_, private_work_, final_, private_final_;
  bool placed_ = false, made_private_ = false, keyed_ = false, committed_ = false;
};

// Throws Invalid "Full path not supported, supply only the profile name" for a name with '/',
// Invalid for an empty or hidden name, and Invalid "Profile already exists, select a different
// name or delete existing <dir>".
void check_new_profile_name(const std::string& profile);

// The kernel, the initrd and the UEFI loaders a diskless profile boots with, into `work`:
// boot/kernel, boot/initramfs/distribution beside the boot/initramfs/site.cpio link, and
// boot/efi/boot/ (install_bootloaders).
void install_boot_files(const std::filesystem::path& work, const std::filesystem::path& kernel,
                        const std::filesystem::path& initrd, const Bootloaders& loaders, const std::string& arch,
                        const std::string& os_id);

// The <category>-diskless templates that make an image profile bootable: the addons.cpio
// initrd and the default profile's scripts, with manifest.yaml. Warnings for what is missing.
void add_diskless_templates(const std::string& profile, const OsRelease& os, const std::string& arch,
                            const std::filesystem::path& work, std::vector<std::string>& warnings);

// A YAML plain scalar when that reads back the same, else a double-quoted one.
std::string yaml_scalar(const std::string& text);

// As confluent, the files are the confluent user's when there is one: the placed profile and,
// when `keyed`, its private directory.
void chown_to_confluent(const ProfileWork& work, bool keyed);

}  // namespace confluent::imgutil
