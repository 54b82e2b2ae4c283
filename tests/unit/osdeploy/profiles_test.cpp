// Stock profiles made from fake media trees of each family, with the project's own
// templates, in a private state root; boot.img is read back with mtools.
#include "osdeploy/profiles.h"

#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "base/error.h"

using namespace confluent;
using namespace confluent::osdeploy;

namespace {

#ifdef CONFLUENT_SOURCE_DIR
const fs::path kSourceDir = CONFLUENT_SOURCE_DIR;
#else
const fs::path kSourceDir = fs::path(__FILE__).parent_path().parent_path().parent_path().parent_path();
#endif

struct Root {
  fs::path dir, templates;
  // `copy_templates`: a private copy that a test may change (rebase), else the source tree's.
  explicit Root(bool copy_templates = false) {
    char tmpl[] = "/tmp/confluent-osdeploy.XXXXXX";
    dir = mkdtemp(tmpl);
    setenv("CONFLUENT_ROOT", dir.c_str(), 1);
    setenv("MTOOLS_SKIP_CHECK", "1", 1);
    templates = kSourceDir / "libcommon/osdeploy/templates";
    if (copy_templates) {
      fs::copy(templates, dir / "templates", fs::copy_options::recursive);
      templates = dir / "templates";
    }
    setenv("CONFLUENT_OSDEPLOY_TEMPLATES", templates.c_str(), 1);
    put(site_dir() / "initramfs.cpio", "070701 site content");
    put(site_dir() / "initramfs.tgz", "site tgz");
  }
  ~Root() { fs::remove_all(dir); }
  static void put(const fs::path& file, const std::string& text) {
    fs::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << text;
  }
};

std::string slurp(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string run(const std::string& command) {
  std::string out;
  FILE* p = popen(command.c_str(), "r");
  char buf[4096];
  for (size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
  CHECK(pclose(p) == 0);
  return out;
}

// Every path in a FAT image, one per line ("::/kernel").
std::string image_listing(const fs::path& image) { return run("mdir -/ -b -i " + image.string() + " ::"); }

MediaInfo media(const std::string& distro, const std::string& version, const std::string& category,
                const std::string& arch = "x86_64") {
  return {distro, version, arch, category, distro + "-" + version + "-" + arch, "full"};
}

// A string literal with its NUL bytes.
template <size_t N>
std::string bytes(const char (&text)[N]) {
  return std::string(text, N - 1);
}

// A fake media tree under distributions/: each file holds its own name, and a GRUB binary
// announces a recent version.
fs::path distribution(const std::string& name, const std::vector<std::string>& files) {
  fs::path d = distributions_dir() / name;
  for (const auto& f : files)
    Root::put(d / f, f == "EFI/BOOT/grubx64.efi" ? bytes("x\0User-Agent: GRUB 2.06~rc1\r\n") : f);
  return d;
}

template <class F>
void check_error(F&& f, ErrorKind kind, const std::string& message) {
  try {
    f();
    FAIL("no error thrown, expected: " << message);
  } catch (const Error& e) {
    CHECK(e.kind() == kind);
    CHECK(std::string(e.what()) == message);
  }
}

const std::vector<std::string> kElMedia = {"images/pxeboot/vmlinuz", "images/pxeboot/initrd.img",
                                           "EFI/BOOT/BOOTX64.EFI", "EFI/BOOT/grubx64.efi", "EFI/BOOT/grub.cfg"};

}  // namespace

TEST_CASE("create_profiles: EL media get a default profile with boot tree and payloads", "[osdeploy]") {
  Root root;
  fs::path dist = distribution("rocky-9.4-x86_64", kElMedia);
  auto made = create_profiles(media("rocky", "9.4", "el9"), dist, "rocky-9.4-x86_64");
  REQUIRE(made == std::vector<std::string>{"rocky-9.4-x86_64-default"});
  fs::path p = profiles_dir() / made[0];
  std::string yaml = slurp(p / "profile.yaml");
  CHECK_THAT(yaml, Catch::StartsWith("label: Rocky Linux 9.4 x86_64 (Default Profile)\n"));
  std::string args =
      "quiet inst.ks=http://%%DEPLOYSERVER%%/confluent-public/os/rocky-9.4-x86_64-default/kickstart "
      "inst.repo=http://%%DEPLOYSERVER%%/confluent-public/os/rocky-9.4-x86_64-default/distribution "
      "confluent=%%DEPLOYSERVER%% osprofile=rocky-9.4-x86_64-default";
  CHECK_THAT(yaml, Catch::Contains("kernelargs: " + args + "\n"));
  CHECK_THAT(slurp(p / "kickstart"),
             Catch::StartsWith("# Kickstart for rocky 9.4 x86_64, profile rocky-9.4-x86_64-default.\n"));
  CHECK((fs::status(p / "scripts/pre.sh").permissions() & fs::perms::others_exec) != fs::perms::none);
  CHECK(fs::is_directory(p / "scripts/post.d"));
  // Relative links, through the profile's own distribution link.
  CHECK(fs::read_symlink(p / "distribution") == "../../../distributions/rocky-9.4-x86_64");
  CHECK(fs::read_symlink(p / "boot/kernel") == "../distribution/images/pxeboot/vmlinuz");
  CHECK(fs::read_symlink(p / "boot/initramfs/distribution") == "../../distribution/images/pxeboot/initrd.img");
  CHECK(fs::read_symlink(p / "boot/initramfs/site.cpio") == "../../../../site/initramfs.cpio");
  CHECK(fs::read_symlink(p / "boot/efi/boot/BOOTX64.EFI") == "../../../distribution/EFI/BOOT/BOOTX64.EFI");
  CHECK(slurp(p / "boot/kernel") == "images/pxeboot/vmlinuz");
  CHECK(initrd_order(p) == std::vector<std::string>{"site.cpio", "distribution"});
  CHECK(slurp(p / "boot.ipxe") == "#!ipxe\nimgfetch boot/kernel " + args +
                                      " initrd=site.cpio initrd=distribution\nimgfetch boot/initramfs/site.cpio\n"
                                      "imgfetch boot/initramfs/distribution\nimgload kernel\nimgexec kernel\n");
  CHECK((fs::status(p / "boot.ipxe").permissions() & fs::perms::all) == fs::perms(0644));
  std::string grub = "set timeout=0\nmenuentry 'Rocky Linux 9.4 x86_64 (Default Profile)' {\n    linux /kernel " +
                     args + "\n    initrd  /initramfs/site.cpio /initramfs/distribution\n}\n";
  CHECK(slurp(p / "boot/efi/boot/grub.cfg") == grub);
  CHECK(slurp(p / "boot/boot/grub/grub.cfg") == grub);
  CHECK_FALSE(fs::is_symlink(p / "boot/efi/boot/grub.cfg"));  // the media's grub.cfg is not linked
  CHECK(slurp(dist / "EFI/BOOT/grub.cfg") == "EFI/BOOT/grub.cfg");
  std::string listing = image_listing(p / "boot.img");
  for (const char* f : {"::/kernel", "::/initramfs/site.cpio", "::/initramfs/distribution", "::/efi/boot/BOOTX64.EFI",
                        "::/efi/boot/grubx64.efi", "::/efi/boot/grub.cfg", "::/boot/grub/grub.cfg"})
    CHECK_THAT(listing, Catch::Contains(std::string(f) + "\n"));
  std::string manifest = slurp(p / "manifest.yaml");
  CHECK_THAT(manifest, Catch::Contains("distdir: " + (root.templates / "el9/profiles/default").string() + "\n"));
  CHECK_THAT(manifest, Catch::Contains("  scripts/pre.sh: "));
  CHECK_THAT(manifest, !Catch::Contains("profile.yaml"));
}

TEST_CASE("create_profiles: existing profiles are skipped, a custom name makes new ones", "[osdeploy]") {
  Root root;
  fs::path dist = distribution("alma-8.10-x86_64", kElMedia);
  CHECK(create_profiles(media("alma", "8.10", "el8"), dist, "alma-8.10-x86_64").size() == 1);
  Root::put(profiles_dir() / "alma-8.10-x86_64-default/kickstart", "mine");
  CHECK(create_profiles(media("alma", "8.10", "el8"), dist, "alma-8.10-x86_64").empty());
  CHECK(slurp(profiles_dir() / "alma-8.10-x86_64-default/kickstart") == "mine");
  CHECK(create_profiles(media("alma", "8.10", "el8"), dist, "compute") == std::vector<std::string>{"compute-default"});
  CHECK(list().profiles == std::vector<std::string>{"alma-8.10-x86_64-default", "compute-default"});
}

TEST_CASE("create_profiles: refusals leave nothing behind", "[osdeploy]") {
  Root root;
  fs::path dist = distribution("rocky-10.0-x86_64", {"images/pxeboot/initrd.img"});
  check_error([&] { create_profiles(media("windows", "2022", "windows2022"), dist, "w"); }, ErrorKind::Invalid,
              "no profile templates for windows2022");
  check_error([&] { create_profiles(media("rocky", "10.0", "el10"), dist, "r"); }, ErrorKind::Invalid,
              dist.string() + ": no installer kernel for el10 (looked for images/pxeboot/vmlinuz)");
  distribution("rocky-10.0-x86_64", kElMedia);
  fs::remove(site_dir() / "initramfs.cpio");
  check_error([&] { create_profiles(media("rocky", "10.0", "el10"), dist, "r"); }, ErrorKind::Invalid,
              "Must generate site content first (TLS (-t) and/or SSH (-s))");
  CHECK(list().profiles.empty());
}

TEST_CASE("create_profiles: Ubuntu boots casper with the autoinstall seed, quoted for GRUB", "[osdeploy]") {
  Root root;
  fs::path dist = distribution("ubuntu-24.04.1-x86_64", {"casper/vmlinuz", "casper/initrd", "EFI/boot/bootx64.efi",
                                                         "EFI/boot/grubx64.efi", "install.iso"});
  auto made = create_profiles(media("ubuntu", "24.04.1", "ubuntu24.04"), dist, "ubuntu-24.04.1-x86_64");
  fs::path p = profiles_dir() / made.at(0);
  CHECK(fs::read_symlink(p / "boot/kernel") == "../distribution/casper/vmlinuz");
  CHECK(fs::read_symlink(p / "boot/efi/boot/grubx64.efi") == "../../../distribution/EFI/boot/grubx64.efi");
  std::string seed =
      "ds=nocloud;s=http://%%DEPLOYSERVER%%/confluent-public/os/ubuntu-24.04.1-x86_64-default/autoinstall/";
  CHECK_THAT(slurp(p / "boot.ipxe"), Catch::Contains(" autoinstall " + seed + " confluent="));
  CHECK_THAT(slurp(p / "boot/boot/grub/grub.cfg"), Catch::Contains(" autoinstall '" + seed + "' confluent="));
  CHECK_THAT(slurp(p / "boot.ipxe"), Catch::Contains(" osprofile=ubuntu-24.04.1-x86_64-default initrd=site.cpio"));
  CHECK_THAT(slurp(p / "autoinstall/user-data"), Catch::StartsWith("#cloud-config\n"));
  CHECK(slurp(p / "autoinstall/meta-data") == "instance-id: ubuntu-24.04.1-x86_64-default\n");
}

TEST_CASE("create_profiles: SUSE gets server and hpc, old GRUB gets linuxefi", "[osdeploy]") {
  Root root;
  std::vector<std::string> files = {"1/boot/x86_64/loader/linux", "1/boot/x86_64/loader/initrd",
                                    "1/EFI/BOOT/bootx64.efi"};
  fs::path dist = distribution("sle-15.5-x86_64", files);
  Root::put(dist / "1/EFI/BOOT/grub.efi", bytes("\x7f\0User-Agent: GRUB 2.02~beta2\r\n"));
  auto made = create_profiles(media("sle", "15.5", "suse15"), dist, "sle-15.5-x86_64");
  REQUIRE(made == std::vector<std::string>{"sle-15.5-x86_64-hpc", "sle-15.5-x86_64-server"});
  fs::path p = profiles_dir() / made[1];
  CHECK(fs::read_symlink(p / "product") == "distribution/1");
  CHECK(fs::read_symlink(p / "boot/kernel") == "../distribution/1/boot/x86_64/loader/linux");
  std::string grub = slurp(p / "boot/efi/boot/grub.cfg");
  CHECK_THAT(grub, Catch::Contains("    linuxefi /kernel quiet autoyast=http://"));
  CHECK_THAT(grub, Catch::Contains("    initrdefi  /initramfs/site.cpio /initramfs/distribution\n"));
  CHECK_THAT(slurp(p / "profile.yaml"),
             Catch::StartsWith("label: SUSE Linux Enterprise 15.5 x86_64 (Default Profile)"));
  std::string autoyast = slurp(p / "autoyast");
  CHECK_THAT(autoyast, Catch::Contains("<product>SLES</product>") && !Catch::Contains("IFSLE"));
  CHECK_THAT(slurp(profiles_dir() / made[0] / "autoyast"), Catch::Contains("<product>SLE_HPC</product>"));
  fs::path leap = distribution("opensuse_leap-15.6-x86_64", files);
  made = create_profiles(media("opensuse_leap", "15.6", "suse15"), leap, "leap");
  autoyast = slurp(profiles_dir() / "leap-server/autoyast");
  CHECK_THAT(autoyast, !Catch::Contains("<products") && !Catch::Contains("IFSLE") && Catch::Contains("<patterns"));
}

TEST_CASE("create_profiles: Debian mini.iso loaders come out of efi.img, preseed in the kernel arguments",
          "[osdeploy]") {
  Root root;
  fs::path dist = distribution("debian-12.5-x86_64", {"linux", "initrd.gz"});
  fs::path efi = dist / "boot/grub/efi.img";
  Root::put(dist / "loader", "loader");
  fs::create_directories(efi.parent_path());
  run("mformat -C -i " + efi.string() + " -f 1440 :: && mmd -i " + efi.string() + " ::/efi ::/efi/boot && mcopy -i " +
      efi.string() + " " + (dist / "loader").string() + " ::/efi/boot/bootx64.efi");
  auto made = create_profiles(media("debian", "12.5", "debian"), dist, "debian-12.5-x86_64");
  fs::path p = profiles_dir() / made.at(0);
  CHECK(fs::read_symlink(p / "boot/kernel") == "../distribution/linux");
  CHECK(slurp(p / "boot/efi/boot/bootx64.efi") == "loader");
  CHECK_THAT(
      slurp(p / "boot.ipxe"),
      Catch::Contains("imgfetch boot/kernel auto=true priority=critical url=http://%%DEPLOYSERVER%%/confluent-public/"
                      "os/debian-12.5-x86_64-default/preseed.cfg netcfg/get_nameservers=10.0.2.3 "));
  CHECK_THAT(slurp(p / "preseed.cfg"), Catch::Contains("d-i preseed/early_command string"));
  fs::path netboot =
      distribution("debian-13.0-x86_64", {"debian-installer/amd64/linux", "debian-installer/amd64/initrd.gz"});
  made = create_profiles(media("debian", "13.0", "debian13"), netboot, "trixie");
  CHECK(fs::read_symlink(profiles_dir() / "trixie-default/boot/initramfs/distribution") ==
        "../../distribution/debian-installer/amd64/initrd.gz");
}

TEST_CASE("create_profiles: ESXi boots its own loader with a rewritten boot.cfg", "[osdeploy]") {
  Root root;
  fs::path dist = distribution("esxi-8.0U2", {"B.B00", "JUMPSTRT.GZ", "S.V00", "EFI/BOOT/BOOTX64.EFI"});
  Root::put(dist / "BOOT.CFG",
            "bootstate=0\r\ntitle=Loading ESXi installer\r\ntimeout=5\r\nprefix=\r\nkernel=/b.b00\r\n"
            "kernelopt=cdromBoot runweasel\r\nmodules=/jumpstrt.gz --- /s.v00\r\nbuild=8.0.2-0.0.22380479\r\n");
  auto made = create_profiles(media("esxi", "8.0U2", "esxi8"), dist, "esxi-8.0U2");
  REQUIRE(made == std::vector<std::string>{"esxi-8.0U2-hypervisor"});
  fs::path p = profiles_dir() / made[0];
  std::string args =
      "runweasel ks=http://%%DEPLOYSERVER%%/confluent-public/os/esxi-8.0U2-hypervisor/ks.cfg "
      "confluent=%%DEPLOYSERVER%% osprofile=esxi-8.0U2-hypervisor";
  std::string title = "title=Confluent installation of VMware ESXi 8.0U2 Hypervisor\n";
  CHECK(slurp(p / "boot/boot.cfg") == "bootstate=0\n" + title + "timeout=5\nprefix=\nkernel=b.b00\nkernelopt=" + args +
                                          "\nmodules=jumpstrt.gz --- s.v00 --- site.tgz\nbuild=8.0.2-0.0.22380479\n");
  CHECK(slurp(p / "boot/efi/boot/boot.cfg") == "bootstate=0\n" + title +
                                                   "timeout=5\nprefix=\nkernel=/b.b00\nkernelopt=" + args +
                                                   "\nmodules=/jumpstrt.gz --- /s.v00 --- /site.tgz\n"
                                                   "build=8.0.2-0.0.22380479\n");
  CHECK(fs::read_symlink(p / "boot/b.b00") == "../distribution/B.B00");
  CHECK(fs::read_symlink(p / "boot/site.tgz") == "../../../site/initramfs.tgz");
  CHECK(slurp(p / "boot.ipxe") ==
        "#!ipxe\nchain boot/efi/boot/bootx64.efi -c /confluent-public/os/esxi-8.0U2-hypervisor/boot/boot.cfg\n");
  std::string listing = image_listing(p / "boot.img");
  for (const char* f : {"::/b.b00", "::/s.v00", "::/site.tgz", "::/efi/boot/bootx64.efi", "::/efi/boot/boot.cfg"})
    CHECK_THAT(listing, Catch::Contains(std::string(f) + "\n"));
}

TEST_CASE("create_profiles: CoreOS links rootfs.img and ignition.img", "[osdeploy]") {
  Root root;
  fs::path dist = distribution("rhcos-4.14.0-x86_64", {"images/pxeboot/vmlinuz", "images/pxeboot/initrd.img",
                                                       "images/pxeboot/rootfs.img", "images/ignition.img"});
  auto made = create_profiles(media("rhcos", "4.14.0", "coreos"), dist, "rhcos-4.14.0-x86_64");
  fs::path p = profiles_dir() / made.at(0);
  CHECK(fs::read_symlink(p / "rootfs.img") == "distribution/images/pxeboot/rootfs.img");
  CHECK(slurp(p / "rootfs.img") == "images/pxeboot/rootfs.img");
  CHECK(initrd_order(p) == std::vector<std::string>{"site.cpio", "ignition.img", "distribution"});
  CHECK_THAT(slurp(p / "boot.ipxe"),
             Catch::Contains(" coreos.live.rootfs_url=http://%%DEPLOYSERVER%%/confluent-public/os/"
                             "rhcos-4.14.0-x86_64-default/rootfs.img "));
  CHECK_THAT(slurp(p / "ignition.json"), Catch::Contains("confluent_profile=rhcos-4.14.0-x86_64-default"));
}

TEST_CASE("initrd_order: cpio files by name, then the others by name, distribution last", "[osdeploy]") {
  Root root;
  fs::path p = profiles_dir() / "x";
  for (const char* f : {"distribution", "z.gz", "site.cpio", "addons.cpio", "m.img"})
    Root::put(p / "boot/initramfs" / f, f);
  fs::create_directories(p / "boot/initramfs/x86_64");
  CHECK(initrd_order(p) == std::vector<std::string>{"addons.cpio", "site.cpio", "m.img", "z.gz", "distribution"});
  CHECK(initrd_order(profiles_dir() / "missing").empty());
}

TEST_CASE("updateboot: errors name the culprit, reruns give the same files", "[osdeploy]") {
  Root root;
  check_error([] { updateboot("nope"); }, ErrorKind::NotFound, "nope: no such profile");
  check_error([] { updateboot("../public"); }, ErrorKind::NotFound, "../public: no such profile");
  auto made = create_profiles(media("rocky", "9.4", "el9"), distribution("rocky-9.4-x86_64", kElMedia), "r");
  fs::path p = profiles_dir() / made.at(0);
  std::string ipxe = slurp(p / "boot.ipxe"), grub = slurp(p / "boot/efi/boot/grub.cfg");
  std::string listing = image_listing(p / "boot.img");
  updateboot("r-default");
  CHECK(slurp(p / "boot.ipxe") == ipxe);
  CHECK(slurp(p / "boot/efi/boot/grub.cfg") == grub);
  CHECK(image_listing(p / "boot.img") == listing);
  Root::put(p / "profile.yaml", "label: it's mine\nkernelargs: console=ttyS0\n");
  Root::put(p / "boot/initramfs/addons.cpio", "addons");
  updateboot("r-default");
  CHECK_THAT(slurp(p / "boot.ipxe"),
             Catch::Contains("imgfetch boot/kernel console=ttyS0 initrd=addons.cpio initrd=site.cpio "
                             "initrd=distribution\n"));
  CHECK_THAT(slurp(p / "boot/boot/grub/grub.cfg"), Catch::StartsWith("set timeout=0\nmenuentry 'it'\\''s mine' {\n"));
  Root::put(p / "profile.yaml", "label: [unclosed\n");
  check_error([] { updateboot("r-default"); }, ErrorKind::Invalid,
              (p / "profile.yaml").string() + ": line 2, column 1: end of sequence flow not found");
  Root::put(p / "profile.yaml", "kernelargs: {a: b}\n");
  check_error([] { updateboot("r-default"); }, ErrorKind::Invalid,
              (p / "profile.yaml").string() + ": 'kernelargs' must be a string");
  Root::put(p / "profile.yaml", "ostype: windows\n");
  check_error([] { updateboot("r-default"); }, ErrorKind::Invalid,
              (p / "profile.yaml").string() + ": ostype 'windows' is not supported");
  Root::put(p / "profile.yaml", "label: ok\n");
  fs::remove(site_dir() / "initramfs.cpio");
  check_error([] { updateboot("r-default"); }, ErrorKind::Invalid,
              "Must generate site content first (TLS (-t) and/or SSH (-s))");
}

TEST_CASE("rebase: unchanged files follow the template, customised ones are kept", "[osdeploy]") {
  Root root(true);
  auto made = create_profiles(media("rocky", "9.4", "el9"), distribution("rocky-9.4-x86_64", kElMedia), "r");
  fs::path p = profiles_dir() / made.at(0);
  fs::path t = root.templates / "el9/profiles/default";
  CHECK(rebase("r-default").empty());
  Root::put(p / "scripts/post.sh", slurp(p / "scripts/post.sh") + "# site change\n");
  // A profile may override a shared (common/profile) file.
  Root::put(t / "scripts/post.sh", slurp(root.templates / "common/profile/scripts/post.sh") + "# template change\n");
  Root::put(t / "kickstart", slurp(t / "kickstart") + "# for %%PROFILE%%\n");
  Root::put(t / "scripts/post.d/10-new.sh", "#!/bin/sh\n");
  fs::remove(p / "scripts/pre.sh");
  CHECK(
      rebase("r-default") ==
      std::vector<std::string>{"Updated: kickstart", "Updated: scripts/post.d/10-new.sh", "Updated: scripts/pre.sh",
                               "Skipping update of scripts/post.sh as current copy was customized or no manifest data "
                               "was available"});
  CHECK_THAT(slurp(p / "kickstart"), Catch::EndsWith("# for r-default\n"));
  CHECK_THAT(slurp(p / "scripts/post.sh"), Catch::EndsWith("# site change\n"));
  CHECK(slurp(p / "scripts/pre.sh") == slurp(root.templates / "common/profile/scripts/pre.sh"));
  CHECK(rebase("r-default").size() == 1);
  fs::remove(p / "manifest.yaml");
  check_error([] { rebase("r-default"); }, ErrorKind::Invalid,
              "Specified profile r-default does not have a manifest.yaml for rebase");
}

TEST_CASE("list: distributions and profiles in natural order", "[osdeploy]") {
  Root root;
  for (const char* d : {"rocky-9.10-x86_64", "rocky-9.4-x86_64", "alma-9.4-x86_64"})
    fs::create_directories(distributions_dir() / d);
  fs::create_directories(profiles_dir() / ".half-made.new");
  fs::create_directories(profiles_dir() / "p10");
  fs::create_directories(profiles_dir() / "p9");
  Root::put(profiles_dir() / "stray-file", "");
  Listing l = list();
  CHECK(l.distributions == std::vector<std::string>{"alma-9.4-x86_64", "rocky-9.4-x86_64", "rocky-9.10-x86_64"});
  CHECK(l.profiles == std::vector<std::string>{"p9", "p10"});
}
