#include "osdeploy/iso.h"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "base/error.h"
#include "base/strings.h"

namespace confluent::osdeploy::iso {

namespace {

constexpr std::int64_t kSector = 2048;
constexpr std::int64_t kFirstDescriptor = 16 * kSector;  // volume descriptors start at sector 16
constexpr std::size_t kMaxMarkerBytes = 1 << 20;         // marker files are a few hundred bytes
// libarchive's read unit: large reads keep extraction at disk speed (bsdtar's 10 KiB
// default is bumped by libarchive itself for regular files; 1 MiB matches or beats it).
constexpr std::size_t kReadBlock = 1 << 20;

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

Fd open_image(const fs::path& iso) {
  int fd = ::open(iso.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT || errno == ENOTDIR) throw Error(ErrorKind::NotFound, iso.string() + ": no such file");
    throw Error(ErrorKind::Runtime, iso.string() + ": " + std::strerror(errno));
  }
  return Fd(fd);
}

bool read_at(int fd, void* buf, std::size_t size, std::int64_t offset) {
  ssize_t n = ::pread(fd, buf, size, offset);
  return n == static_cast<ssize_t>(size);
}

std::uint32_t le32(const unsigned char* p) {
  return std::uint32_t(p[0]) | std::uint32_t(p[1]) << 8 | std::uint32_t(p[2]) << 16 | std::uint32_t(p[3]) << 24;
}

EntryType type_of(struct archive_entry* e) {
  if (archive_entry_hardlink(e) != nullptr) return EntryType::Hardlink;
  switch (archive_entry_filetype(e)) {
    case AE_IFREG:
      return EntryType::File;
    case AE_IFDIR:
      return EntryType::Directory;
    case AE_IFLNK:
      return EntryType::Symlink;
    default:
      return EntryType::Other;
  }
}

const char* pathname_of(struct archive_entry* e) {
  const char* p = archive_entry_pathname(e);
  if (p == nullptr) p = archive_entry_pathname_utf8(e);
  return p == nullptr ? "" : p;
}

}  // namespace

void throw_unreadable(const fs::path& iso, const std::string& why) {
  throw Error(ErrorKind::Invalid, iso.string() + ": not a readable ISO image (" + why + ")");
}

void check_magic(const fs::path& iso) {
  struct stat st {};
  if (::stat(iso.c_str(), &st) != 0) {
    if (errno == ENOENT || errno == ENOTDIR) throw Error(ErrorKind::NotFound, iso.string() + ": no such file");
    throw Error(ErrorKind::Runtime, iso.string() + ": " + std::strerror(errno));
  }
  if (!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode)) {
    throw Error(ErrorKind::Invalid, iso.string() + ": not an ISO 9660 image");
  }
  Fd fd = open_image(iso);
  char magic[6] = {};
  if (!read_at(fd.get(), magic, sizeof magic, kFirstDescriptor + 1) || std::memcmp(magic, "CD001\x01", 6) != 0) {
    throw Error(ErrorKind::Invalid, iso.string() + ": not an ISO 9660 image");
  }
}

void check_complete(const fs::path& iso) {
  Fd fd = open_image(iso);
  off_t actual = ::lseek(fd.get(), 0, SEEK_END);
  // Walk the descriptor set to the primary one (type 1); the El Torito boot record may
  // come first. 64 descriptors is far more than any real image carries.
  for (int i = 0; i < 64; ++i) {
    unsigned char d[kSector];
    if (!read_at(fd.get(), d, sizeof d, kFirstDescriptor + i * kSector)) break;
    if (std::memcmp(d + 1, "CD001", 5) != 0 || d[0] == 255) break;
    if (d[0] != 1) continue;
    std::int64_t block = std::int64_t(d[128]) | std::int64_t(d[129]) << 8;
    std::int64_t expected = std::int64_t(le32(d + 80)) * (block == 0 ? kSector : block);
    if (actual >= 0 && actual < expected) {
      throw_unreadable(iso,
                       "image is truncated: " + std::to_string(actual) + " of " + std::to_string(expected) + " bytes");
    }
    return;
  }
}

std::string clean_path(const fs::path& iso, const std::string& raw) {
  if (!raw.empty() && raw.front() == '/') {
    throw Error(ErrorKind::Invalid, iso.string() + ": refusing absolute path '" + raw + "' in the image");
  }
  std::string out;
  for (const auto& part : split(raw, '/')) {
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      throw Error(ErrorKind::Invalid, iso.string() + ": refusing path '" + raw + "' with '..' in the image");
    }
    if (!out.empty()) out.push_back('/');
    out += part;
  }
  return out;
}

bool link_stays_inside(const std::string& link_path, const std::string& target) {
  if (target.empty() || target.front() == '/') return false;
  // Depth of the directory holding the link, then walk the target's components.
  int depth = 0;
  for (const auto& part : split(link_path, '/')) {
    if (!part.empty() && part != ".") ++depth;
  }
  --depth;
  for (const auto& part : split(target, '/')) {
    if (part.empty() || part == ".") continue;
    depth += part == ".." ? -1 : 1;
    if (depth < 0) return false;
  }
  return true;
}

Reader::Reader(const fs::path& iso) : iso_(iso), archive_(archive_read_new()) {
  if (archive_ == nullptr) throw Error(ErrorKind::Runtime, "out of memory opening " + iso.string());
  archive_read_support_format_iso9660(archive_);
  if (archive_read_open_filename(archive_, iso.c_str(), kReadBlock) != ARCHIVE_OK) {
    std::string why = archive_error_string(archive_) ? archive_error_string(archive_) : "cannot open";
    archive_read_free(archive_);
    archive_ = nullptr;
    throw_unreadable(iso, why);
  }
}

Reader::~Reader() {
  if (archive_ != nullptr) archive_read_free(archive_);
}

void Reader::fail() const {
  const char* why = archive_error_string(archive_);
  throw_unreadable(iso_, why != nullptr ? why : "unknown libarchive error");
}

bool Reader::next(Entry& entry) {
  for (;;) {
    struct archive_entry* e = nullptr;
    int r = archive_read_next_header(archive_, &e);
    if (r == ARCHIVE_EOF) return false;
    // ARCHIVE_WARN carries a usable entry (e.g. odd Rock Ridge fields); only failures stop.
    if (r < ARCHIVE_WARN) fail();
    ++headers_;
    entry = Entry{};
    entry.path = clean_path(iso_, pathname_of(e));
    if (entry.path.empty()) continue;  // the root directory itself
    entry.type = type_of(e);
    if (entry.type == EntryType::Hardlink) {
      entry.link = clean_path(iso_, archive_entry_hardlink(e));
    } else if (entry.type == EntryType::Symlink) {
      const char* target = archive_entry_symlink(e);
      entry.link = target != nullptr ? target : "";
      if (!link_stays_inside(entry.path, entry.link)) {
        throw Error(ErrorKind::Invalid, iso_.string() + ": refusing symlink '" + entry.path + "' -> '" + entry.link +
                                            "' pointing outside the image");
      }
    } else if (entry.type == EntryType::File) {
      entry.size = archive_entry_size_is_set(e) ? archive_entry_size(e) : 0;
    }
    return true;
  }
}

bool Reader::read_block(const void*& data, std::size_t& size, std::int64_t& offset) {
  la_int64_t off = 0;
  int r = archive_read_data_block(archive_, &data, &size, &off);
  if (r == ARCHIVE_EOF) return false;
  if (r < ARCHIVE_WARN) fail();
  offset = off;
  return true;
}

Listing scan(const fs::path& iso, const std::set<std::string>& wanted) {
  Listing listing;
  Reader reader(iso);
  Entry entry;
  while (reader.next(entry)) {
    if (entry.type == EntryType::File) {
      listing.data_bytes += static_cast<std::uint64_t>(entry.size);
      if (wanted.count(entry.path) != 0) {
        std::string content;
        const void* data = nullptr;
        std::size_t size = 0;
        std::int64_t offset = 0;
        while (content.size() < kMaxMarkerBytes && reader.read_block(data, size, offset)) {
          std::size_t room = kMaxMarkerBytes - content.size();
          content.append(static_cast<const char*>(data), std::min(size, room));
        }
        listing.files[entry.path] = std::move(content);
      }
    }
    listing.paths.insert(entry.path);
    listing.entries.push_back(std::move(entry));
  }
  if (reader.empty()) throw_unreadable(iso, "no directory tree");
  return listing;
}

}  // namespace confluent::osdeploy::iso
