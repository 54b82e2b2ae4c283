// os-release as imgutil reads it: quoting, the confluent category, the family, and the
// spellings of architectures.
#include "imgutil/os_release.h"

#include <catch2/catch.hpp>

#include "image_files.h"

using namespace confluent::imgutil;
using namespace imgtest;

TEST_CASE("imgutil os-release: values are unquoted as a shell would", "[imgutil]") {
  OsRelease os = parse_os_release(
      "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\n"
      "VERSION_CODENAME=bookworm\nID=debian\n# ID=ubuntu\nID_LIKE='rhel fedora'\n");
  CHECK(os.pretty_name == "Debian GNU/Linux 12 (bookworm)");
  CHECK(os.version_id == "12");
  CHECK(os.codename == "bookworm");
  CHECK(os.id == "debian");
  CHECK(os.id_like == "rhel fedora");
  CHECK(parse_os_release("PRETTY_NAME=\"say \\\"hi\\\"\"\n").pretty_name == "say \"hi\"");
  CHECK(parse_os_release("UBUNTU_CODENAME=noble\n").codename == "noble");
}

TEST_CASE("imgutil os-release: categories as confluent names them", "[imgutil]") {
  auto category = [](const char* text) { return os_category(parse_os_release(text)); };
  CHECK(category("ID=debian\nVERSION_ID=\"12\"\n") == "debian");
  CHECK(category("ID=debian\nVERSION_ID=\"13\"\n") == "debian13");
  CHECK(category("ID=debian\n") == "debian");  // testing/sid have no VERSION_ID
  CHECK(category("ID=ubuntu\nVERSION_ID=\"24.04\"\n") == "ubuntu24.04");
  CHECK(category("ID=\"rocky\"\nVERSION_ID=\"9.4\"\n") == "el9");
  CHECK(category("ID=\"almalinux\"\nVERSION_ID=\"8.10\"\n") == "el8");
  CHECK(category("ID=\"myel\"\nID_LIKE=\"rhel centos fedora\"\nVERSION_ID=\"10.0\"\n") == "el10");
  CHECK(category("ID=\"sles\"\nVERSION_ID=\"15.5\"\n") == "suse15");
  CHECK(category("ID=\"opensuse-leap\"\nVERSION_ID=\"15.6\"\n") == "suse15");
  CHECK(category("ID=arch\n") == "");
  CHECK(os_family(parse_os_release("ID=ubuntu\n")) == "deb");
  CHECK(os_family(parse_os_release("ID=sle_hpc\n")) == "suse");
  CHECK(os_family(parse_os_release("ID=gentoo\n")) == "");
}

TEST_CASE("imgutil os-release: read from etc, else usr/lib, links kept inside the image", "[imgutil]") {
  TempDir dir;
  CHECK(read_os_release(dir.path).id.empty());
  put(dir / "usr/lib/os-release", "ID=ubuntu\n");
  CHECK(read_os_release(dir.path).id == "ubuntu");
  std::filesystem::create_directories(dir / "etc");
  std::filesystem::create_symlink("/usr/lib/os-release", dir / "etc/os-release");  // absolute: the image's
  put(dir / "usr/lib/os-release", "ID=debian\n");
  CHECK(read_os_release(dir.path).id == "debian");
}

TEST_CASE("imgutil arch: Debian and kernel spellings", "[imgutil]") {
  CHECK(normalize_arch("amd64") == "x86_64");
  CHECK(normalize_arch("arm64") == "aarch64");
  CHECK(normalize_arch("ppc64el") == "ppc64le");
  CHECK(normalize_arch("x86_64") == "x86_64");
  CHECK(debian_arch("x86_64") == "amd64");
  CHECK(debian_arch("aarch64") == "arm64");
  CHECK(debian_arch("arm64") == "arm64");
  CHECK(debian_arch("ppc64le") == "ppc64el");
  CHECK(!host_arch().empty());
}
