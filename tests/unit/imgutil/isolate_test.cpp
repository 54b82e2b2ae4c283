// The isolation primitive: volume specs, paths followed inside an image root, binfmt checks,
// and run_constrained itself (a real fork into new namespaces: the tests run as root).
#include "imgutil/isolate.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <csignal>

#include "base/error.h"
#include "base/files.h"
#include "image_files.h"
#include "imgutil/os_release.h"

using namespace confluent;
using namespace confluent::imgutil;
using namespace imgtest;

TEST_CASE("imgutil volume: the three forms of -v", "[imgutil]") {
  Volume v = parse_volume("/srv/repo");
  CHECK(v.source == "/srv/repo");
  CHECK(v.target == "/run/external/srv/repo");
  v = parse_volume("/srv/repo/:/mnt/repo");
  CHECK(v.source == "/srv/repo");
  CHECK(v.target == "/mnt/repo");
  v = parse_volume("/var/lib/repository:-");
  CHECK(v.source == "/var/lib/repository");
  CHECK(v.target == "/var/lib/repository");
  CHECK(parse_volume("/").target == "/run/external");
  CHECK(parse_volume("/:/run/root").target == "/run/root");
  CHECK(parse_volume("/a:b/c").target == "/b/c");  // relative targets start at the image root
}

TEST_CASE("imgutil volume: relative sources become absolute", "[imgutil]") {
  Volume v = parse_volume("data/x");
  CHECK(v.source == (std::filesystem::current_path() / "data/x"));
  CHECK(v.target == "/run/external" / v.source.relative_path());
}

TEST_CASE("imgutil volume: empty sides and '..' targets are usage errors", "[imgutil]") {
  for (const char* bad : {"", ":/x", "/x:", "/x:/../etc", "/x:/a/../../etc"}) {
    INFO(bad);
    try {
      parse_volume(bad);
      FAIL("accepted");
    } catch (const Error& e) {
      CHECK(e.kind() == ErrorKind::Usage);
    }
  }
}

TEST_CASE("imgutil resolve_in_root: links are followed as the image sees them", "[imgutil]") {
  TempDir dir;
  auto root = dir.path / "root";
  std::filesystem::create_directories(root / "usr/lib");
  std::filesystem::create_directories(root / "run");
  put(root / "usr/lib/os-release", "ID=x\n");
  std::filesystem::create_directories(root / "etc");
  std::filesystem::create_symlink("../usr/lib/os-release", root / "etc/os-release");
  std::filesystem::create_symlink("/run/systemd/resolve/stub-resolv.conf", root / "etc/resolv.conf");
  std::filesystem::create_symlink("/etc", root / "etc/abs");
  std::filesystem::create_symlink("../../../../../../etc", root / "usr/up");
  CHECK(resolve_in_root(root, "/etc/os-release") == root / "usr/lib/os-release");
  CHECK(resolve_in_root(root, "/etc/resolv.conf") == root / "run/systemd/resolve/stub-resolv.conf");
  CHECK(resolve_in_root(root, "/etc/abs/os-release") == root / "usr/lib/os-release");
  CHECK(resolve_in_root(root, "/usr/up/passwd") == root / "etc/passwd");  // ".." stops at the root
  CHECK(resolve_in_root(root, "/../../etc/shadow") == root / "etc/shadow");
  CHECK(resolve_in_root(root, "/new/dir") == root / "new/dir");
}

TEST_CASE("imgutil resolve_in_root: a link loop is an error", "[imgutil]") {
  TempDir dir;
  std::filesystem::create_directories(dir.path / "etc");
  std::filesystem::create_symlink("/etc/b", dir.path / "etc/a");
  std::filesystem::create_symlink("/etc/a", dir.path / "etc/b");
  CHECK_THROWS_WITH(resolve_in_root(dir.path, "/etc/a/x"), Catch::Contains("too many levels of symbolic links"));
}

TEST_CASE("imgutil binfmt: the host's architecture needs no handler", "[imgutil]") {
  CHECK(binfmt_problem(host_arch(), "/nonexistent").empty());
}

TEST_CASE("imgutil binfmt: a foreign architecture needs an enabled qemu handler with F", "[imgutil]") {
  TempDir dir;
  std::string arch = host_arch() == "aarch64" ? "x86_64" : "aarch64";
  CHECK_THAT(binfmt_problem(arch, dir.path), Catch::Contains("binfmt_misc is not mounted"));
  put(dir / "status", "disabled\n");
  CHECK_THAT(binfmt_problem(arch, dir.path), Catch::Contains("binfmt_misc is disabled"));
  put(dir / "status", "enabled\n");
  CHECK_THAT(binfmt_problem(arch, dir.path), Catch::Contains("no binfmt_misc handler qemu-" + arch));
  put(dir / ("qemu-" + arch), "disabled\ninterpreter /usr/libexec/qemu-binfmt/" + arch + "-binfmt-P\nflags: PF\n");
  CHECK_THAT(binfmt_problem(arch, dir.path), Catch::Contains("is disabled"));
  put(dir / ("qemu-" + arch), "enabled\ninterpreter /usr/bin/qemu-" + arch + "-static\nflags: OC\noffset 0\n");
  CHECK_THAT(binfmt_problem(arch, dir.path), Catch::Contains("lacks the F flag"));
  put(dir / ("qemu-" + arch), "enabled\ninterpreter /usr/bin/qemu-" + arch + "-static\nflags: OCF\noffset 0\n");
  CHECK(binfmt_problem(arch, dir.path).empty());
}

TEST_CASE("imgutil check_status: a non-zero status is a StatusError naming the step", "[imgutil]") {
  CHECK_NOTHROW(check_status("apt-get update", 0));
  try {
    check_status("apt-get install", 100);
    FAIL("no throw");
  } catch (const StatusError& e) {
    CHECK(e.status() == 100);
    CHECK(std::string(e.what()) == "apt-get install failed with exit code 100");
  }
}

TEST_CASE("imgutil run_constrained: the child is PID 1 and its status comes back", "[imgutil]") {
  CHECK(run_constrained([] { return getpid() == 1 ? 0 : 1; }) == 0);
  CHECK(run_constrained([] { return 3; }) == 3);
  CHECK(run_constrained([] { return 77; }) == 77);
  // /proc is the new namespace's: only PID 1 (and nothing of the host) is there.
  CHECK(run_constrained([] { return std::filesystem::exists("/proc/2") ? 1 : 0; }) == 0);
}

TEST_CASE("imgutil run_constrained: a signal death is 128+N", "[imgutil]") {
  // PID 1 ignores signals sent from inside its namespace; one the kernel forces (an illegal
  // instruction, which no sanitizer intercepts once SIGILL is back to its default) kills it.
  CHECK(run_constrained([]() -> int {
          std::signal(SIGILL, SIG_DFL);
          __builtin_trap();
        }) == 128 + SIGILL);
}

TEST_CASE("imgutil run_constrained: errors thrown in the child are thrown again", "[imgutil]") {
  try {
    run_constrained([]() -> int { throw Error(ErrorKind::NotFound, "volume /x: no such file or directory"); });
    FAIL("no throw");
  } catch (const StatusError&) {
    FAIL("not a StatusError");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::NotFound);
    CHECK(std::string(e.what()) == "volume /x: no such file or directory");
  }
  try {
    run_constrained([]() -> int { throw StatusError(127, "x: command not found in the image"); });
    FAIL("no throw");
  } catch (const StatusError& e) {
    CHECK(e.status() == 127);
    CHECK(std::string(e.what()) == "x: command not found in the image");
  }
}

TEST_CASE("imgutil run_constrained: mounts made in the child stay in its namespace", "[imgutil]") {
  TempDir dir;
  std::filesystem::create_directories(dir.path / "mnt");
  int status = run_constrained([&] {
    run_program_or_throw({"mount", "-t", "tmpfs", "tmpfs", (dir.path / "mnt").string()});
    return 0;
  });
  CHECK(status == 0);
  CHECK(read_file("/proc/self/mountinfo").find(dir.path.string()) == std::string::npos);
}
