#include "imgutil/isolate.h"

#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <deque>
#include <iostream>

#include "base/files.h"
#include "base/paths.h"
#include "base/process.h"
#include "base/strings.h"
#include "imgutil/buildinfo.h"
#include "imgutil/os_release.h"

namespace confluent::imgutil {

namespace fs = std::filesystem;

namespace {

constexpr int kMaxLinks = 40;

std::string why() { return std::strerror(errno); }

// A failure in the child travels to the parent through a close-on-exec pipe as
// "<kind>\n<status>\n<message>": an exec that works closes it with nothing written.
void report(int fd, ErrorKind kind, int status, const std::string& message) {
  std::string text = std::to_string(static_cast<int>(kind)) + "\n" + std::to_string(status) + "\n" + message;
  for (size_t done = 0; done < text.size();) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    done += static_cast<size_t>(n);
  }
}

[[noreturn]] void rethrow(const std::string& text) {
  auto first = text.find('\n'), second = text.find('\n', first + 1);
  if (first == std::string::npos || second == std::string::npos)
    throw Error(ErrorKind::Runtime, "the isolated child failed: " + text);
  auto kind = static_cast<ErrorKind>(std::stoi(text.substr(0, first)));
  int status = std::stoi(text.substr(first + 1, second - first - 1));
  std::string message = text.substr(second + 1);
  if (status >= 0) throw StatusError(status, message);
  throw Error(kind, message);
}

std::string read_all(int fd) {
  std::string text;
  char buf[4096];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return text;
    text.append(buf, static_cast<size_t>(n));
  }
}

int wait_for(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return 1 << 8;
  }
  return status;
}

// PID 1 of the new namespaces: runs fn, reporting what it throws.
[[noreturn]] void run_init(const std::function<int()>& fn, int report_fd) {
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGQUIT, SIG_DFL);
  int status = 1;
  try {
    if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0)
      throw Error(ErrorKind::Runtime, "cannot make / private in the new mount namespace: " + why());
    if (::mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr) != 0)
      throw Error(ErrorKind::Runtime, "cannot mount a fresh /proc: " + why());
    status = fn();
  } catch (const StatusError& e) {
    report(report_fd, e.kind(), e.status(), e.what());
    status = e.status();
  } catch (const Error& e) {
    report(report_fd, e.kind(), -1, e.what());
  } catch (const std::exception& e) {
    report(report_fd, ErrorKind::Runtime, -1, e.what());
  }
  std::cout.flush();
  std::fflush(nullptr);
  ::_exit(status);
}

// The first child: enters new namespaces, and waits for the PID 1 it forks there.
[[noreturn]] void run_namespace_parent(const std::function<int()>& fn, int report_fd, pid_t caller) {
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != caller) ::_exit(1);
  if (::unshare(CLONE_NEWNS | CLONE_NEWPID) != 0) {
    report(report_fd, ErrorKind::Runtime, -1,
           "cannot create mount and PID namespaces (imgutil must run as root): " + why());
    ::_exit(1);
  }
  pid_t init = ::fork();
  if (init < 0) {
    report(report_fd, ErrorKind::Runtime, -1, "cannot fork in the new PID namespace: " + why());
    ::_exit(1);
  }
  if (init == 0) run_init(fn, report_fd);
  ::close(report_fd);
  std::signal(SIGINT, SIG_IGN);
  std::signal(SIGQUIT, SIG_IGN);
  ::_exit(exit_status(wait_for(init)));
}

void mount_or_throw(const char* source, const fs::path& target, const char* type, unsigned long flags,
                    const std::string& what, const char* data = nullptr) {
  if (::mount(source, target.c_str(), type, flags, data) != 0)
    throw Error(ErrorKind::Runtime, "cannot mount " + what + " on " + target.string() + ": " + why());
}

void bind_read_only(const fs::path& source, const fs::path& target) {
  mount_or_throw(source.c_str(), target, nullptr, MS_BIND, source.string());
  // MS_RDONLY is ignored by the bind itself: it takes a remount.
  mount_or_throw(nullptr, target, nullptr, MS_REMOUNT | MS_BIND | MS_RDONLY, source.string() + " read-only");
}

// Where `image_path` is under root, made when missing: a directory, or an empty file when
// `file` (a file is bound on a file).
fs::path mount_point(const fs::path& root, const fs::path& image_path, bool file = false) {
  fs::path target = resolve_in_root(root, image_path);
  std::error_code ec;
  if (fs::exists(target, ec)) return target;
  fs::create_directories(file ? target.parent_path() : target, ec);
  if (!ec && file) {
    int fd = ::open(target.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (fd < 0) ec.assign(errno, std::generic_category());
    if (fd >= 0) ::close(fd);
  }
  if (ec) throw Error(ErrorKind::Runtime, "cannot make mount point " + target.string() + ": " + ec.message());
  return target;
}

void bind_resolv_conf(const fs::path& root) {
  std::error_code ec;
  fs::path host = fs::canonical("/etc/resolv.conf", ec);
  if (ec || !fs::is_regular_file(host, ec)) return;
  fs::path target = mount_point(root, "/etc/resolv.conf", true);
  if (fs::is_regular_file(target, ec)) bind_read_only(host, target);
}

// With BUILDSRC, the distribution the image came from is where its package manager expects it.
void bind_build_source(const fs::path& root) {
  auto info = read_buildinfo(root);
  std::error_code ec;
  if (!info || info->build_source.empty() || !fs::is_directory(info->build_source, ec)) return;
  bind_read_only(info->build_source, mount_point(root, "/run/confluentdistro"));
}

std::string install_advice() {
  std::string family = os_family(read_os_release("/"));
  if (family == "deb") return "install it with 'apt install qemu-user-static binfmt-support'";
  if (family == "el") return "install it with 'dnf install qemu-user-static'";
  if (family == "suse") return "install it with 'zypper install qemu-linux-user'";
  return "install QEMU user emulation with its binfmt_misc handlers";
}

}  // namespace

void check_status(const std::string& what, int status) {
  if (status != 0) throw StatusError(status, what + " failed with exit code " + std::to_string(status));
}

Volume parse_volume(std::string_view spec) {
  std::string text(spec);
  auto colon = text.find(':');
  std::string src = text.substr(0, colon);
  std::string dst = colon == std::string::npos ? "" : text.substr(colon + 1);
  if (src.empty() || (colon != std::string::npos && dst.empty()))
    throw Error(ErrorKind::Usage, "volume '" + text + "': expected /src, /src:/dst or /src:-");
  Volume v;
  v.source = normal_absolute(src);
  if (colon == std::string::npos) {
    v.target = fs::path("/run/external") / v.source.relative_path();
  } else if (dst == "-") {
    v.target = v.source;
  } else {
    v.target = fs::path("/") / fs::path(dst).relative_path();
  }
  for (const auto& part : v.target) {
    if (part == "..") throw Error(ErrorKind::Usage, "volume '" + text + "': '..' is not allowed in the target");
  }
  v.target = normal_absolute(v.target);
  return v;
}

fs::path resolve_in_root(const fs::path& root, const fs::path& path) {
  std::deque<std::string> todo;
  for (const auto& part : path.relative_path()) todo.push_back(part.string());
  fs::path rel;
  int links = 0;
  while (!todo.empty()) {
    std::string part = todo.front();
    todo.pop_front();
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      rel = rel.parent_path();
      continue;
    }
    std::error_code ec;
    fs::path here = root / rel / part;
    if (!fs::is_symlink(fs::symlink_status(here, ec))) {
      rel /= part;
      continue;
    }
    if (++links > kMaxLinks) throw Error(ErrorKind::Invalid, here.string() + ": too many levels of symbolic links");
    fs::path target = fs::read_symlink(here, ec);
    if (target.is_absolute()) rel.clear();
    std::vector<std::string> parts;
    for (const auto& p : target.relative_path()) parts.push_back(p.string());
    todo.insert(todo.begin(), parts.begin(), parts.end());
  }
  return root / rel;
}

int run_constrained(const std::function<int()>& fn) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) throw Error(ErrorKind::Runtime, "cannot create a pipe: " + why());
  std::cout.flush();
  std::cerr.flush();
  std::fflush(nullptr);
  pid_t caller = ::getpid();
  pid_t child = ::fork();
  if (child < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    throw Error(ErrorKind::Runtime, "cannot fork: " + why());
  }
  if (child == 0) {
    ::close(fds[0]);
    run_namespace_parent(fn, fds[1], caller);
  }
  ::close(fds[1]);
  struct sigaction ignore {
  }, old_int{}, old_quit{};
  ignore.sa_handler = SIG_IGN;
  ::sigaction(SIGINT, &ignore, &old_int);
  ::sigaction(SIGQUIT, &ignore, &old_quit);
  std::string failure = read_all(fds[0]);
  ::close(fds[0]);
  int status = wait_for(child);
  ::sigaction(SIGINT, &old_int, nullptr);
  ::sigaction(SIGQUIT, &old_quit, nullptr);
  if (!failure.empty()) rethrow(failure);
  return exit_status(status);
}

void mount_image_filesystems(const fs::path& root, const std::vector<Volume>& volumes) {
  // A root that is a mount point of its own, as programs in a chroot expect.
  mount_or_throw(root.c_str(), root, nullptr, MS_BIND | MS_REC, root.string());
  bind_read_only("/dev", mount_point(root, "/dev"));
  bind_read_only("/dev/pts", mount_point(root, "/dev/pts"));
  mount_or_throw("proc", mount_point(root, "/proc"), "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, "proc");
  mount_or_throw("sysfs", mount_point(root, "/sys"), "sysfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "sysfs");
  mount_or_throw("runfs", mount_point(root, "/run"), "tmpfs", MS_NOSUID | MS_NODEV, "tmpfs", "mode=0755");
  for (const auto& v : volumes) {
    std::error_code ec;
    auto st = fs::status(v.source, ec);
    if (!fs::exists(st))
      throw Error(ErrorKind::NotFound, "volume " + v.source.string() + ": no such file or directory");
    bind_read_only(v.source, mount_point(root, v.target, !fs::is_directory(st)));
  }
}

void enter_image(const fs::path& root, const ImageCommand& command) {
  bind_resolv_conf(root);
  bind_build_source(root);
  if (::chroot(root.c_str()) != 0 || ::chdir("/") != 0)
    throw Error(ErrorKind::Runtime, "cannot chroot into " + root.string() + ": " + why());
  std::string prompt = "[\x1b[1m\x1b[4mIMGUTIL EXEC " + root.filename().string() + "\x1b[0m \\W]$ ";
  ::setenv("PS1", prompt.c_str(), 1);
  ::setenv("CONFLUENT_IMGUTIL_MODE", "exec", 1);
  for (const auto& [key, value] : command.env) ::setenv(key.c_str(), value.c_str(), 1);
  if (std::getenv("PATH") == nullptr)
    ::setenv("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", 1);
  std::vector<std::string> argv = command.argv;
  if (argv.empty()) argv = {"/bin/bash", "--login", "--noprofile"};
  std::vector<char*> args;
  for (auto& a : argv) args.push_back(a.data());
  args.push_back(nullptr);
  ::execvp(args[0], args.data());
  int err = errno;
  if (err == ENOENT) throw StatusError(127, argv[0] + ": command not found in the image");
  throw StatusError(126, argv[0] + ": cannot run in the image: " + std::strerror(err));
}

int run_in_image(const fs::path& root, const std::vector<Volume>& volumes, const ImageCommand& command) {
  return run_constrained([&]() -> int {
    mount_image_filesystems(root, volumes);
    enter_image(root, command);
  });
}

std::string binfmt_problem(const std::string& arch, const fs::path& binfmt_dir) {
  std::string host = host_arch();
  if (arch == host) return "";
  std::string what = "architecture '" + arch + "' is not this host's ('" + host + "') and ";
  std::error_code ec;
  if (!fs::exists(binfmt_dir / "status", ec)) return what + "binfmt_misc is not mounted at " + binfmt_dir.string();
  if (trim(read_file(binfmt_dir / "status")) != "enabled") return what + "binfmt_misc is disabled";
  fs::path handler = binfmt_dir / ("qemu-" + arch);
  if (!fs::exists(handler, ec)) return what + "no binfmt_misc handler qemu-" + arch + " is registered";
  auto lines = split(read_file(handler), '\n');
  if (lines.empty() || trim(lines[0]) != "enabled")
    return what + "the binfmt_misc handler qemu-" + arch + " is disabled";
  for (const auto& line : lines) {
    if (line.starts_with("flags:") && line.find('F', 6) != std::string::npos) return "";
  }
  return what + "the binfmt_misc handler qemu-" + arch + " lacks the F flag that running it in a chroot needs";
}

void require_arch_support(const std::string& arch) {
  std::string problem = binfmt_problem(arch);
  if (!problem.empty()) throw Error(ErrorKind::Invalid, problem + "; " + install_advice());
}

void check_image_arch(const fs::path& root) {
  auto info = read_buildinfo(root);
  if (info && !info->arch.empty()) require_arch_support(normalize_arch(info->arch));
}

}  // namespace confluent::imgutil
