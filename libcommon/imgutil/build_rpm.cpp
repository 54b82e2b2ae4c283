#include "imgutil/build_rpm.h"

#include <stdlib.h>

#include <algorithm>

#include "base/error.h"
#include "base/files.h"
#include "base/process.h"
#include "base/strings.h"
#include "osdeploy/layout.h"

namespace confluent::imgutil {

namespace fs = std::filesystem;

namespace {

std::vector<std::string> comma_list(const std::vector<std::string>& repos) {
  std::vector<std::string> out;
  for (const auto& r : repos) {
    for (const auto& part : split(r, ',')) {
      std::string url(trim(part));
      if (!url.empty()) out.push_back(url);
    }
  }
  return out;
}

std::string repo_url(const std::string& repo) {
  std::error_code ec;
  if (repo.find("://") == std::string::npos && fs::exists(repo, ec)) return "file://" + fs::absolute(repo).string();
  return repo;
}

std::string repo_stanza(const std::string& id, const std::string& name, const std::string& url) {
  return "[" + id + "]\nname=" + name + "\nbaseurl=" + url + "\nenabled=1\ngpgcheck=0\n\n";
}

// A private temporary directory, removed with it.
struct TempDir {
  fs::path path;
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "imgutil-repos.XXXXXX").string();
    if (::mkdtemp(tmpl.data()) == nullptr) throw Error(ErrorKind::Runtime, "cannot create a temporary directory");
    path = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
};

// confluent's diskless dracut module (<category>-diskless/dracut among the osdeploy
// templates), when this installation ships one for the category: module "confluent", as
// capture names it. Its depends() brings dracut's network; ifcfg, which some dracut-network
// packages add, would be checked first and pick a network handler that brings systemd.
void add_dracut_module(const fs::path& root, const fs::path& category_dir) {
  std::error_code ec;
  fs::path source = osdeploy::diskless_templates_dir(category_dir.filename().string()) / "dracut";
  if (!fs::is_directory(source, ec)) return;
  fs::path module = root / "usr/lib/dracut/modules.d/97confluent";
  fs::create_directories(module);
  fs::copy(source, module, fs::copy_options::recursive | fs::copy_options::overwrite_existing);
  for (const auto& e : fs::directory_iterator(module)) {
    if (e.is_regular_file()) fs::permissions(e.path(), fs::perms(0755));
  }
  fs::create_directories(root / "etc/dracut.conf.d");
  write_file_atomic(root / "etc/dracut.conf.d/confluent.conf",
                    "compress=xz\nhostonly=no\ndracutmodules+=\" confluent base terminfo \"\n"
                    "omit_dracutmodules+=\" ifcfg \"\n",
                    fs::perms(0644));
}

void disable_selinux(const fs::path& root) {
  fs::path config = root / "etc/selinux/config";
  std::error_code ec;
  if (!fs::is_regular_file(config, ec)) return;
  std::string text = read_file(config);
  for (size_t at; (at = text.find("SELINUX=enforcing")) != std::string::npos;) text.replace(at, 17, "SELINUX=disabled");
  write_file_atomic(config, text, fs::perms(0644));
}

// Without a running SELinux here, the files get their labels from the image's policy; a
// failure is tolerated as by confluent (the image may still boot).
void relabel(const fs::path& root) {
  if (read_file("/proc/mounts").find("selinuxfs ") != std::string::npos || !find_program("setfiles")) return;
  fs::path contexts = root / "etc/selinux/targeted/contexts/files/file_contexts";
  std::error_code ec;
  if (fs::exists(contexts, ec)) run_program({"setfiles", "-r", root.string(), contexts.string(), root.string()});
}

}  // namespace

void require_rpm_tools(const BuildTarget& t) {
  if (t.family == "el" && !find_program("dnf") && !find_program("yum"))
    throw Error(ErrorKind::Runtime, "cannot build " + t.category + " images: this host has neither dnf nor yum");
  if (t.family == "suse" && !find_program("zypper"))
    throw Error(ErrorKind::Runtime, "cannot build " + t.category + " images: this host lacks zypper");
}

std::string el_source_repos(const fs::path& source) {
  std::error_code ec;
  if (fs::is_directory(source / "repodata", ec))
    return repo_stanza("genimage-topdir", "Local install repository", "file://" + source.string());
  std::string out, section;
  if (!fs::is_regular_file(source / ".treeinfo", ec)) return out;
  for (const auto& raw : split(read_file(source / ".treeinfo"), '\n')) {
    std::string line(trim(raw));
    if (line.starts_with("[") && line.ends_with("]")) section = line.substr(1, line.size() - 2);
    auto eq = line.find('=');
    if (!section.starts_with("variant-") || eq == std::string::npos || trim(line.substr(0, eq)) != "repository")
      continue;
    std::string variant = section.substr(8);
    out += repo_stanza("genimage-" + to_lower(variant), "Local install repository for " + variant,
                       "file://" + (source / std::string(trim(line.substr(eq + 1)))).lexically_normal().string());
  }
  return out;
}

std::vector<std::string> el_install_args(const std::string& yum, const BuildOptions& o, const BuildTarget& t,
                                         const fs::path& reposdir, const std::vector<std::string>& packages) {
  std::vector<std::string> argv = {yum};
  if (o.non_interactive) argv.push_back("-y");
  if (!t.source.empty())
    argv.insert(argv.end(), {"--setopt=reposdir=" + reposdir.string(), "--disablerepo=*", "--enablerepo=genimage-*"});
  int n = 0;
  for (const auto& repo : comma_list(o.repos)) {
    std::string id = "addrepo-" + std::to_string(++n);
    argv.insert(argv.end(), {"--repofrompath=" + id + "," + repo_url(repo), "--setopt=" + id + ".gpgcheck=0"});
  }
  argv.push_back("--installroot=" + o.scratch.string());
  argv.push_back("--releasever=" + t.os.version_id);
  if (t.arch != host_arch()) argv.push_back("--forcearch=" + t.arch);
  argv.push_back("install");
  argv.insert(argv.end(), packages.begin(), packages.end());
  return argv;
}

std::vector<std::string> suse_repositories(const BuildOptions& o, const BuildTarget& t) {
  std::vector<std::string> out;
  if (!t.source.empty()) {
    out.push_back("file://" + t.source.string());
    std::vector<std::string> modules;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(t.source, ec)) {
      if (e.is_directory() && e.path().filename().string().starts_with("Module-"))
        modules.push_back("file://" + e.path().string());
    }
    std::sort(modules.begin(), modules.end());
    out.insert(out.end(), modules.begin(), modules.end());
    if (!modules.empty()) out.push_back("file://" + (t.source / "Product-HPC").string());
  }
  for (const auto& repo : comma_list(o.repos)) out.push_back(repo_url(repo));
  return out;
}

void build_el(const BuildOptions& o, const BuildTarget& t, const std::vector<std::string>& packages,
              const fs::path& category_dir) {
  std::string yum = find_program("dnf") ? "dnf" : "yum";
  add_dracut_module(o.scratch, category_dir);
  fs::create_directories(o.scratch / "etc");
  write_file_atomic(o.scratch / "etc/resolv.conf", "", fs::perms(0644));
  TempDir reposdir;
  if (!t.source.empty()) write_file_atomic(reposdir.path / "repos.repo", el_source_repos(t.source), fs::perms(0644));
  check_status(yum + " install", run_program_visible(el_install_args(yum, o, t, reposdir.path, packages)));
  disable_selinux(o.scratch);
  relabel(o.scratch);
}

void build_suse(const BuildOptions& o, const BuildTarget& t, const std::vector<std::string>& packages,
                const fs::path& category_dir) {
  fs::path root = o.scratch;
  std::vector<std::string> keys;
  std::error_code ec;
  if (t.source.empty()) {  // the host's repositories and their keys
    fs::create_directories(root / "etc/zypp");
    fs::copy("/etc/zypp/repos.d", root / "etc/zypp/repos.d", fs::copy_options::recursive, ec);
    for (const auto& e : fs::directory_iterator("/usr/lib/rpm/gnupg/keys", ec)) {
      if (e.path().extension() == ".asc") keys.push_back(e.path().string());
    }
  }
  int n = 0;
  for (const auto& url : suse_repositories(o, t)) {
    check_status("zypper ar",
                 run_program_visible({"zypper", "-R", root.string(), "ar", url, "source-" + std::to_string(++n)}));
    if (!url.starts_with("file://")) continue;
    for (const auto& dir : fs::directory_iterator(url.substr(7), ec)) {
      for (const auto& e : fs::directory_iterator(dir.path(), ec)) {
        if (e.path().filename().string().starts_with("gpg-pubkey") && e.path().extension() == ".asc")
          keys.push_back(e.path().string());
      }
    }
  }
  if (!keys.empty()) {
    std::vector<std::string> import = {"rpm", "--root", root.string(), "--import"};
    import.insert(import.end(), keys.begin(), keys.end());
    check_status("rpm --import", run_program_visible(import));
  }
  add_dracut_module(root, category_dir);
  std::vector<std::string> install = {"zypper"};
  if (o.non_interactive) install.push_back("-n");
  install.insert(install.end(), {"-R", root.string(), "install"});
  install.insert(install.end(), packages.begin(), packages.end());
  check_status("zypper install", run_program_visible(install));
  fs::create_directories(root / "etc/systemd/system/multi-user.target.wants");
  fs::create_symlink("/usr/lib/systemd/system/sshd.service",
                     root / "etc/systemd/system/multi-user.target.wants/sshd.service", ec);
  std::string perms = fs::exists(root / "etc/permissions.local") ? read_file(root / "etc/permissions.local") : "";
  perms += "/usr/lib/ssh/ssh-keysign root:ssh_keys 2711\n";
  for (const char* k : {"dsa", "ecdsa", "ed25519", "rsa"})
    perms += std::string("/etc/ssh/ssh_host_") + k + "_key root:ssh_keys 640\n";
  write_file_atomic(root / "etc/permissions.local", perms, fs::perms(0644));
  check_status("groupadd ssh_keys", run_in_image(root, o.volumes, {{"groupadd", "ssh_keys"}, {}}));
  check_status("chkstat", run_in_image(root, o.volumes, {{"chkstat", "--system", "--set"}, {}}));
  std::vector<std::string> initrd = fs::exists(root / "sbin/mkinitrd", ec) ? std::vector<std::string>{"mkinitrd"}
                                                                           : std::vector<std::string>{"dracut", "-f"};
  check_status(initrd.front(), run_in_image(root, o.volumes, {initrd, {}}));
}

}  // namespace confluent::imgutil
