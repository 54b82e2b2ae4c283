// The parts of imgutil capture that need no node: the file stream the node sends, the boot
// hook sent to it as a shell function (run here by /bin/sh), and the decisions taken from the
// node's fingerprint.
#include <fcntl.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "base/error.h"
#include "base/process.h"
#include "image_files.h"
#include "imgutil/capture_fingerprint.h"
#include "imgutil/capture_stream.h"

using namespace confluent;
using namespace confluent::imgutil;
using namespace imgtest;

namespace {

// receive_stream of `bytes`, fed from a file.
std::vector<std::string> receive(const TempDir& dir, const std::string& bytes) {
  put(dir / "stream", bytes);
  int fd = ::open((dir / "stream").c_str(), O_RDONLY | O_CLOEXEC);
  REQUIRE(fd >= 0);
  try {
    auto names = receive_stream(fd, dir / "out");
    ::close(fd);
    return names;
  } catch (...) {
    ::close(fd);
    throw;
  }
}

std::string error_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

const char* kDebianJson =
    R"({"osrelease": "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\nID=debian\n",
 "arch": "x86_64", "runningkernel": "6.18.4-custom", "kernels": ["6.1.0-9-amd64", "6.1.0-26-amd64", "6.1.0-0-rescue"],
 "initramfs": "initramfs-tools", "packagetool": "apt",
 "unmetprereqs": ["squashfs-tools", "busybox"], "optionalprereqs": []})";

}  // namespace

TEST_CASE("capture stream: files after what login scripts print, then END", "[imgutil]") {
  TempDir dir;
  std::string bytes =
      "Welcome to node n1\nIMGUTIL-CAPTURE 1\nFILE 5 fs0.sfs\nab\ncdFILE 0 empty\nFILE 3 root/boot/x.efi\nxyzEND\n";
  CHECK(receive(dir, bytes) == std::vector<std::string>{"fs0.sfs", "empty", "root/boot/x.efi"});
  CHECK(slurp(dir / "out/fs0.sfs") == "ab\ncd");
  CHECK(slurp(dir / "out/empty").empty());
  CHECK(slurp(dir / "out/root/boot/x.efi") == "xyz");
}

TEST_CASE("capture stream: truncated streams and unsafe names are refused", "[imgutil]") {
  TempDir dir;
  CHECK(error_of([&] { receive(dir, "motd only\n"); }) == "the stream ended early, before it started");
  CHECK(error_of([&] { receive(dir, "IMGUTIL-CAPTURE 1\nFILE 10 fs0.sfs\nshort"); }) ==
        "the stream ended early, in 'fs0.sfs'");
  CHECK(error_of([&] { receive(dir, "IMGUTIL-CAPTURE 1\nFILE 1 a\nx"); }) == "the stream ended early, after 'a'");
  for (const std::string name : {"../etc/passwd", "/etc/passwd", "a/../../b", "a//b", "with space", "."}) {
    INFO(name);
    CHECK_THAT(error_of([&] { receive(dir, "IMGUTIL-CAPTURE 1\nFILE 1 " + name + "\nxEND\n"); }),
               Catch::StartsWith("corrupt stream (file name '" + name + "'"));
  }
  CHECK(error_of([&] { receive(dir, "IMGUTIL-CAPTURE 1\nFILE 1 a\nxFILE 1 a\nyEND\n"); }) ==
        "corrupt stream (file 'a' sent twice)");
  CHECK(error_of([&] { receive(dir, "IMGUTIL-CAPTURE 1\nFILE -1 a\nEND\n"); }) == "corrupt stream (file size '-1')");
  CHECK(error_of([&] { receive(dir, "IMGUTIL-CAPTURE 1\nHELLO\n"); }) == "corrupt stream (unexpected line 'HELLO')");
  CHECK_FALSE(std::filesystem::exists(dir / "etc"));
}

TEST_CASE("capture payload: the shell function recreates the hook's files and modes", "[imgutil]") {
  TempDir dir;
  auto src = dir / "hook";
  put(src / "hooks/confluent", "#!/bin/sh\necho 'it''s' \"$1\"\nIMGUTIL_PAYLOAD_EOF\n");
  std::filesystem::permissions(src / "hooks/confluent", std::filesystem::perms(0755));
  put(src / "scripts/confluent", "no newline at the end");
  put(src / "scripts/empty", "");
  std::filesystem::create_directories(src / "conf.d");
  std::string payload = shell_payload(src);
  put(dir / "run.sh", payload + "imgutil_payload \"$1\"\n");
  std::filesystem::create_directories(dir / "dest dir");
  std::string why;
  REQUIRE(run_program({"sh", (dir / "run.sh").string(), (dir / "dest dir").string()}, &why));
  CHECK(slurp(dir / "dest dir/hooks/confluent") == slurp(src / "hooks/confluent"));
  CHECK((std::filesystem::status(dir / "dest dir/hooks/confluent").permissions() & std::filesystem::perms::mask) ==
        std::filesystem::perms(0755));
  CHECK(slurp(dir / "dest dir/scripts/confluent") == "no newline at the end\n");
  CHECK(slurp(dir / "dest dir/scripts/empty").empty());
  CHECK(std::filesystem::is_directory(dir / "dest dir/conf.d"));
  put(src / "bin/tool", std::string("\x7f"
                                    "ELF\0\0",
                                    6));
  CHECK_THAT(error_of([&] { shell_payload(src); }),
             Catch::EndsWith("bin/tool: not a text file, cannot be sent to the node"));
}

TEST_CASE("capture: words are quoted for the node's shell", "[imgutil]") {
  CHECK(shell_quote("6.1.0-26-amd64") == "'6.1.0-26-amd64'");
  CHECK(shell_quote("it's") == "'it'\\''s'");
}

TEST_CASE("capture fingerprint: the OS, its category and the kernel to boot", "[imgutil]") {
  NodeFingerprint fp = parse_fingerprint(kDebianJson);
  CHECK(fp.category == "debian");
  CHECK(fp.name == "Debian GNU/Linux");
  CHECK(fp.os.version_id == "12");
  CHECK(fp.arch == "x86_64");
  CHECK(fp.initramfs == "initramfs-tools");
  CHECK(os_description(fp) == "Debian GNU/Linux 12 (bookworm)");
  // The running kernel is not in /boot (a container): the newest there, rescue kernels aside.
  CHECK(capture_kernel(fp, "n1") == "6.1.0-26-amd64");
  fp.running_kernel = "6.1.0-9-amd64";
  CHECK(capture_kernel(fp, "n1") == "6.1.0-9-amd64");
  fp.kernels.clear();
  CHECK(error_of([&] { capture_kernel(fp, "n1"); }) == "node 'n1' has no kernel in /boot (vmlinuz-*)");
  CHECK(error_of([&] { check_prerequisites(fp, "n1"); }) ==
        "node 'n1' lacks what capture needs: apt install squashfs-tools busybox");
  fp.unmet_prereqs.clear();
  CHECK_NOTHROW(check_prerequisites(fp, "n1"));
  CHECK(install_hint("dnf", {"squashfs-tools", "device-mapper"}) == "dnf install squashfs-tools device-mapper");
  CHECK_THROWS_AS(parse_fingerprint("[1]"), Error);
  CHECK_THROWS_AS(parse_fingerprint(R"({"kernels": "6.1"})"), Error);
}

TEST_CASE("capture fingerprint: an OS without diskless templates is refused, naming it", "[imgutil]") {
  TempDir dir;
  ::setenv("CONFLUENT_OSDEPLOY_TEMPLATES", dir.path.c_str(), 1);
  NodeFingerprint fp = parse_fingerprint(kDebianJson);
  CHECK(error_of([&] { boot_hook_dir(fp, "n1"); }) ==
        "node 'n1' runs Debian GNU/Linux 12 (bookworm), which capture does not support: this installation has no "
        "debian-diskless templates in " +
            dir.path.string());
  std::filesystem::create_directories(dir / "debian-diskless/dracut");
  CHECK_THAT(error_of([&] { boot_hook_dir(fp, "n1"); }),
             Catch::EndsWith("debian-diskless/initramfs-tools (the initramfs-tools boot hook) is missing"));
  std::filesystem::create_directories(dir / "debian-diskless/initramfs-tools");
  CHECK(boot_hook_dir(fp, "n1") == dir / "debian-diskless/initramfs-tools");
  fp = parse_fingerprint(R"({"osrelease": "NAME=Plan9\nID=plan9\nVERSION_ID=4\n", "initramfs": "dracut"})");
  CHECK(error_of([&] { boot_hook_dir(fp, "n2"); }) ==
        "node 'n2' runs Plan9 4, which capture does not support: it is not an OS confluent deploys");
  ::unsetenv("CONFLUENT_OSDEPLOY_TEMPLATES");
}
