#pragma once
// ISO 9660 images (Rock Ridge and Joliet names) read with libarchive: the checks that tell
// a corrupt or truncated image from a good one, a listing pass, and a streaming reader for
// extraction. Internal to osdeploy (detect.cpp, extract.cpp).
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "osdeploy/layout.h"

struct archive;
struct archive_entry;

namespace confluent::osdeploy::iso {

enum class EntryType { File, Directory, Symlink, Hardlink, Other };

struct Entry {
  std::string path;  // relative, '/'-separated, never absolute and without '.' or '..'
  EntryType type = EntryType::Other;
  std::int64_t size = 0;  // data bytes; 0 for directories and links
  std::string link;       // symlink target as stored, or the path a hardlink points to
};

struct Listing {
  std::vector<Entry> entries;                // in archive order, without the root "."
  std::map<std::string, std::string> files;  // contents of the small files asked for
  std::uint64_t data_bytes = 0;              // sum of the regular files' sizes
  std::set<std::string> paths;               // every entry's path, for lookups

  bool has(const std::string& path) const { return paths.count(path) != 0; }
};

// Throws Error NotFound "<iso>: no such file", or Invalid "<iso>: not an ISO 9660 image"
// unless the primary volume descriptor magic "CD001\x01" sits at byte 32769.
void check_magic(const fs::path& iso);

// Invalid "<iso>: not a readable ISO image (image is truncated ...)" when the file is
// shorter than the volume size its descriptor announces: directories usually sit at the
// start, so a half-copied image still lists fine and only fails mid-extraction.
void check_complete(const fs::path& iso);

// One pass over the directory tree: every entry, and the contents (first 1 MiB) of the
// files named in `wanted`. Invalid on libarchive errors, absolute paths, '..' components
// or symlinks whose target leaves the image.
Listing scan(const fs::path& iso, const std::set<std::string>& wanted);

// "a/./b/" -> "a/b"; throws Invalid naming `iso` for absolute paths and '..' components.
// Returns "" for the root itself.
std::string clean_path(const fs::path& iso, const std::string& raw);

// True when the symlink `target`, stored at `link_path`, stays inside the image once
// resolved lexically (relative, and no '..' climbing above the root).
bool link_stays_inside(const std::string& link_path, const std::string& target);

// Streams the image entry by entry, for extraction.
class Reader {
 public:
  explicit Reader(const fs::path& iso);
  ~Reader();
  Reader(const Reader&) = delete;
  Reader& operator=(const Reader&) = delete;

  // The next entry (the root "." is skipped), false at the end.
  bool next(Entry& entry);
  // The next block of the current entry's data, false at its end. `offset` is where the
  // block goes in the file (blocks may skip holes).
  bool read_block(const void*& data, std::size_t& size, std::int64_t& offset);
  // True until libarchive has produced any entry, the root included: an image whose
  // directory tree is garbage lists as empty without an error.
  bool empty() const { return headers_ == 0; }

 private:
  [[noreturn]] void fail() const;
  fs::path iso_;
  struct archive* archive_ = nullptr;
  long headers_ = 0;
};

// Invalid "<iso>: not a readable ISO image (<why>)".
[[noreturn]] void throw_unreadable(const fs::path& iso, const std::string& why);

}  // namespace confluent::osdeploy::iso
