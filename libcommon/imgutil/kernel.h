#pragma once
// The kernel and initrd that pack puts in a diskless profile: the newest <root>/boot/vmlinuz-*
// (not a rescue kernel) and the initrd made for its version.
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace confluent::imgutil {

struct BootFiles {
  std::filesystem::path kernel;
  std::string version;
  std::filesystem::path initrd;
};

// As confluent reads it: a gzip or PE (EFI stub, "MZ") kernel is named after its version
// (vmlinuz-<version>); otherwise the x86 boot header says it (the u16 at 0x20E, plus 0x200,
// is the offset of "<version> (builder) #1 SMP ..."). When the header has no usable version
// the file name is used too.
std::string kernel_version(const std::filesystem::path& kernel);

// Orders versions as confluent does: the numbers before the first '-', then the numbers
// after it, up to the first other text ("5.14.0-362.8.1.el9_3" is 5.14.0 / 362.8.1, so it
// is newer than "5.14.0-362.el9"); ties go to natural order. <0, 0 or >0.
int compare_kernel_versions(std::string_view a, std::string_view b);

// The initrd names tried, in order: initramfs-<v>.img, initrd-<v>, initrd.img-<v>.
std::vector<std::string> initrd_names(std::string_view version);

// The newest kernel of <root>/boot and its initrd. Throws Runtime "No kernel found in
// <root>/boot", or "No initrd found for kernel <v> in <root>/boot (tried ...)".
BootFiles find_boot_files(const std::filesystem::path& root);

}  // namespace confluent::imgutil
