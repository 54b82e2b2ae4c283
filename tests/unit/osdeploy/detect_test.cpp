// Media detection and extraction on real ISO 9660 images: each family's layout is built by
// tests/integration/osdeploy/make_iso.sh (xorriso), edge cases by xorriso on a tree made here.
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <map>
#include <random>
#include <sstream>

#include "base/error.h"
#include "osdeploy/iso.h"
#include "osdeploy/media.h"

namespace fs = std::filesystem;
namespace od = confluent::osdeploy;
using confluent::Error;
using confluent::ErrorKind;

namespace {

struct TempDir {
  fs::path path;
  TempDir() {
    char tmpl[] = "/tmp/osdeploy-test-XXXXXX";
    path = mkdtemp(tmpl);
  }
  ~TempDir() { fs::remove_all(path); }
};

int run(const std::string& command) { return std::system((command + " >/dev/null 2>&1").c_str()); }

std::string quote(const fs::path& p) { return "'" + p.string() + "'"; }

// Each family's ISO, built once per run and shared by the test cases.
const fs::path& family_iso(const std::string& family) {
  static TempDir dir;
  static std::map<std::string, fs::path> built;
  auto it = built.find(family);
  if (it != built.end()) return it->second;
  fs::path script = fs::path(__FILE__).parent_path() / "../../integration/osdeploy/make_iso.sh";
  fs::path out = dir.path / (family + ".iso");
  REQUIRE(run("bash " + quote(script) + " " + family + " " + quote(out)) == 0);
  return built[family] = out;
}

void write(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path) << text;
}

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

fs::path make_iso(const fs::path& tree, const fs::path& out) {
  REQUIRE(run("xorriso -as mkisofs -quiet -R -J -o " + quote(out) + " " + quote(tree)) == 0);
  return out;
}

// An ISO from {path: content}; a content starting with "->" makes a symlink.
fs::path iso_of(const TempDir& tmp, const std::map<std::string, std::string>& files) {
  fs::path tree = tmp.path / "tree";
  fs::remove_all(tree);
  fs::create_directories(tree);
  for (const auto& [path, content] : files) {
    if (content.rfind("->", 0) == 0) {
      fs::create_directories((tree / path).parent_path());
      fs::create_symlink(content.substr(2), tree / path);
    } else {
      write(tree / path, content);
    }
  }
  return make_iso(tree, tmp.path / "custom.iso");
}

// "kind: message" of the confluent::Error `f` throws, or "" when it throws nothing.
template <typename F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    const char* kind = e.kind() == ErrorKind::Invalid    ? "invalid"
                       : e.kind() == ErrorKind::NotFound ? "notfound"
                                                         : "other";
    return std::string(kind) + ": " + e.what();
  }
  return "";
}

fs::path copy_of(const fs::path& iso, const TempDir& tmp, const std::string& name) {
  fs::path out = tmp.path / name;
  fs::copy_file(iso, out, fs::copy_options::overwrite_existing);
  return out;
}

bool nothing_left(const fs::path& dest) {
  if (!fs::exists(dest.parent_path())) return true;
  for (const auto& e : fs::directory_iterator(dest.parent_path())) {
    if (e.path().filename().string().rfind(dest.filename().string(), 0) == 0) return false;
  }
  return true;
}

unsigned mode_of(const fs::path& p) {
  struct stat st {};
  REQUIRE(::lstat(p.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

}  // namespace

TEST_CASE("identify: every family's media gets confluent's name and category", "[osdeploy]") {
  struct Want {
    const char* family;
    const char* name;
    const char* distro;
    const char* version;
    const char* category;
    const char* method;
  };
  const Want wants[] = {
      {"rhel9", "rhel-9.4-x86_64", "rhel", "9.4", "el9", "full"},
      {"rocky9", "rocky-9.4-x86_64", "rocky", "9.4", "el9", "full"},  // noarch RPM: arch from .discinfo
      {"alma9", "alma-9.4-x86_64", "alma", "9.4", "el9", "full"},
      {"centos_stream9", "centos_stream-9.0-x86_64", "centos_stream", "9.0", "el9", "full"},
      {"fedora41", "fedora-41-x86_64", "fedora", "41", "el10", "full"},
      {"ubuntu22.04", "ubuntu-22.04.4-x86_64", "ubuntu", "22.04.4", "ubuntu22.04", "ubuntu"},
      {"sles15", "sle-15.5-x86_64", "sle", "15.5", "suse15", "full"},
      {"leap15", "opensuse_leap-15.5-x86_64", "opensuse_leap", "15.5", "suse15", "full"},
      {"debian12", "debian-12.5-x86_64", "debian", "12.5", "debian", "full"},
      {"esxi8", "esxi-8.0U2", "esxi", "8.0U2", "esxi8", "full"},
      {"coreos", "rhcos-414.92.202310210434-x86_64", "rhcos", "414.92.202310210434", "coreos", "full"},
  };
  for (const auto& w : wants) {
    INFO(w.family);
    od::MediaInfo m = od::identify(family_iso(w.family));
    CHECK(m.name == w.name);
    CHECK(m.distro == w.distro);
    CHECK(m.version == w.version);
    CHECK(m.arch == "x86_64");
    CHECK(m.category == w.category);
    CHECK(m.method == w.method);
  }
}

TEST_CASE("identify: bad, unknown and missing media give one clear error", "[osdeploy]") {
  TempDir tmp;
  fs::path bad = family_iso("bad"), unknown = family_iso("unknown");
  CHECK(error_of([&] { od::identify(unknown); }) == "invalid: Unsupported Media");
  CHECK(error_of([&] { od::identify(bad); }) == "invalid: " + bad.string() + ": not an ISO 9660 image");
  CHECK(error_of([&] { od::identify(tmp.path / "none.iso"); }) ==
        "notfound: " + (tmp.path / "none.iso").string() + ": no such file");
  CHECK(error_of([&] { od::identify(tmp.path); }) == "invalid: " + tmp.path.string() + ": not an ISO 9660 image");
}

TEST_CASE("identify: a truncated image is refused before any extraction", "[osdeploy]") {
  TempDir tmp;
  for (const char* family : {"rhel9", "debian12"}) {
    fs::path iso = copy_of(family_iso(family), tmp, std::string(family) + "-half.iso");
    fs::resize_file(iso, fs::file_size(iso) / 2);
    CHECK_THAT(error_of([&] { od::identify(iso); }),
               Catch::StartsWith("invalid: " + iso.string() + ": not a readable ISO image (image is truncated: "));
  }
}

TEST_CASE("identify: a garbage directory tree is reported with libarchive's words", "[osdeploy]") {
  TempDir tmp;
  fs::path iso = copy_of(family_iso("rhel9"), tmp, "corrupt.iso");
  // Point the root directory of every volume descriptor (ISO 9660 and Joliet) past the end.
  std::string bytes = slurp(iso);
  for (std::size_t sector = 16; sector < 20; ++sector) {
    std::size_t d = sector * 2048;
    if (bytes.compare(d + 1, 5, "CD001") != 0 || (bytes[d] != 1 && bytes[d] != 2)) continue;
    for (std::size_t i = 0; i < 3; ++i) bytes[d + 156 + 2 + i] = bytes[d + 156 + 9 - i] = '\xff';
  }
  std::ofstream(iso, std::ios::binary | std::ios::trunc) << bytes;
  CHECK_THAT(error_of([&] { od::identify(iso); }),
             Catch::StartsWith("invalid: " + iso.string() + ": not a readable ISO image (") && Catch::EndsWith(")"));
}

TEST_CASE("identify: random damage to the directory sectors never crashes or hangs", "[osdeploy]") {
  // Sectors 19 on: path tables, directory records and Rock Ridge areas (16-18 are the
  // volume descriptors, whose damage the magic check already covers).
  TempDir tmp;
  std::string pristine = slurp(family_iso("ubuntu22.04"));
  std::mt19937 rng(42);
  fs::path iso = tmp.path / "fuzz.iso";
  int refused = 0;
  for (int round = 0; round < 150; ++round) {
    std::string bytes = pristine;
    std::uniform_int_distribution<std::size_t> where(std::size_t{19} * 2048, std::size_t{60} * 2048);
    for (int i = 0; i < 1 + round % 12; ++i) bytes[where(rng)] = static_cast<char>(rng());
    std::ofstream(iso, std::ios::binary | std::ios::trunc) << bytes;
    std::string err = error_of([&] { od::identify(iso); });
    if (!err.empty()) {
      ++refused;
      CHECK(err.find('\n') == std::string::npos);
    }
  }
  CHECK(refused > 0);  // the damage did reach the parser
}

TEST_CASE("identify: version rules beyond the stock families", "[osdeploy]") {
  TempDir tmp;
  auto id = [&](const std::map<std::string, std::string>& files) { return od::identify(iso_of(tmp, files)); };
  // Debian's netboot mini.iso hides the point release in the build tag; 13 has its own profiles.
  CHECK(id({{".disk/info", "Debian GNU/Linux 12 \"Bookworm\" amd64 mini.iso 20230607+deb12u10"}}).name ==
        "debian-12.10-x86_64");
  auto trixie = id({{".disk/info", "Debian GNU/Linux 13.1.0 \"Trixie\" - Official amd64 NETINST 20250906-10:22"}});
  CHECK(trixie.name == "debian-13.1-x86_64");
  CHECK(trixie.category == "debian13");
  CHECK(id({{".disk/info", "Ubuntu-Server 24.04 LTS \"Noble Numbat\" - Release arm64 (20240423)"}}).name ==
        "ubuntu-24.04-aarch64");
  CHECK(id({{"media.1/products", "/ Leap 15.6-0"}, {"boot/x86_64/loader/linux", "k"}}).name ==
        "opensuse_leap-15.6-x86_64");
  // EL7 release RPMs spell the minor release after a dash.
  auto c7 = id({{"Packages/centos-release-7-9.2009.0.el7.centos.x86_64.rpm", "r"}});
  CHECK(c7.name == "centos-7.9-x86_64");
  CHECK(c7.category == "el7");
  CHECK(id({{"Packages/redhat-release-server-7.9-5.el7.x86_64.rpm", "r"}}).name == "rhel-7.9-x86_64");
  CHECK(id({{"BaseOS/Packages/oraclelinux-release-8.9-1.0.4.el8.x86_64.rpm", "r"},
            {"BaseOS/Packages/redhat-release-8.9-0.el8.x86_64.rpm", "r"}})
            .distro == "oraclelinux");
  CHECK(id({{".discinfo", "1700000000.0\nRHVH 4.5\nx86_64\n"}}).name == "rhvh-4.5-x86_64");
  // ESXi media without .DISCINFO: the build number in BOOT.CFG, whose third part is the update.
  auto esxi =
      id({{"BOOT.CFG", "bootstate=0\ntitle=Loading ESXi installer\nkernel=/b.b00\nbuild=7.0.3-0.0.21424296\n"}});
  CHECK(esxi.name == "esxi-7.0U3");
  CHECK(esxi.category == "esxi7");
  CHECK(id({{"zipl.prm", "coreos.liveiso=fedora-coreos-40.20240616.3.0 ignition.firstboot"}}).name ==
        "fedoracoreos-40.20240616.3.0-x86_64");
  // Fedora releases without an EL profile family, and a release RPM of an unknown major.
  CHECK(error_of([&] { id({{".discinfo", "1700000000.0\nFedora 40\nx86_64\n"}}); }) == "invalid: Unsupported Media");
  CHECK(error_of([&] {
          id({{"Packages/rocky-release-99999999999.0-1.noarch.rpm", "r"}});
        }) == "invalid: Unsupported Media");
}

TEST_CASE("identify: paths and symlinks leaving the image refuse the media", "[osdeploy]") {
  TempDir tmp;
  fs::path escape = iso_of(tmp, {{".disk/info", "Debian GNU/Linux 12.5.0 amd64"}, {"a/b", "->../../etc/passwd"}});
  CHECK(error_of([&] { od::identify(escape); }) ==
        "invalid: " + escape.string() + ": refusing symlink 'a/b' -> '../../etc/passwd' pointing outside the image");
  fs::path absolute = iso_of(tmp, {{"etc", "->/etc"}});
  CHECK_THAT(error_of([&] { od::identify(absolute); }), Catch::Contains("refusing symlink 'etc' -> '/etc'"));
  // A Rock Ridge name of ".." (patched in: no file system can hold one) as libarchive reads it.
  fs::path dots = iso_of(tmp, {{"sub/QQ", "secret"}, {".disk/info", "Debian GNU/Linux 12.5.0 amd64"}});
  std::string bytes = slurp(dots);
  auto nm = bytes.find(std::string("NM\x07\x01\x00QQ", 7));
  REQUIRE(nm != std::string::npos);
  bytes.replace(nm + 5, 2, "..");
  std::ofstream(dots, std::ios::binary | std::ios::trunc) << bytes;
  CHECK(error_of([&] { od::identify(dots); }) ==
        "invalid: " + dots.string() + ": refusing path 'sub/..' with '..' in the image");
  CHECK(od::iso::clean_path("x.iso", "./a//b/./c/") == "a/b/c");
  CHECK(error_of([&] { od::iso::clean_path("x.iso", "/etc/passwd"); }) ==
        "invalid: x.iso: refusing absolute path '/etc/passwd' in the image");
}

TEST_CASE("extract: the full method copies everything but TRANS.TBL with web-server modes", "[osdeploy]") {
  TempDir tmp;
  fs::path iso = family_iso("rhel9"), dest = tmp.path / "dist" / "rhel-9.4-x86_64";
  od::MediaInfo info = od::identify(iso);
  std::vector<std::pair<std::string, double>> calls;
  od::extract(iso, info, dest, [&](const std::string& phase, double pct) { calls.emplace_back(phase, pct); });
  CHECK(fs::file_size(dest / "images/pxeboot/vmlinuz") == 8192);
  CHECK(fs::exists(dest / "BaseOS/Packages/redhat-release-9.4-0.5.el9.x86_64.rpm"));
  CHECK(fs::exists(dest / "EFI/BOOT/BOOTX64.EFI"));
  CHECK_FALSE(fs::exists(dest / "BaseOS/Packages/TRANS.TBL"));
  CHECK(mode_of(dest) == 0755);
  CHECK(mode_of(dest / "images/pxeboot") == 0755);
  CHECK(mode_of(dest / ".discinfo") == 0644);
  CHECK(slurp(dest / "distinfo.yaml") ==
        "name: rhel-9.4-x86_64\ndistro: rhel\nversion: 9.4\narch: x86_64\n"
        "category: el9\nmethod: full\nimportedfile: " +
            iso.string() + "\n");
  REQUIRE_FALSE(calls.empty());
  CHECK(calls.back() == std::make_pair(std::string("complete"), 100.0));
  CHECK(nothing_left(tmp.path / "dist" / "x"));  // no .importing-* sibling
  CHECK(error_of([&] { od::extract(iso, info, dest, nullptr); }) == "invalid: " + dest.string() + " already exists");
}

TEST_CASE("extract: Debian keeps its symlinks and the real installer kernel", "[osdeploy]") {
  TempDir tmp;
  fs::path iso = family_iso("debian12"), dest = tmp.path / "debian-12.5-x86_64";
  od::extract(iso, od::identify(iso), dest, nullptr);
  const fs::path images = "/usr/lib/debian-installer/images/12/amd64/text/debian-installer/amd64";
  CHECK(slurp(dest / "install.amd/vmlinuz") == slurp(images / "linux"));
  CHECK(fs::file_size(dest / "install.amd/initrd.gz") == fs::file_size(images / "initrd.gz"));
  CHECK(fs::read_symlink(dest / "debian") == ".");
  CHECK(fs::read_symlink(dest / "dists/stable") == "bookworm");
  CHECK(fs::exists(dest / "dists/stable/Release"));
}

TEST_CASE("extract: Ubuntu keeps the boot files only, plus the whole ISO", "[osdeploy]") {
  TempDir tmp;
  fs::path iso = family_iso("ubuntu22.04"), dest = tmp.path / "ubuntu-22.04.4-x86_64";
  double last = -1;
  bool monotonic = true;
  od::extract(iso, od::identify(iso), dest, [&](const std::string&, double pct) {
    monotonic = monotonic && pct >= last && pct <= 100.0;
    last = pct;
  });
  CHECK(monotonic);
  for (const char* kept :
       {"casper/vmlinuz", "casper/initrd", "casper/hwe-vmlinuz", "casper/hwe-initrd", "EFI/boot/bootx64.efi",
        "EFI/boot/grubx64.efi", "boot/grub/grub.cfg", "boot/grub/x86_64-efi/linux.mod", "distinfo.yaml"}) {
    CHECK(fs::exists(dest / kept));
  }
  for (const char* dropped : {"casper/ubuntu-server-minimal.squashfs", "dists", "pool", ".disk", "ubuntu"}) {
    CHECK_FALSE(fs::exists(fs::symlink_status(dest / dropped)));
  }
  CHECK(slurp(dest / "install.iso") == slurp(iso));
  CHECK(mode_of(dest / "install.iso") == 0644);
}

TEST_CASE("extract: hard-linked files are written under every wanted name", "[osdeploy]") {
  TempDir tmp;
  fs::path tree = tmp.path / "tree";
  write(tree / "pool/linux-image.bin", "kernel bytes");
  write(tree / ".disk/info", "Ubuntu-Server 22.04.4 LTS \"Jammy Jellyfish\" - Release amd64 (20240220)");
  fs::create_directories(tree / "casper");
  fs::create_hard_link(tree / "pool/linux-image.bin", tree / "casper/vmlinuz");
  fs::path iso = make_iso(tree, tmp.path / "links.iso");
  od::MediaInfo info = od::identify(iso);
  REQUIRE(info.method == "ubuntu");
  od::extract(iso, info, tmp.path / "ubuntu", nullptr);
  CHECK(slurp(tmp.path / "ubuntu/casper/vmlinuz") == "kernel bytes");
  CHECK_FALSE(fs::exists(tmp.path / "ubuntu/pool"));
  info.method = "full";
  od::extract(iso, info, tmp.path / "full", nullptr);
  CHECK(slurp(tmp.path / "full/casper/vmlinuz") == "kernel bytes");
  CHECK(slurp(tmp.path / "full/pool/linux-image.bin") == "kernel bytes");
}

TEST_CASE("extract: failures leave nothing behind", "[osdeploy]") {
  TempDir tmp;
  // Truncated: libarchive notices while skipping over the missing data, before any write.
  fs::path half = copy_of(family_iso("debian12"), tmp, "half.iso");
  fs::resize_file(half, fs::file_size(half) / 2);
  od::MediaInfo info = od::identify(family_iso("debian12"));
  fs::path dest = tmp.path / "out" / "debian";
  CHECK_THAT(error_of([&] { od::extract(half, info, dest, nullptr); }),
             Catch::StartsWith("invalid: " + half.string() + ": not a readable ISO image ("));
  CHECK(nothing_left(dest));
  // Symlinks that only escape once resolved through another link ("d -> ..", "e -> d/..").
  fs::path chained =
      iso_of(tmp, {{".disk/info", "Debian GNU/Linux 12.5.0 amd64"}, {"sub/d", "->.."}, {"sub/e", "->d/.."}});
  info = od::identify(chained);
  CHECK(error_of([&] { od::extract(chained, info, dest, nullptr); }) ==
        "invalid: " + chained.string() + ": refusing symlink 'sub/e' pointing outside the image");
  CHECK(nothing_left(dest));
}
