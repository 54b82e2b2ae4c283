#pragma once
// The isolation that build and exec run image commands in (spec §6.1): a child that is PID 1
// of its own mount and PID namespaces, with / recursively private, so that every mount made
// for the image (the root bound onto itself, /dev, proc, sys, run, volumes, resolv.conf)
// lives in that namespace and vanishes with it, whatever happens. Root only.
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/error.h"

namespace confluent::imgutil {

// A failure whose exit status is not its kind's: the command for the image could not start
// (127 not found, 126 not runnable, as chroot(1)), or a build step exited with `status`.
class StatusError : public Error {
 public:
  StatusError(int status, const std::string& message) : Error(ErrorKind::Runtime, message), status_(status) {}
  int status() const { return status_; }

 private:
  int status_;
};

// Throws StatusError(status, "<what> failed with exit code <status>") unless status is 0.
void check_status(const std::string& what, int status);

// -v: a host directory (or file) made visible read-only in the image.
struct Volume {
  std::filesystem::path source;  // on the host, absolute
  std::filesystem::path target;  // in the image, absolute
};

// The three forms: "/src" at /run/external/src, "/src:/dst" at /dst, "/src:-" at /src. A
// relative source is made absolute. Throws Usage for an empty side or a ".." in the target.
Volume parse_volume(std::string_view spec);

// `path` as the image sees it, as a host path under `root`: symbolic links are followed as
// they would be inside the image (an absolute target starts at `root`, ".." stops there);
// the components that do not exist are appended as they are. Never leaves `root`.
std::filesystem::path resolve_in_root(const std::filesystem::path& root, const std::filesystem::path& path);

// Runs `fn` in a child that is PID 1 of new mount and PID namespaces, after making /
// recursively private and mounting a fresh /proc. `fn` usually execs; returns its exit
// status, 128+N when it was killed by signal N. A confluent::Error thrown by `fn` is thrown
// again here, StatusError with its status. SIGINT and SIGQUIT are ignored while waiting (the
// command gets them from the terminal), and the child is killed if the caller dies.
int run_constrained(const std::function<int()>& fn);

// In the constrained child: binds `root` onto itself, /dev and /dev/pts read-only, mounts
// proc, sysfs and a tmpfs on run, and each volume read-only. Missing mount points are made.
void mount_image_filesystems(const std::filesystem::path& root, const std::vector<Volume>& volumes);

// A command to run in the image; an empty argv is an interactive `/bin/bash --login
// --noprofile`. `env` is added to the environment.
struct ImageCommand {
  std::vector<std::string> argv;
  std::vector<std::pair<std::string, std::string>> env;
};

// In the constrained child, after mount_image_filesystems: binds the host's resolv.conf
// read-only over the image's, the buildinfo BUILDSRC at /run/confluentdistro, chroots, sets
// PS1 and CONFLUENT_IMGUTIL_MODE=exec, and execs the command found on PATH in the image.
// Returns only by throwing.
[[noreturn]] void enter_image(const std::filesystem::path& root, const ImageCommand& command);

// run_constrained of mount_image_filesystems and enter_image: the command's exit status.
int run_in_image(const std::filesystem::path& root, const std::vector<Volume>& volumes, const ImageCommand& command);

// Why this host cannot run programs of `arch` (normalized), or "" when it can: its own
// architecture, or a binfmt_misc handler qemu-<arch> that is enabled and has the F flag,
// looked for in `binfmt_dir`.
std::string binfmt_problem(const std::string& arch,
                           const std::filesystem::path& binfmt_dir = "/proc/sys/fs/binfmt_misc");

// Throws Invalid "<binfmt_problem>: <how to install qemu user emulation on this host>" when
// this host cannot run programs of `arch`.
void require_arch_support(const std::string& arch);

// exec's check: the image's buildinfo ARCH (if any) must be runnable here.
void check_image_arch(const std::filesystem::path& root);

}  // namespace confluent::imgutil
