// The parts of pack and unpack that need no mksquashfs run: the mksquashfs command line, the
// profile.yaml of a diskless profile, the UEFI loaders gathered from an image, and where
// unpack finds an image and its key.
#include "imgutil/pack.h"

#include <yaml-cpp/yaml.h>

#include <catch2/catch.hpp>

#include "base/error.h"
#include "base/paths.h"
#include "base/strings.h"
#include "image_files.h"
#include "imgutil/bootloader.h"
#include "imgutil/unpack.h"

using namespace confluent;
using namespace confluent::imgutil;
using namespace imgtest;

TEST_CASE("imgutil pack: the mksquashfs command line", "[imgutil]") {
  PackOptions o;
  o.scratch = "/srv/img";
  CHECK(join(mksquashfs_args(o, "/out.sfs"), " ") ==
        "mksquashfs /srv/img /out.sfs -comp xz -noappend -quiet -no-progress");
  o.compression = "zstd";
  o.source_date_epoch = 1700000000;
  o.show_progress = true;
  CHECK(join(mksquashfs_args(o, "/out.sfs"), " ") ==
        "mksquashfs /srv/img /out.sfs -comp zstd -noappend -mkfs-time 1700000000 -all-time 1700000000");
  o.compression_level = 3;
  CHECK(join(mksquashfs_args(o, "/out.sfs"), " ") ==
        "mksquashfs /srv/img /out.sfs -comp zstd -noappend -Xcompression-level 3 -mkfs-time 1700000000 -all-time "
        "1700000000");
  CHECK(compression_levels("zstd") == std::pair{1, 22});
  CHECK(compression_levels("gzip") == std::pair{1, 9});
  CHECK(compression_levels("xz") == std::pair{0, 0});
  CHECK(compression_levels("lz4") == std::pair{0, 0});
}

TEST_CASE("imgutil pack: profile.yaml reads back the label and kernel arguments", "[imgutil]") {
  for (const std::string label : {"Debian GNU/Linux 12 (bookworm) (Diskless Boot)", "Weird: \"OS\" #1 (Diskless Boot)",
                                  "- dash (Diskless Boot)"}) {
    INFO(label);
    std::string text = diskless_profile_yaml(label);
    YAML::Node y = YAML::Load(text);
    CHECK(y["label"].as<std::string>() == label);
    CHECK(y["kernelargs"].as<std::string>() == "boot=confluent quiet");
  }
  CHECK_THAT(diskless_profile_yaml("Debian GNU/Linux 12 (bookworm) (Diskless Boot)"),
             Catch::StartsWith("label: Debian GNU/Linux 12 (bookworm) (Diskless Boot)\nkernelargs: boot=confluent quiet # "
                               "confluent_imagemethod=untethered|tethered # untethered (the default)"));
}

TEST_CASE("imgutil bootloaders: Debian's signed shim and GRUB, with the GRUB hint file", "[imgutil]") {
  TempDir dir;
  auto root = dir.path / "root";
  put(root / "usr/lib/shim/shimx64.efi.signed.latest", "shim");
  std::filesystem::create_symlink("/usr/lib/shim/shimx64.efi.signed.latest", root / "usr/lib/shim/shimx64.efi.signed");
  put(root / "usr/lib/shim/mmx64.efi.signed", "mm");
  put(root / "usr/lib/grub/x86_64-efi-signed/grubx64.efi.signed", "grub");
  Bootloaders b = find_bootloaders(root, "x86_64");
  CHECK(b.shim == root / "usr/lib/shim/shimx64.efi.signed.latest");  // the link followed inside the image
  CHECK(b.grub_is_debian_signed);
  auto boot = dir.path / "boot";
  auto written = install_bootloaders(b, boot, "x86_64", "debian");
  CHECK(written == std::vector<std::string>{"efi/boot/BOOTX64.EFI", "efi/boot/mmx64.efi", "efi/boot/grubx64.efi",
                                            "efi/boot/grub.efi", "EFI/debian/grub.cfg"});
  CHECK(slurp(boot / "efi/boot/BOOTX64.EFI") == "shim");
  CHECK(slurp(boot / "efi/boot/grub.efi") == "grub");
  CHECK(slurp(boot / "EFI/debian/grub.cfg").empty());
}

TEST_CASE("imgutil bootloaders: EL's ESP copies, for aarch64 too; none is fine", "[imgutil]") {
  TempDir dir;
  auto root = dir.path / "root";
  put(root / "boot/efi/EFI/BOOT/BOOTAA64.EFI", "shim");
  put(root / "boot/efi/EFI/rocky/grubaa64.efi", "grub");
  put(root / "boot/efi/EFI/rocky/mmaa64.efi", "mm");
  Bootloaders b = find_bootloaders(root, "aarch64");
  CHECK(!b.grub_is_debian_signed);
  CHECK(install_bootloaders(b, dir.path / "boot", "aarch64", "rocky") ==
        std::vector<std::string>{"efi/boot/BOOTAA64.EFI", "efi/boot/mmaa64.efi", "efi/boot/grubaa64.efi",
                                 "efi/boot/grub.efi"});
  Bootloaders none = find_bootloaders(dir.path / "empty", "x86_64");
  CHECK(install_bootloaders(none, dir.path / "boot2", "x86_64", "debian").empty());
}

TEST_CASE("imgutil unpack: a profile name, a profile directory or a file", "[imgutil]") {
  TempDir dir;
  setenv("CONFLUENT_ROOT", dir.path.c_str(), 1);
  auto profile = dir.path / "var/lib/confluent/public/os/p1";
  put(profile / "rootimg.sfs", "hsqs");
  CHECK(image_file("p1") == profile / "rootimg.sfs");
  CHECK(image_file(profile.string()) == profile / "rootimg.sfs");
  CHECK(image_file((profile / "rootimg.sfs").string()) == profile / "rootimg.sfs");
  CHECK_THROWS_WITH(image_file("p2"), Catch::Contains("no such image or profile"));
  CHECK(key_file_for(profile / "rootimg.sfs") == dir.path / "var/lib/confluent/private/os/p1/pending/rootimg.key");
  CHECK(key_file_for("/elsewhere/p3/rootimg.sfs") == dir.path / "var/lib/confluent/private/os/p3/pending/rootimg.key");
  CHECK(key_file_for("/x/public/os/p4/rootimg.sfs") == "/x/private/os/p4/pending/rootimg.key");
  unsetenv("CONFLUENT_ROOT");
}
