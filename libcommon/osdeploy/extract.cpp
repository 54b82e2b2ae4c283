// Extraction of identified media into distributions/<name>: one listing pass (sizes, hard
// links, what to keep), one streaming pass writing straight from libarchive's buffers, all
// inside a temporary sibling directory renamed into place only when complete.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <unordered_set>

#include "base/error.h"
#include "base/strings.h"
#include "osdeploy/iso.h"
#include "osdeploy/media.h"

namespace confluent::osdeploy {

namespace {

using Clock = std::chrono::steady_clock;

[[noreturn]] void throw_errno(const std::string& what, const fs::path& path) {
  throw Error(ErrorKind::Runtime, "cannot " + what + " " + path.string() + ": " + std::strerror(errno));
}

// Which entries the method keeps. "ubuntu" keeps only what network boot needs: the casper
// kernels and initrds, the EFI loaders and GRUB's files; the installer reads the ISO itself.
bool wanted(const std::string& method, const std::string& path) {
  std::string base = path.substr(path.rfind('/') + 1);
  if (to_lower(base) == "trans.tbl") return false;
  if (method != "ubuntu") return true;
  std::string lower = to_lower(path);
  auto direct_child = [&](const std::string& dir) {
    return lower.rfind(dir, 0) == 0 && lower.find('/', dir.size()) == std::string::npos;
  };
  if (direct_child("casper/"))
    return base.find("vmlinuz") != std::string::npos || base.find("initrd") != std::string::npos;
  return direct_child("efi/boot/") || lower.rfind("boot/grub/", 0) == 0;
}

// Where each data-carrying entry goes: its own path when wanted, plus every wanted hard link
// to it (ISO 9660 shares one extent; libarchive gives the data to one entry only).
struct Plan {
  std::map<std::string, std::vector<std::string>> outputs;
  std::uint64_t total_bytes = 0;
};

Plan make_plan(const iso::Listing& listing, const std::string& method) {
  Plan plan;
  std::map<std::string, std::int64_t> sizes;
  for (const auto& e : listing.entries) {
    if (e.type == iso::EntryType::File) {
      sizes[e.path] = e.size;
      if (wanted(method, e.path)) plan.outputs[e.path].push_back(e.path);
    }
  }
  for (const auto& e : listing.entries) {
    if (e.type == iso::EntryType::Hardlink && wanted(method, e.path) && sizes.count(e.link) != 0) {
      plan.outputs[e.link].push_back(e.path);
    }
  }
  for (const auto& [path, outs] : plan.outputs) plan.total_bytes += static_cast<std::uint64_t>(sizes[path]);
  return plan;
}

// Writes entries below one directory we created and own. Parents are made on demand and
// remembered, so nothing is ever written through a symlink or over an earlier entry.
class Writer {
 public:
  Writer(const fs::path& iso, const fs::path& root, std::uint64_t total, const Progress& progress)
      : iso_(iso), root_(root), total_(total), progress_(progress) {
    root_fd_ = ::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (root_fd_ < 0) throw_errno("open", root);
  }
  ~Writer() { ::close(root_fd_); }
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  void directory(const std::string& path) {
    if (dirs_.count(path) != 0) return;
    auto slash = path.rfind('/');
    if (slash != std::string::npos) directory(path.substr(0, slash));
    if (::mkdirat(root_fd_, path.c_str(), 0755) != 0) {
      if (errno == EEXIST) conflict(path);
      throw_errno("create directory", root_ / path);
    }
    // umask may have stripped bits; the web server needs world-readable trees.
    if (::fchmodat(root_fd_, path.c_str(), 0755, 0) != 0) throw_errno("chmod", root_ / path);
    dirs_.insert(path);
  }

  void symlink(const std::string& path, const std::string& target) {
    parent_of(path);
    if (::symlinkat(target.c_str(), root_fd_, path.c_str()) != 0) {
      if (errno == EEXIST) conflict(path);
      throw_errno("create symlink", root_ / path);
    }
    links_.push_back(path);
  }

  // Streams the current entry's data into outs[0], then hard-links the others to it.
  void file(iso::Reader& reader, std::int64_t size, const std::vector<std::string>& outs) {
    parent_of(outs[0]);
    int fd = ::openat(root_fd_, outs[0].c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0) {
      if (errno == EEXIST) conflict(outs[0]);
      throw_errno("create", root_ / outs[0]);
    }
    try {
      copy_data(reader, fd, outs[0], size);
    } catch (...) {
      ::close(fd);
      throw;
    }
    if (::close(fd) != 0) throw_errno("write", root_ / outs[0]);
    for (std::size_t i = 1; i < outs.size(); ++i) {
      parent_of(outs[i]);
      if (::linkat(root_fd_, outs[0].c_str(), root_fd_, outs[i].c_str(), 0) != 0) {
        if (errno == EEXIST) conflict(outs[i]);
        throw_errno("link", root_ / outs[i]);
      }
    }
  }

  // The lexical check at listing time cannot see links chained through other links
  // ("a -> ..", "b -> a/.."); resolving them on disk can.
  void check_links() const {
    fs::path real_root = fs::canonical(root_);
    for (const auto& path : links_) {
      std::error_code ec;
      fs::path resolved = fs::weakly_canonical(root_ / path, ec);
      auto rel = ec ? fs::path("..") : resolved.lexically_relative(real_root);
      if (rel.empty() || *rel.begin() == "..") {
        throw Error(ErrorKind::Invalid, iso_.string() + ": refusing symlink '" + path + "' pointing outside the image");
      }
    }
  }

  void count(std::uint64_t bytes) {
    done_ += bytes;
    auto now = Clock::now();
    if (progress_ && now - last_report_ >= std::chrono::milliseconds(100)) {
      last_report_ = now;
      progress_("copying", total_ == 0 ? 100.0 : 100.0 * static_cast<double>(done_) / static_cast<double>(total_));
    }
  }

 private:
  void parent_of(const std::string& path) {
    auto slash = path.rfind('/');
    if (slash != std::string::npos) directory(path.substr(0, slash));
  }

  [[noreturn]] void conflict(const std::string& path) const {
    throw Error(ErrorKind::Invalid, iso_.string() + ": entry '" + path + "' appears twice or collides with another");
  }

  void copy_data(iso::Reader& reader, int fd, const std::string& out, std::int64_t size) {
    const void* data = nullptr;
    std::size_t n = 0;
    std::int64_t offset = 0, end = 0;
    while (reader.read_block(data, n, offset)) {
      const char* p = static_cast<const char*>(data);
      std::size_t left = n;
      while (left > 0) {
        ssize_t w = ::pwrite(fd, p, left, offset);
        if (w < 0) {
          if (errno == EINTR) continue;
          throw_errno("write", root_ / out);
        }
        p += w, left -= static_cast<std::size_t>(w), offset += w;
      }
      end = std::max(end, offset);
      count(n);
    }
    // A trailing hole (sparse zisofs data) still counts toward the file's length.
    if (end < size && ::ftruncate(fd, size) != 0) throw_errno("write", root_ / out);
    if (::fchmod(fd, 0644) != 0) throw_errno("chmod", root_ / out);
  }

  fs::path iso_, root_;
  int root_fd_ = -1;
  std::uint64_t total_ = 0, done_ = 0;
  const Progress& progress_;
  Clock::time_point last_report_ = Clock::now();
  std::unordered_set<std::string> dirs_;
  std::vector<std::string> links_;
};

void extract_entries(const fs::path& iso, const MediaInfo& info, const Plan& plan, Writer& writer) {
  iso::Reader reader(iso);
  iso::Entry e;
  while (reader.next(e)) {
    switch (e.type) {
      case iso::EntryType::Directory:
        // Kept when something inside it would be ("dir/x" stands for any child).
        if (info.method != "ubuntu" || wanted(info.method, e.path + "/x")) writer.directory(e.path);
        break;
      case iso::EntryType::Symlink:
        if (wanted(info.method, e.path)) writer.symlink(e.path, e.link);
        break;
      case iso::EntryType::File: {
        auto it = plan.outputs.find(e.path);
        if (it != plan.outputs.end()) writer.file(reader, e.size, it->second);
        break;
      }
      default:  // hard links are made with their data; devices and fifos have no place here
        break;
    }
  }
}

// The whole ISO, for installers (subiquity) that boot from it: copy_file_range keeps the
// bytes in the kernel (or reflinks them); plain read/write where the kernel refuses.
ssize_t copy_chunk(int in, int out, std::vector<char>& buf) {
  if (buf.empty()) {
    ssize_t n = ::copy_file_range(in, nullptr, out, nullptr, 16 << 20, 0);
    if (n >= 0 || (errno != EXDEV && errno != ENOSYS && errno != EINVAL && errno != EOPNOTSUPP)) return n;
    buf.resize(1 << 20);
  }
  ssize_t n = ::read(in, buf.data(), buf.size());
  for (ssize_t off = 0; n > 0 && off < n;) {
    ssize_t w = ::write(out, buf.data() + off, static_cast<std::size_t>(n - off));
    if (w < 0 && errno != EINTR) return -1;
    if (w > 0) off += w;
  }
  return n;
}

void copy_iso(const fs::path& iso, const fs::path& out, Writer& writer) {
  int in = ::open(iso.c_str(), O_RDONLY | O_CLOEXEC);
  if (in < 0) throw_errno("open", iso);
  int fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) {
    ::close(in);
    throw_errno("create", out);
  }
  std::vector<char> buf;
  ssize_t n = 0;
  while ((n = copy_chunk(in, fd, buf)) != 0) {
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) break;
    writer.count(static_cast<std::uint64_t>(n));
  }
  int err = errno;
  ::close(in);
  bool closed = ::close(fd) == 0;
  errno = err;
  if (n < 0) throw_errno("copy to", out);
  if (!closed) throw_errno("write", out);
  fs::permissions(out, fs::perms(0644));
}

void write_distinfo(const fs::path& dir, const MediaInfo& info, const fs::path& iso) {
  YAML::Emitter y;
  y << YAML::BeginMap;
  y << YAML::Key << "name" << YAML::Value << info.name;
  y << YAML::Key << "distro" << YAML::Value << info.distro;
  y << YAML::Key << "version" << YAML::Value << info.version;
  y << YAML::Key << "arch" << YAML::Value << info.arch;
  y << YAML::Key << "category" << YAML::Value << info.category;
  y << YAML::Key << "method" << YAML::Value << info.method;
  y << YAML::Key << "importedfile" << YAML::Value << fs::absolute(iso).lexically_normal().string();
  y << YAML::EndMap;
  fs::path out = dir / "distinfo.yaml";
  std::ofstream f(out);
  f << y.c_str() << "\n";
  f.close();
  if (!f) throw Error(ErrorKind::Runtime, "cannot write " + out.string());
  fs::permissions(out, fs::perms(0644));
}

// Never replaces: a concurrent import of the same media must not be overwritten.
void move_into_place(const fs::path& tmp, const fs::path& dest) {
  if (::renameat2(AT_FDCWD, tmp.c_str(), AT_FDCWD, dest.c_str(), RENAME_NOREPLACE) == 0) return;
  if (errno == EEXIST) throw Error(ErrorKind::Invalid, dest.string() + " already exists");
  if (errno != EINVAL && errno != ENOSYS) throw_errno("rename into", dest);
  std::error_code ec;
  if (fs::exists(fs::symlink_status(dest, ec))) throw Error(ErrorKind::Invalid, dest.string() + " already exists");
  if (::rename(tmp.c_str(), dest.c_str()) != 0) throw_errno("rename into", dest);
}

}  // namespace

void extract(const fs::path& iso, const MediaInfo& info, const fs::path& dest, const Progress& progress) {
  std::error_code ec;
  if (fs::exists(fs::symlink_status(dest, ec))) throw Error(ErrorKind::Invalid, dest.string() + " already exists");
  iso::check_magic(iso);
  iso::Listing listing = iso::scan(iso, {});
  Plan plan = make_plan(listing, info.method);
  bool copy = info.method == "ubuntu";
  std::uint64_t total = plan.total_bytes;
  if (copy) total += static_cast<std::uint64_t>(fs::file_size(iso));

  if (!dest.parent_path().empty()) fs::create_directories(dest.parent_path(), ec);
  fs::path tmp = dest;
  tmp += ".importing-" + std::to_string(::getpid());
  fs::remove_all(tmp, ec);  // left by an earlier run that died with our pid
  if (::mkdir(tmp.c_str(), 0755) != 0) throw_errno("create directory", tmp);
  try {
    fs::permissions(tmp, fs::perms(0755));
    Writer writer(iso, tmp, total, progress);
    extract_entries(iso, info, plan, writer);
    writer.check_links();
    if (copy) copy_iso(iso, tmp / "install.iso", writer);
    write_distinfo(tmp, info, iso);
    move_into_place(tmp, dest);
  } catch (...) {
    fs::remove_all(tmp, ec);
    throw;
  }
  if (progress) progress("complete", 100.0);
}

}  // namespace confluent::osdeploy
