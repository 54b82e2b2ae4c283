#include "imgutil/build.h"

#include <yaml-cpp/yaml.h>

#include "base/error.h"
#include "base/files.h"
#include "base/paths.h"
#include "base/process.h"
#include "base/strings.h"
#include "imgutil/apt_sources.h"
#include "imgutil/build_rpm.h"
#include "imgutil/buildinfo.h"
#include "imgutil/pkglist.h"
#include "osdeploy/layout.h"

namespace confluent::imgutil {

namespace fs = std::filesystem;

namespace {

fs::path source_dir(const std::string& source) {
  std::error_code ec;
  if (source.find('/') == std::string::npos && !fs::exists(source, ec)) return osdeploy::distributions_dir() / source;
  return normal_absolute(source);
}

std::string yaml_value(const YAML::Node& root, const char* key) {
  const YAML::Node v = root[key];
  return v && v.IsScalar() ? v.Scalar() : "";
}

// A distribution osdeploy imported: its distinfo.yaml names category, version and arch.
BuildTarget source_target(const std::string& source) {
  fs::path dir = source_dir(source);
  BuildTarget t;
  try {
    YAML::Node info = YAML::LoadFile((dir / "distinfo.yaml").string());
    t.category = yaml_value(info, "category");
    t.os.id = yaml_value(info, "distro");
    t.os.version_id = yaml_value(info, "version");
    t.arch = normalize_arch(yaml_value(info, "arch"));
  } catch (const YAML::Exception&) {
    throw Error(ErrorKind::Runtime, "Unable to recognize source directory " + dir.string());
  }
  if (t.category.starts_with("el"))
    t.family = "el";
  else if (t.category.starts_with("suse"))
    t.family = "suse";
  else if (t.category.starts_with("ubuntu") || t.category.starts_with("debian"))
    throw Error(ErrorKind::Invalid, "-s is not supported for " + t.category + ": Debian and Ubuntu images are " +
                                        "built from this host's apt sources");
  else
    throw Error(ErrorKind::Runtime, "Unable to recognize source directory " + dir.string());
  t.source = dir;
  return t;
}

void check_target_dir(const fs::path& dir) {
  std::error_code ec;
  auto st = fs::symlink_status(dir, ec);
  if (!fs::exists(st)) return;
  if (!fs::is_directory(st)) throw Error(ErrorKind::Invalid, dir.string() + ": exists and is not a directory");
  if (!fs::is_empty(dir))
    throw Error(ErrorKind::Invalid, dir.string() + ": not empty; build needs a new or empty directory");
}

void require_program(const std::string& program, const std::string& package) {
  if (!find_program(program))
    throw Error(ErrorKind::Runtime, program + " is not installed (it is in the " + package + " package)");
}

// As confluent, ssh starts at boot: the unit the image has, enabled unless it is already.
void enable_ssh(const fs::path& root) {
  for (const char* unit : {"ssh.service", "sshd.service"}) {
    for (const char* dir : {"/usr/lib/systemd/system/", "/lib/systemd/system/"}) {
      std::error_code ec;
      if (!fs::exists(resolve_in_root(root, std::string(dir) + unit), ec)) continue;
      fs::path wants = resolve_in_root(root, "/etc/systemd/system/multi-user.target.wants");
      fs::create_directories(wants);
      if (!fs::exists(fs::symlink_status(wants / unit, ec))) fs::create_symlink(std::string(dir) + unit, wants / unit);
      return;
    }
  }
}

// confluent's initramfs-tools pieces of the diskless boot (<category>-diskless/initramfs-tools
// among the osdeploy templates), when this installation has them for the category, go in
// first, so that the kernel's initramfs is made with them.
void add_initramfs_tools(const fs::path& root, const fs::path& category_dir) {
  std::error_code ec;
  fs::path source = osdeploy::diskless_templates_dir(category_dir.filename().string()) / "initramfs-tools";
  if (!fs::is_directory(source, ec)) return;
  fs::create_directories(root / "etc/initramfs-tools");
  fs::copy(source, root / "etc/initramfs-tools",
           fs::copy_options::recursive | fs::copy_options::overwrite_existing);
  if (fs::exists(root / "etc/initramfs-tools/hooks/confluent", ec))
    fs::permissions(root / "etc/initramfs-tools/hooks/confluent", fs::perms(0755));
}

void build_deb(const BuildOptions& o, const BuildTarget& t, const std::vector<std::string>& packages,
               const fs::path& category_dir) {
  require_program("debootstrap", "debootstrap");
  if (t.os.codename.empty())
    throw Error(ErrorKind::Runtime, "/etc/os-release has no VERSION_CODENAME: cannot tell which release to build");
  std::string mirror = debootstrap_mirror(read_apt_sources("/etc/apt"), t.os.codename);
  add_initramfs_tools(o.scratch, category_dir);
  std::vector<std::string> bootstrap = {"debootstrap", "--variant=minbase", "--arch=" + debian_arch(t.arch),
                                        t.os.codename, o.scratch.string(),  mirror};
  // In the constrained namespace too: the proc and sys debootstrap mounts vanish with it.
  check_status("debootstrap", run_constrained([&] { return run_program_visible(bootstrap); }));
  copy_apt_sources("/etc/apt", o.scratch);
  if (auto lines = addrepo_lines(o.repos); !lines.empty()) {
    write_file_atomic(resolve_in_root(o.scratch, "/etc/apt/sources.list.d/imgutil-addrepos.list"),
                      join(lines, "\n") + "\n", fs::perms(0644));
  }
  ImageCommand cmd{{"apt-get", "update"}, {{"DEBIAN_FRONTEND", "noninteractive"}}};
  check_status("apt-get update", run_in_image(o.scratch, o.volumes, cmd));
  if (!packages.empty()) {
    cmd.argv = {"apt-get", "-y", "install"};
    cmd.argv.insert(cmd.argv.end(), packages.begin(), packages.end());
    check_status("apt-get install", run_in_image(o.scratch, o.volumes, cmd));
  }
  cmd.argv = {"apt-get", "clean"};  // the downloaded packages would go into every node's RAM
  check_status("apt-get clean", run_in_image(o.scratch, o.volumes, cmd));
  enable_ssh(o.scratch);
}

}  // namespace

fs::path imgutil_data_dir() { return data_dir("imgutil", "CONFLUENT_IMGUTIL_DATA"); }

BuildTarget build_target(const BuildOptions& o, const OsRelease& host) {
  BuildTarget t;
  if (!o.source.empty()) {
    t = source_target(o.source);
  } else {
    t.family = os_family(host);
    t.category = os_category(host);
    t.os = host;
    t.arch = host_arch();
    if (t.family.empty() || t.category.empty()) throw Error(ErrorKind::Runtime, "Unable to recognize build system os");
  }
  if (!o.arch.empty()) {
    std::string wanted = normalize_arch(o.arch);
    if (!o.source.empty() && !t.arch.empty() && wanted != t.arch)
      throw Error(ErrorKind::Invalid,
                  "Requested architecture " + wanted + " conflicts with source directory architecture " + t.arch);
    t.arch = wanted;
  }
  if (t.arch.empty()) t.arch = host_arch();
  return t;
}

fs::path package_list_path(const std::string& arg, const fs::path& category_dir) {
  if (arg.empty()) return category_dir / "pkglist";
  std::error_code ec;
  if (fs::exists(arg, ec) || arg.find('/') != std::string::npos) return fs::absolute(arg);
  return category_dir / arg;
}

void build_image(const BuildOptions& o) {
  check_target_dir(o.scratch);
  BuildTarget t = build_target(o, read_os_release("/"));
  require_arch_support(t.arch);
  fs::path category_dir = imgutil_data_dir() / t.category;
  std::vector<fs::path> added;
  for (const auto& a : o.added_lists) added.push_back(fs::absolute(a));
  std::vector<std::string> packages =
      read_package_lists(package_list_path(o.package_list, category_dir), added, {t.arch, t.os.version_id});
  if (t.family != "deb") require_rpm_tools(t);
  fs::create_directories(o.scratch);
  for (const char* dir : {"proc", "sys", "dev", "run"}) fs::create_directories(o.scratch / dir);
  if (t.family == "deb")
    build_deb(o, t, packages, category_dir);
  else if (t.family == "el")
    build_el(o, t, packages, category_dir);
  else
    build_suse(o, t, packages, category_dir);
  BuildInfo info{build_date(std::time(nullptr)), t.arch, t.source.string()};
  write_buildinfo(o.scratch, info);
}

}  // namespace confluent::imgutil
