// What imgutil build decides before it runs anything: the target OS and architecture, the
// package list, and the dnf/yum and zypper command lines (which cannot run on this host).
#include "imgutil/build.h"

#include <algorithm>
#include <catch2/catch.hpp>

#include "base/error.h"
#include "base/strings.h"
#include "image_files.h"
#include "imgutil/build_rpm.h"
#include "imgutil/pkglist.h"

using namespace confluent;
using namespace confluent::imgutil;
using namespace imgtest;

namespace {

OsRelease os(const char* text) { return parse_os_release(text); }

}  // namespace

TEST_CASE("imgutil build target: the host's OS, or the -s source's distinfo.yaml", "[imgutil]") {
  BuildOptions o;
  BuildTarget t = build_target(o, os("ID=debian\nVERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\n"));
  CHECK(t.family == "deb");
  CHECK(t.category == "debian");
  CHECK(t.os.codename == "bookworm");
  CHECK(t.arch == host_arch());
  CHECK(t.source.empty());
  o.arch = "arm64";
  CHECK(build_target(o, os("ID=ubuntu\nVERSION_ID=\"24.04\"\n")).arch == "aarch64");
  CHECK_THROWS_WITH(build_target({}, os("ID=gentoo\n")), "Unable to recognize build system os");

  TempDir dir;
  put(dir / "rocky/distinfo.yaml",
      "name: rocky-9.4-x86_64\ndistro: rocky\nversion: '9.4'\narch: x86_64\ncategory: el9\n");
  BuildOptions s;
  s.source = (dir / "rocky").string();
  t = build_target(s, os("ID=debian\n"));
  CHECK(t.family == "el");
  CHECK(t.category == "el9");
  CHECK(t.os.version_id == "9.4");
  CHECK(t.source == dir / "rocky");
  s.arch = "aarch64";
  CHECK_THROWS_WITH(build_target(s, os("ID=debian\n")),
                    "Requested architecture aarch64 conflicts with source directory architecture x86_64");
  s.source = (dir / "nothing").string();
  CHECK_THROWS_WITH(build_target(s, os("ID=debian\n")), Catch::StartsWith("Unable to recognize source directory"));
  put(dir / "ubuntu/distinfo.yaml", "category: ubuntu22.04\narch: x86_64\n");
  s.source = (dir / "ubuntu").string();
  s.arch.clear();
  CHECK_THROWS_WITH(build_target(s, os("ID=debian\n")), Catch::Contains("-s is not supported for ubuntu22.04"));
}

TEST_CASE("imgutil build: -p names a file, or a list of the category", "[imgutil]") {
  TempDir dir;
  put(dir / "mine.list", "vim\n");
  CHECK(package_list_path("", "/data/debian") == "/data/debian/pkglist");
  CHECK(package_list_path((dir / "mine.list").string(), "/data/debian") == dir / "mine.list");
  CHECK(package_list_path("minimal", "/data/debian") == "/data/debian/minimal");
  CHECK(package_list_path("sub/list", "/data/debian") == std::filesystem::absolute("sub/list"));
}

TEST_CASE("imgutil build: the shipped Debian list gates the kernel by architecture", "[imgutil]") {
  auto list = imgutil_data_dir() / "debian/pkglist";
  REQUIRE(std::filesystem::exists(list));
  auto x86 = read_package_list(list, {"x86_64", "12"});
  CHECK(std::find(x86.begin(), x86.end(), "linux-image-amd64") != x86.end());
  CHECK(std::find(x86.begin(), x86.end(), "linux-image-arm64") == x86.end());
  CHECK(std::find(x86.begin(), x86.end(), "openssh-server") != x86.end());
  auto arm = read_package_list(list, {"aarch64", "12"});
  CHECK(std::find(arm.begin(), arm.end(), "linux-image-arm64") != arm.end());
  for (const char* category : {"debian13", "ubuntu22.04", "ubuntu24.04"}) {
    INFO(category);
    CHECK(!read_package_list(imgutil_data_dir() / category / "pkglist", {"x86_64", ""}).empty());
  }
}

TEST_CASE("imgutil build: a dnf/yum command line", "[imgutil]") {
  BuildOptions o;
  o.scratch = "/srv/img";
  o.repos = {"http://r1/repo,/nonexistent/path", "http://r2/"};
  BuildTarget t;
  t.family = "el";
  t.os.version_id = "9.4";
  t.arch = host_arch();
  auto argv = el_install_args("dnf", o, t, "/tmp/repos", {"kernel", "dracut"});
  CHECK(join(argv, " ") ==
        "dnf --repofrompath=addrepo-1,http://r1/repo --setopt=addrepo-1.gpgcheck=0 "
        "--repofrompath=addrepo-2,/nonexistent/path --setopt=addrepo-2.gpgcheck=0 "
        "--repofrompath=addrepo-3,http://r2/ --setopt=addrepo-3.gpgcheck=0 "
        "--installroot=/srv/img --releasever=9.4 install kernel dracut");
  o.repos.clear();
  o.non_interactive = true;
  t.source = "/var/lib/confluent/distributions/rocky-9.4-x86_64";
  t.arch = host_arch() == "aarch64" ? "x86_64" : "aarch64";
  argv = el_install_args("yum", o, t, "/tmp/repos", {"kernel"});
  CHECK(join(argv, " ") ==
        "yum -y --setopt=reposdir=/tmp/repos --disablerepo=* --enablerepo=genimage-* "
        "--installroot=/srv/img --releasever=9.4 --forcearch=" +
            t.arch + " install kernel");
}

TEST_CASE("imgutil build: EL repositories of a source, from repodata or .treeinfo", "[imgutil]") {
  TempDir dir;
  std::filesystem::create_directories(dir / "flat/repodata");
  CHECK(el_source_repos(dir / "flat") == "[genimage-topdir]\nname=Local install repository\nbaseurl=file://" +
                                             (dir / "flat").string() + "\nenabled=1\ngpgcheck=0\n\n");
  put(dir / "tree/.treeinfo",
      "[general]\nname = Rocky\n[variant-BaseOS]\nid = BaseOS\nrepository = BaseOS\n"
      "[variant-AppStream]\nrepository = ./AppStream\n[variant-empty]\nname = x\n");
  std::string repos = el_source_repos(dir / "tree");
  CHECK_THAT(repos, Catch::Contains("[genimage-baseos]\nname=Local install repository for BaseOS\nbaseurl=file://" +
                                    (dir / "tree/BaseOS").string()));
  CHECK_THAT(repos, Catch::Contains("[genimage-appstream]"));
  CHECK_THAT(repos, Catch::Contains("baseurl=file://" + (dir / "tree/AppStream").string() + "\n"));
  CHECK_THAT(repos, !Catch::Contains("genimage-empty"));
}

TEST_CASE("imgutil build: SUSE repositories of a source and its modules", "[imgutil]") {
  TempDir dir;
  std::filesystem::create_directories(dir / "sle/Module-Basesystem");
  std::filesystem::create_directories(dir / "sle/Module-HPC");
  BuildOptions o;
  o.repos = {"http://r/x"};
  BuildTarget t;
  t.source = dir / "sle";
  CHECK(suse_repositories(o, t) == std::vector<std::string>{"file://" + (dir / "sle").string(),
                                                            "file://" + (dir / "sle/Module-Basesystem").string(),
                                                            "file://" + (dir / "sle/Module-HPC").string(),
                                                            "file://" + (dir / "sle/Product-HPC").string(),
                                                            "http://r/x"});
}

TEST_CASE("imgutil build: an RPM family without its tools is refused by name", "[imgutil]") {
  BuildTarget t;
  t.family = "el";
  t.category = "el9";
  if (!find_program("dnf") && !find_program("yum"))
    CHECK_THROWS_WITH(require_rpm_tools(t), "cannot build el9 images: this host has neither dnf nor yum");
  t.family = "suse";
  t.category = "suse15";
  if (!find_program("zypper"))
    CHECK_THROWS_WITH(require_rpm_tools(t), "cannot build suse15 images: this host lacks zypper");
}
