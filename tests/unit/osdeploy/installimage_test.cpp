// The disk plan of the diskless profiles' scripts/installimage (installtodisk), run with sh
// on the host: the functions only (CONFLUENT_INSTALLIMAGE_LIB=1), given measured file
// systems as the node would measure them.
#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>

#include "osdeploy/layout.h"

namespace fs = std::filesystem;
using namespace confluent;

namespace {

struct Result {
  int status = 0;
  std::string out;
};

// Runs `call` after sourcing the script, with `input` on its standard input.
Result installimage(const std::string& call, const std::string& input = "") {
  fs::path script = osdeploy::diskless_templates_dir("debian") / "profiles/default/scripts/installimage";
  REQUIRE(fs::is_regular_file(script));
  char tmpl[] = "/tmp/confluent-installimage.XXXXXX";
  int fd = ::mkstemp(tmpl);
  REQUIRE(fd >= 0);
  ::close(fd);
  std::ofstream(tmpl) << input;
  std::string command = "CONFLUENT_INSTALLIMAGE_LIB=1 sh -c '. \"$0\" && " + call + "' '" + script.string() + "' < " +
                        tmpl + " 2>&1";
  Result r;
  FILE* pipe = ::popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  char buffer[4096];
  for (size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) r.out.append(buffer, n);
  r.status = ::pclose(pipe);
  fs::remove(tmpl);
  return r;
}

constexpr uint64_t MiB = 1048576;

std::string measured(const std::string& fstype, uint64_t captured, uint64_t used, const std::string& mount) {
  return fstype + " " + std::to_string(captured) + " " + std::to_string(used) + " " + mount + "\n";
}

}  // namespace

TEST_CASE("installimage: a plain image on a BIOS node gets a BIOS boot partition and / with the rest") {
  auto r = installimage("plan_disk 0", measured("ext4", 0, 1024 * MiB, "/"));
  REQUIRE(r.status == 0);
  // 2 MiB of GPT, 1 MiB BIOS boot, / at least its content and a quarter more, plus 256 MiB.
  CHECK(r.out == "1 B - -\n- L ext4 /\nneed 1539\n");
}

TEST_CASE("installimage: on UEFI a plain image gets a new EFI system partition") {
  auto r = installimage("plan_disk 1", measured("ext4", 0, 100 * MiB, "/"));
  REQUIRE(r.status == 0);
  CHECK(r.out == "512 U vfat /boot/efi\n- L ext4 /\nneed 895\n");
}

TEST_CASE("installimage: a captured node's file systems keep their types and sizes, parents first") {
  std::string input = measured("xfs", 20000 * MiB, 900 * MiB, "/") + measured("vfat", 600 * MiB, 6 * MiB, "/boot/efi") +
                      measured("ext2", 256 * MiB, 50 * MiB, "/boot");
  auto r = installimage("plan_disk 1", input);
  REQUIRE(r.status == 0);
  // The node's own EFI system partition is kept: no second one. / is planned last, whatever
  // its captured size, and takes the rest of the disk.
  CHECK(r.out == "256 L ext2 /boot\n600 U vfat /boot/efi\n- L xfs /\nneed 2239\n");
}

TEST_CASE("installimage: a file system fuller than its captured size grows to hold its content") {
  std::string input = measured("ext4", 0, 10 * MiB, "/") + measured("ext4", 100 * MiB, 200 * MiB, "/var");
  auto r = installimage("plan_disk 0", input);
  REQUIRE(r.status == 0);
  CHECK(r.out == "1 B - -\n314 L ext4 /var\n- L ext4 /\nneed 586\n");
}

TEST_CASE("installimage: an image without / has no plan") {
  auto r = installimage("plan_disk 0", measured("ext4", 0, MiB, "/boot"));
  CHECK(r.status != 0);
}

TEST_CASE("installimage: partition device names") {
  CHECK(installimage("partition /dev/vda 3").out == "/dev/vda3\n");
  CHECK(installimage("partition /dev/sdb 1").out == "/dev/sdb1\n");
  CHECK(installimage("partition /dev/nvme0n1 2").out == "/dev/nvme0n1p2\n");
  CHECK(installimage("partition /dev/mmcblk0 1").out == "/dev/mmcblk0p1\n");
}

// Every category's diskless default profile carries the same scripts (links to debian's), so
// installtodisk and its pre/post/firstboot steps work for each OS that can be captured.
TEST_CASE("installimage: every diskless category's default profile has the same scripts") {
  fs::path reference = osdeploy::diskless_templates_dir("debian") / "profiles/default";
  auto listing = [](const fs::path& dir) {
    std::map<std::string, std::string> out;
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
      if (!e.is_regular_file()) continue;
      std::ifstream in(e.path(), std::ios::binary);
      out[e.path().lexically_relative(dir).generic_string()] =
          std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    return out;
  };
  auto expected = listing(reference);
  for (const char* file : {"scripts/installimage", "scripts/onboot.sh", "scripts/pre.sh", "scripts/post.sh",
                           "scripts/firstboot.sh", "scripts/post.d/README", "scripts/firstboot.d/README"})
    CHECK(expected.count(file) == 1);
  int categories = 0;
  for (const auto& e : fs::directory_iterator(osdeploy::templates_dir())) {
    std::string name = e.path().filename().string();
    if (name.size() <= 9 || name.compare(name.size() - 9, 9, "-diskless") != 0 || name == "debian-diskless") continue;
    ++categories;
    INFO(name);
    CHECK(listing(e.path() / "profiles/default") == expected);
  }
  CHECK(categories >= 7);
}
