#pragma once
// The UEFI loaders pack copies from an image into its profile's boot/ tree, searched where
// EL, SUSE, Debian and Ubuntu keep them: shim as efi/boot/BOOTX64.EFI (BOOTAA64.EFI), its
// MOK manager as mmx64.efi (mmaa64.efi), GRUB as grubx64.efi (grubaa64.efi) and grub.efi.
#include <filesystem>
#include <string>
#include <vector>

namespace confluent::imgutil {

struct Bootloaders {
  std::filesystem::path shim, mok_manager, grub;  // in the image; empty when not found
  bool grub_is_debian_signed = false;             // Debian/Ubuntu's signed GRUB, prefix /EFI/<os id>
};

// What `root` holds for `arch` (normalized: x86_64, aarch64).
Bootloaders find_bootloaders(const std::filesystem::path& root, const std::string& arch);

// Copies what was found into `boot` (a profile's boot/); Debian and Ubuntu's signed GRUB gets
// the empty hint file EFI/<os_id>/grub.cfg, which updateboot fills. Returns the files written,
// relative to `boot`.
std::vector<std::string> install_bootloaders(const Bootloaders& found, const std::filesystem::path& boot,
                                             const std::string& arch, const std::string& os_id);

}  // namespace confluent::imgutil
