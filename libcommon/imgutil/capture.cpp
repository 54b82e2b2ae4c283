#include "imgutil/capture.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <csignal>
#include <ctime>

#include "base/error.h"
#include "base/files.h"
#include "base/process.h"
#include "base/strings.h"
#include "imgutil/build.h"
#include "imgutil/buildinfo.h"
#include "imgutil/capture_fingerprint.h"
#include "imgutil/crypt_image.h"
#include "imgutil/isolate.h"
#include "imgutil/multisquash.h"
#include "imgutil/pack.h"
#include "imgutil/profile_work.h"
#include "osdeploy/profiles.h"

namespace confluent::imgutil {

namespace fs = std::filesystem;
namespace od = confluent::osdeploy;

namespace {

const fs::perms kPublicFile = fs::perms(0644);
constexpr const char* kCapenv = "/run/imgutil/capenv";

// Ctrl-C, SIGTERM and SIGHUP only note the signal while a capture runs, so that it can stop
// its ssh, clean the node and remove the unfinished profile before it exits.
volatile std::sig_atomic_t g_signal = 0;
void note_signal(int sig) { g_signal = sig; }

class InterruptGuard {
 public:
  InterruptGuard() {
    g_signal = 0;
    struct sigaction note {};
    note.sa_handler = note_signal;  // no SA_RESTART: a blocking read returns EINTR
    sigemptyset(&note.sa_mask);
    for (size_t i = 0; i < kSignals.size(); ++i) ::sigaction(kSignals[i], &note, &old_[i]);
  }
  ~InterruptGuard() {
    for (size_t i = 0; i < kSignals.size(); ++i) ::sigaction(kSignals[i], &old_[i], nullptr);
  }
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;

  static bool interrupted() { return g_signal != 0; }
  static void check(const std::string& node) {
    if (g_signal != 0)
      throw StatusError(128 + g_signal, "capture of '" + node + "' interrupted by signal " + std::to_string(g_signal));
  }

 private:
  static constexpr std::array<int, 3> kSignals = {SIGINT, SIGTERM, SIGHUP};
  std::array<struct sigaction, 3> old_{};
};

// A descriptor closed on scope exit.
class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  ~Fd() { reset(); }
  Fd(Fd&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  Fd& operator=(Fd&&) = delete;
  int get() const { return fd_; }
  void reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_;
};

Fd memory_file(const std::string& content) {
  Fd fd(::memfd_create("imgutil-capture", MFD_CLOEXEC));
  if (fd.get() < 0) throw Error(ErrorKind::Runtime, "cannot create a memory file");
  for (size_t done = 0; done < content.size();) {
    ssize_t n = ::write(fd.get(), content.data() + done, content.size() - done);
    if (n <= 0) throw Error(ErrorKind::Runtime, "cannot write a memory file");
    done += static_cast<size_t>(n);
  }
  ::lseek(fd.get(), 0, SEEK_SET);
  return fd;
}

std::string last_line(int fd) {
  std::string text;
  char buf[4096];
  ::lseek(fd, 0, SEEK_SET);
  for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;) text.append(buf, static_cast<size_t>(n));
  std::string last;
  for (const auto& line : split(text, '\n')) {
    if (!trim(line).empty()) last = std::string(trim(line));
  }
  return last;
}

int wait_child(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) throw Error(ErrorKind::Runtime, "cannot wait for ssh");
  }
  return exit_status(status);
}

// One node's side of the capture: each mode of the script, run over its own ssh connection.
class NodeShell {
 public:
  NodeShell(std::string node, std::string script) : node_(std::move(node)), script_(std::move(script)) {}
  // Whether a step has reached the node (and so may have left /run/imgutil there).
  bool reached() const { return reached_; }

  // Runs `mode` with `args` (the payload defines imgutil_payload before the script) and
  // receives its stream into `dir`.
  void run(const std::string& mode, const std::vector<std::string>& args, const std::string& payload,
           const fs::path& dir, const ReceiveProgress& progress = {}) {
    std::string remote = std::string("umask 077 && mkdir -p ") + kCapenv + " && cat >" + kCapenv +
                         "/capture-node.sh && exec sh " + kCapenv + "/capture-node.sh " + mode;
    for (const auto& a : args) remote += " " + shell_quote(a);
    Fd in = memory_file(payload + script_);
    Fd err = memory_file("");
    int out[2];
    if (::pipe2(out, O_CLOEXEC) != 0) throw Error(ErrorKind::Runtime, "cannot create a pipe");
    Fd out_read(out[0]), out_write(out[1]);
    pid_t pid = spawn_program({"ssh", "-o", "BatchMode=yes", "-o", "ConnectTimeout=10", "-o", "ServerAliveInterval=15",
                                "-o", "ServerAliveCountMax=4", "-T", "--", node_, remote},
                              in.get(), out_write.get(), err.get());
    out_write.reset();
    std::string stream_error;
    try {
      receive_stream(out_read.get(), dir, progress, &InterruptGuard::interrupted);
    } catch (const std::exception& e) {
      stream_error = e.what();
      ::kill(pid, SIGTERM);
    }
    out_read.reset();
    int status = wait_child(pid);
    InterruptGuard::check(node_);
    std::string why = last_line(err.get());
    if (status == 255 && reached_)
      throw Error(ErrorKind::Runtime, "lost the ssh connection to node '" + node_ + "': " + why);
    if (status == 255) throw Error(ErrorKind::Runtime, "cannot reach node '" + node_ + "' over ssh: " + why);
    reached_ = true;
    if (status != 0)
      throw Error(ErrorKind::Runtime, "node '" + node_ + "': " +
                                          (why.empty() ? mode + " exited with status " + std::to_string(status) : why));
    if (!stream_error.empty()) throw Error(ErrorKind::Runtime, "node '" + node_ + "': " + mode + ": " + stream_error);
  }

 private:
  std::string node_, script_;
  bool reached_ = false;
};

// capturelocalcleanup on the node once a step has reached it, however the capture ends.
class NodeCleanup {
 public:
  NodeCleanup(NodeShell& shell, fs::path scratch) : shell_(shell), scratch_(std::move(scratch)) {}
  ~NodeCleanup() {
    try {
      finish();
    } catch (...) {  // the capture's own error is the one to report
    }
  }
  NodeCleanup(const NodeCleanup&) = delete;
  NodeCleanup& operator=(const NodeCleanup&) = delete;

  void finish() {
    if (done_ || !shell_.reached()) return;
    done_ = true;
    shell_.run("capturelocalcleanup", {}, "", scratch_);
  }

 private:
  NodeShell& shell_;
  fs::path scratch_;
  bool done_ = false;
};

uint64_t parse_number(const std::string& text) {
  if (text.empty() || text.size() > 19 || text.find_first_not_of("0123456789") != std::string::npos)
    throw Error(ErrorKind::Invalid, "filesystems.tsv: '" + text + "' is not a size");
  return std::stoull(text);
}

// filesystems.tsv: index, mount, type, device, options, minsize, initsize; "/" first.
std::vector<MultisquashPartition> read_filesystems(const fs::path& dir) {
  std::vector<MultisquashPartition> parts;
  for (const auto& line : split(read_file(dir / "filesystems.tsv"), '\n')) {
    if (line.empty()) continue;
    std::vector<std::string> f = split(line, '\t');
    if (f.size() != 7 || f[0] != std::to_string(parts.size()) || !f[1].starts_with("/"))
      throw Error(ErrorKind::Invalid, "filesystems.tsv: unexpected line '" + line + "'");
    MultisquashPartition p{
        f[1], f[2], f[3], f[4], parse_number(f[5]), parse_number(f[6]), dir / ("fs" + f[0] + ".sfs")};
    if (!fs::is_regular_file(p.squashfs))
      throw Error(ErrorKind::Invalid, p.squashfs.filename().string() + " is missing");
    parts.push_back(p);
  }
  if (parts.empty() || parts.front().mount != "/")
    throw Error(ErrorKind::Invalid, "filesystems.tsv: the root file system is not the first");
  return parts;
}

void check_options(const CaptureOptions& o) {
  check_new_profile_name(o.profile);
  if (o.node.empty() || o.node.front() == '-') throw Error(ErrorKind::Usage, "'" + o.node + "' is not a node name");
  const auto& known = pack_compressors();
  if (std::find(known.begin(), known.end(), o.compression) == known.end())
    throw Error(ErrorKind::Usage, "'" + o.compression + "' is not a squashfs compressor capture offers");
  od::require_site_content();
  if (!fs::is_regular_file(capture_script()))
    throw Error(ErrorKind::NotFound, capture_script().string() + ": the node-side script of capture is missing");
}

std::string capture_profile_yaml(const NodeFingerprint& fp, const std::string& profile) {
  std::string label = fp.name + (fp.os.version_id.empty() ? "" : " " + fp.os.version_id) + " (" + profile + ")";
  return "label: " + yaml_scalar(label) +
         "\nkernelargs: boot=confluent quiet installtodisk # remove installtodisk to boot stateless\n";
}

void write_capture_info(const std::string& node, const fs::path& dir) {
  write_file_atomic(dir / "build-info",
                    "CAPTUREDFROM=" + node + "\nCAPTUREDATE=" + build_date(std::time(nullptr)) + "\n", kPublicFile);
}

// Progress that first stops a long local step when the capture is interrupted.
ImageProgress checked(const ImageProgress& progress, const std::string& node) {
  return [progress, node](uint64_t done, uint64_t total) {
    InterruptGuard::check(node);
    if (progress) progress(done, total);
  };
}

// The multisquash of the captured file systems, encrypted into `work`/rootimg.sfs.
CryptKey make_image(const CaptureOptions& o, const ProfileWork& w, const fs::path& fsdir, const CaptureProgress& p) {
  fs::path plain = w.private_dir() / "rootimg.multisquash";
  write_multisquash(plain, read_filesystems(fsdir), checked(p.assemble, o.node));
  fs::remove_all(fsdir);
  CryptKey key = generate_crypt_key();
  encrypt_image(plain, w.dir() / "rootimg.sfs", key, checked(p.encrypt, o.node));
  fs::remove(plain);
  fs::permissions(w.dir() / "rootimg.sfs", kPublicFile);
  return key;
}

void add_boot_files(const NodeFingerprint& fp, const fs::path& bootdir, const fs::path& work,
                    std::vector<std::string>& warnings) {
  for (const char* name : {"kernel", "initramfs"}) {
    if (!fs::is_regular_file(bootdir / name)) throw Error(ErrorKind::Invalid, std::string("the node sent no ") + name);
  }
  Bootloaders loaders = find_bootloaders(bootdir / "root", fp.arch);
  install_boot_files(work, bootdir / "kernel", bootdir / "initramfs", loaders, fp.arch, fp.os.id);
  if (loaders.shim.empty() && loaders.grub.empty() && !fp.optional_prereqs.empty())
    warnings.push_back("the node has no UEFI boot loaders, so the profile boots through iPXE only; " +
                       install_hint(fp.package_tool, fp.optional_prereqs) + " on the node adds them");
}

}  // namespace

fs::path capture_script() { return imgutil_data_dir() / "capture-node.sh"; }

CaptureResult capture_node(const CaptureOptions& o, const CaptureProgress& p) {
  check_options(o);
  auto step = [&](const std::string& text) {
    if (p.step) p.step(text);
  };
  InterruptGuard guard;
  CaptureResult result;
  ProfileWork w(o.profile);
  w.create();
  NodeShell shell(o.node, read_file(capture_script()));
  NodeCleanup cleanup(shell, w.private_dir() / "cleanup");
  step("fingerprinting " + o.node);
  shell.run("getfingerprint", {}, "", w.private_dir());
  NodeFingerprint fp = parse_fingerprint(read_file(w.private_dir() / "fingerprint.json"));
  fs::path hook = boot_hook_dir(fp, o.node);
  check_prerequisites(fp, o.node);
  std::string kernel = capture_kernel(fp, o.node);
  step("capturing the file systems of " + o.node + " (mksquashfs -comp " + o.compression + " on the node)");
  shell.run("capturelocal", {o.compression}, "", w.private_dir() / "filesystems", p.receive);
  step("making the initramfs of kernel " + kernel + " with the boot hook (" + fp.initramfs + " on the node)");
  shell.run("capturelocalboot", {kernel, fp.initramfs}, shell_payload(hook), w.private_dir() / "boot", p.receive);
  step("cleaning up " + o.node);
  try {
    cleanup.finish();
  } catch (const StatusError&) {
    throw;
  } catch (const Error& e) {  // what the node made is in hand; what it kept there is not secret
    result.warnings.push_back(std::string(e.what()) + " (cleaning up /run/imgutil)");
  }
  step("assembling and encrypting the image");
  CryptKey key = make_image(o, w, w.private_dir() / "filesystems", p);
  add_boot_files(fp, w.private_dir() / "boot", w.dir(), result.warnings);
  write_capture_info(o.node, w.dir());
  add_diskless_templates(o.profile, fp.os, fp.arch, w.dir(), result.warnings);
  write_file_atomic(w.dir() / "profile.yaml", capture_profile_yaml(fp, o.profile), kPublicFile);
  od::make_profile_dirs_servable(w.dir());
  InterruptGuard::check(o.node);
  w.place(&key);
  chown_to_confluent(w, true);
  od::updateboot(o.profile);
  w.commit();
  result.profile_dir = w.final_dir();
  return result;
}

}  // namespace confluent::imgutil
