// Kernel and initrd detection in an image's /boot: the version from the x86 boot header or
// the file name, confluent's version order, rescue kernels skipped, initrd names in order.
#include "imgutil/kernel.h"

#include <catch2/catch.hpp>

#include "base/error.h"
#include "image_files.h"

using namespace confluent;
using namespace confluent::imgutil;
using namespace imgtest;

namespace {

// An x86 bzImage: "HdrS" at 0x202, the u16 at 0x20E pointing (+0x200) at the version.
std::string bzimage(const std::string& version_text, uint16_t pointer = 0x3c0) {
  std::string k(0x1000, '\0');
  k[0x1fe] = 0x55;
  k[0x1ff] = static_cast<char>(0xaa);
  k.replace(0x202, 4, "HdrS");
  k[0x206] = 0x0f;  // boot protocol 2.15
  k[0x207] = 0x02;
  k[0x20e] = static_cast<char>(pointer & 0xff);
  k[0x20f] = static_cast<char>(pointer >> 8);
  if (pointer + 0x200u + version_text.size() <= k.size()) k.replace(pointer + 0x200, version_text.size(), version_text);
  return k;
}

}  // namespace

TEST_CASE("imgutil kernel version: read from the x86 boot header, up to the builder", "[imgutil]") {
  TempDir dir;
  put(dir / "boot/vmlinuz-renamed",
      bzimage(std::string("6.1.0-18-amd64 (debian-kernel@lists.debian.org) #1 SMP") + '\0'));
  CHECK(kernel_version(dir / "boot/vmlinuz-renamed") == "6.1.0-18-amd64");
  put(dir / "boot/vmlinuz-nul", bzimage(std::string("5.14.0-362.8.1.el9_3.x86_64") + '\0'));
  CHECK(kernel_version(dir / "boot/vmlinuz-nul") == "5.14.0-362.8.1.el9_3.x86_64");
}

TEST_CASE("imgutil kernel version: gzip and PE kernels, and unusable headers, go by the file name", "[imgutil]") {
  TempDir dir;
  put(dir / "vmlinuz-6.8.0-31-generic", "\x1f\x8b\x08" + std::string(600, 'z'));
  CHECK(kernel_version(dir / "vmlinuz-6.8.0-31-generic") == "6.8.0-31-generic");
  std::string pe = bzimage("5.14.0-70.el9.x86_64 (mockbuild)");
  pe.replace(0, 2, "MZ");  // an EFI-stub kernel: confluent trusts its name
  put(dir / "vmlinuz-5.14.0-99.el9.x86_64", pe);
  CHECK(kernel_version(dir / "vmlinuz-5.14.0-99.el9.x86_64") == "5.14.0-99.el9.x86_64");
  put(dir / "vmlinuz-zero", bzimage("1.2.3 (x)", 0));
  CHECK(kernel_version(dir / "vmlinuz-zero") == "zero");
  put(dir / "vmlinuz-past", bzimage("1.2.3 (x)", 0xfff0));
  CHECK(kernel_version(dir / "vmlinuz-past") == "past");
  put(dir / "vmlinuz-junk", bzimage("1.2\x01junk"));
  CHECK(kernel_version(dir / "vmlinuz-junk") == "junk");
  put(dir / "vmlinuz-slash", bzimage("../../etc (x)"));
  CHECK(kernel_version(dir / "vmlinuz-slash") == "slash");
  put(dir / "vmlinuz-tiny", "hi");
  CHECK(kernel_version(dir / "vmlinuz-tiny") == "tiny");
  put(dir / "vmlinuz-nohdr", std::string(0x1000, 'q'));
  CHECK(kernel_version(dir / "vmlinuz-nohdr") == "nohdr");
}

TEST_CASE("imgutil kernel versions: release numbers, then patch numbers, as confluent orders them", "[imgutil]") {
  CHECK(compare_kernel_versions("5.14.0-362.8.1.el9_3.x86_64", "5.14.0-362.el9.x86_64") > 0);
  CHECK(compare_kernel_versions("5.14.0-70.13.1.el9_0.x86_64", "5.14.0-362.el9.x86_64") < 0);
  CHECK(compare_kernel_versions("6.1.0-18-amd64", "6.1.0-9-amd64") > 0);
  CHECK(compare_kernel_versions("6.10.0", "6.9.12") > 0);
  CHECK(compare_kernel_versions("4.18.0-553.el8_10.x86_64", "5.14.0-1.el9.x86_64") < 0);
  CHECK(compare_kernel_versions("6.1.0-18-amd64", "6.1.0-18-rt-amd64") != 0);  // ties break naturally
  CHECK(compare_kernel_versions("6.1.0", "6.1.0") == 0);
  CHECK(compare_kernel_versions("123456789012345678901234567890", "99") > 0);  // no overflow
}

TEST_CASE("imgutil boot files: the newest kernel, not a rescue one, with the first initrd name that exists",
          "[imgutil]") {
  TempDir dir;
  fs::path boot = dir / "boot";
  put(boot / "vmlinuz-5.14.0-362.el9.x86_64", "\x1f\x8b old");
  put(boot / "vmlinuz-5.14.0-362.8.1.el9_3.x86_64", "\x1f\x8b new");
  put(boot / "vmlinuz-0-rescue-0123456789abcdef", "\x1f\x8b rescue");
  put(boot / "initramfs-5.14.0-362.8.1.el9_3.x86_64.img", "initramfs");
  put(boot / "initrd.img-5.14.0-362.8.1.el9_3.x86_64", "second choice");
  put(boot / "initramfs-5.14.0-362.el9.x86_64.img", "old initramfs");
  BootFiles found = find_boot_files(dir.path);
  CHECK(found.kernel == boot / "vmlinuz-5.14.0-362.8.1.el9_3.x86_64");
  CHECK(found.version == "5.14.0-362.8.1.el9_3.x86_64");
  CHECK(found.initrd == boot / "initramfs-5.14.0-362.8.1.el9_3.x86_64.img");

  fs::remove(boot / "initramfs-5.14.0-362.8.1.el9_3.x86_64.img");
  CHECK(find_boot_files(dir.path).initrd == boot / "initrd.img-5.14.0-362.8.1.el9_3.x86_64");
  put(boot / "initrd-5.14.0-362.8.1.el9_3.x86_64", "SUSE name");
  CHECK(find_boot_files(dir.path).initrd == boot / "initrd-5.14.0-362.8.1.el9_3.x86_64");
  CHECK(initrd_names("6.1") == std::vector<std::string>{"initramfs-6.1.img", "initrd-6.1", "initrd.img-6.1"});
}

TEST_CASE("imgutil boot files: a kernel named differently from its header version gets the header's initrd",
          "[imgutil]") {
  TempDir dir;
  put(dir / "boot/vmlinuz-custom", bzimage("6.1.0-18-amd64 (builder) #1"));
  put(dir / "boot/initrd.img-6.1.0-18-amd64", "initrd");
  BootFiles found = find_boot_files(dir.path);
  CHECK(found.version == "6.1.0-18-amd64");
  CHECK(found.initrd == dir / "boot/initrd.img-6.1.0-18-amd64");
}

TEST_CASE("imgutil boot files: no kernel, only rescue kernels, or no initrd are clear errors", "[imgutil]") {
  TempDir dir;
  const std::string boot = (dir / "boot").string();
  CHECK_THROWS_WITH(find_boot_files(dir.path), "No kernel found in " + boot);
  put(dir / "boot/vmlinuz-0-rescue-abc", "\x1f\x8b");
  put(dir / "boot/config-6.1.0", "not a kernel");
  fs::create_directories(dir / "boot/vmlinuz-adirectory");
  CHECK_THROWS_WITH(find_boot_files(dir.path), "No kernel found in " + boot);
  put(dir / "boot/vmlinuz-6.1.0-18-amd64", "\x1f\x8b");
  CHECK_THROWS_WITH(find_boot_files(dir.path), "No initrd found for kernel 6.1.0-18-amd64 in " + boot +
                                                   " (tried initramfs-6.1.0-18-amd64.img, initrd-6.1.0-18-amd64, "
                                                   "initrd.img-6.1.0-18-amd64)");
}
