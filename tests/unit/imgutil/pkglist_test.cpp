// Package lists as confluent's imgutil reads them: words, comments, %onlyarch/%onlyversions
// gates that replace each other, includes relative to the including list, and clear errors
// for cycles, missing lists and malformed directives.
#include "imgutil/pkglist.h"

#include <catch2/catch.hpp>

#include "base/error.h"
#include "image_files.h"

using namespace confluent;
using namespace confluent::imgutil;
using namespace imgtest;

namespace {

using Names = std::vector<std::string>;

const PackageTarget kEl9{"x86_64", "9.4"};

// confluent's own ubuntu list ends like this.
const char* kUbuntuTail =
    "tpm2-tools\n"
    "%onlyversions 26.04\n"
    "libfuse2t64\n"
    "%onlyarch x86_64\n"
    "grub-efi-amd64-bin\n"
    "%onlyarch aarch64\n"
    "grub-efi-arm64-bin\n";

}  // namespace

TEST_CASE("imgutil package list: names separated by any whitespace, '#' comments anywhere", "[imgutil]") {
  TempDir dir;
  put(dir / "pkglist", "dnf hostname\n\n  less\tsudo  # the rest is a comment: notapackage\n# whole line\r\nvim#x y\n");
  CHECK(read_package_list(dir / "pkglist", kEl9) == Names{"dnf", "hostname", "less", "sudo", "vim"});
  put(dir / "dups", "tar nfs-utils\ntar\n");
  CHECK(read_package_list(dir / "dups", kEl9) == Names{"tar", "nfs-utils", "tar"});  // as confluent passes them
}

TEST_CASE("imgutil package list: each gate replaces the one before, for the rest of the file", "[imgutil]") {
  TempDir dir;
  put(dir / "pkglist", kUbuntuTail);
  CHECK(read_package_list(dir / "pkglist", {"x86_64", "26.04"}) ==
        Names{"tpm2-tools", "libfuse2t64", "grub-efi-amd64-bin"});
  CHECK(read_package_list(dir / "pkglist", {"x86_64", "24.04"}) == Names{"tpm2-tools", "grub-efi-amd64-bin"});
  CHECK(read_package_list(dir / "pkglist", {"aarch64", "24.04"}) == Names{"tpm2-tools", "grub-efi-arm64-bin"});
  put(dir / "multi", "%onlyarch ppc64le x86_64 # several values\na\n%onlyversions 8.10 9.4\nb\n");
  CHECK(read_package_list(dir / "multi", kEl9) == Names{"a", "b"});
  CHECK(read_package_list(dir / "multi", {"aarch64", "9.4"}) == Names{"b"});
  CHECK(read_package_list(dir / "multi", {"x86_64", "9"}) == Names{"a"});  // exact values, not prefixes
}

TEST_CASE("imgutil package list: includes resolve beside the including list and start ungated", "[imgutil]") {
  TempDir dir;
  put(dir / "lists/main", "first <common\n%onlyarch aarch64\n<armonly>\n%onlyarch x86_64\n<sub/extra>\nlast\n");
  put(dir / "lists/common", "%onlyarch aarch64\narmcommon\n");
  put(dir / "lists/armonly", "armpkg\n");
  put(dir / "lists/sub/extra", "extra <deeper\n");
  put(dir / "lists/sub/deeper", "deep\n");
  put(dir / "abs", "absolute\n");
  CHECK(read_package_list(dir / "lists/main", kEl9) == Names{"first", "extra", "deep", "last"});
  CHECK(read_package_list(dir / "lists/main", {"aarch64", "9.4"}) == Names{"first", "armcommon", "armpkg"});
  put(dir / "lists/absolute", "<" + (dir / "abs").string() + " <" + (dir / "abs").string() + ">\n");
  CHECK(read_package_list(dir / "lists/absolute", kEl9) == Names{"absolute", "absolute"});
}

TEST_CASE("imgutil package lists: added lists follow the main one", "[imgutil]") {
  TempDir dir;
  put(dir / "main", "a b\n");
  put(dir / "add1", "c\n");
  put(dir / "add2", "%onlyarch aarch64\nd\n");
  CHECK(read_package_lists(dir / "main", {dir / "add1", dir / "add2"}, kEl9) == Names{"a", "b", "c"});
}

TEST_CASE("imgutil package list: include cycles are reported with the chain", "[imgutil]") {
  TempDir dir;
  put(dir / "a", "x <b\n");
  put(dir / "b", "y <a\n");
  const std::string a = (dir / "a").string(), b = (dir / "b").string();
  CHECK_THROWS_WITH(read_package_list(dir / "a", kEl9), "package list include cycle: " + a + " -> " + b + " -> " + a);
  put(dir / "self", "<self>\n");
  CHECK_THROWS_WITH(read_package_list(dir / "self", kEl9), Catch::StartsWith("package list include cycle: "));
  put(dir / "twice", "<c <c\n");
  put(dir / "c", "z\n");
  CHECK(read_package_list(dir / "twice", kEl9) == Names{"z", "z"});  // the same list twice is no cycle
}

TEST_CASE("imgutil package list: missing lists and bad lines name the file and line", "[imgutil]") {
  TempDir dir;
  const std::string main = (dir / "main").string();
  CHECK_THROWS_WITH(read_package_list(dir / "main", kEl9), main + ": cannot read (No such file or directory)");
  put(dir / "main", "a\nb <missing\n");
  CHECK_THROWS_WITH(read_package_list(dir / "main", kEl9),
                    main + ":2: " + (dir / "missing").string() + ": cannot read (No such file or directory)");
  put(dir / "main", "a\n%onlyarch\n");
  CHECK_THROWS_WITH(read_package_list(dir / "main", kEl9), main + ":2: %onlyarch needs at least one value");
  put(dir / "main", "%onlyarchs x86_64\n");
  CHECK_THROWS_WITH(read_package_list(dir / "main", kEl9),
                    main + ":1: unknown directive '%onlyarchs' (only %onlyarch, %onlyversions)");
  put(dir / "main", "a < b\n");
  CHECK_THROWS_WITH(read_package_list(dir / "main", kEl9), main + ":1: '<' includes no file");
  put(dir / "main", "<>\n");
  CHECK_THROWS_WITH(read_package_list(dir / "main", kEl9), main + ":1: '<>' includes no file");
  put(dir / "inner", "%bogus\n");
  put(dir / "main", "\n\n<inner\n");
  CHECK_THROWS_WITH(read_package_list(dir / "main", kEl9), main + ":3: " + (dir / "inner").string() +
                                                               ":1: unknown directive '%bogus' (only %onlyarch, "
                                                               "%onlyversions)");
}

TEST_CASE("imgutil package list: a gate closed by an earlier line skips bad includes too", "[imgutil]") {
  TempDir dir;
  put(dir / "main", "%onlyarch s390x\n<does-not-exist\n%onlyversions 9.4\nok\n");
  CHECK(read_package_list(dir / "main", kEl9) == Names{"ok"});
}
