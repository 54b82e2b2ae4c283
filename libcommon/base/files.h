#pragma once
// Whole-file reads, atomic writes, and the two file handles that big streams (disk images of
// several GB) are copied through. Every error names the file.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace confluent {

// The whole file; throws Runtime "<file>: cannot read (<why>)".
std::string read_file(const std::filesystem::path& file);

// Writes `content` to `file` through a temporary sibling renamed into place, so readers (the
// web server, a second updateboot) never see half a file and a symlink is replaced, never
// written through. The mode is set explicitly, whatever the umask.
void write_file_atomic(const std::filesystem::path& file, std::string_view content, std::filesystem::perms mode);

// A file opened read-only for positioned reads.
class InputFile {
 public:
  explicit InputFile(const std::filesystem::path& file);
  ~InputFile();
  InputFile(const InputFile&) = delete;
  InputFile& operator=(const InputFile&) = delete;

  const std::filesystem::path& path() const { return path_; }
  uint64_t size() const { return size_; }
  // Up to `size` bytes from `offset`; fewer only at the end of the file.
  size_t read_at(uint64_t offset, void* data, size_t size) const;
  // Exactly `size` bytes from `offset`; throws Runtime "<file>: truncated ..." otherwise.
  void read_exact_at(uint64_t offset, void* data, size_t size) const;

 private:
  std::filesystem::path path_;
  int fd_ = -1;
  uint64_t size_ = 0;
};

// A file written through a temporary sibling that commit() renames into place; destroyed
// uncommitted (an error on the way), it leaves nothing behind.
class AtomicOutputFile {
 public:
  AtomicOutputFile(const std::filesystem::path& file, std::filesystem::perms mode);
  ~AtomicOutputFile();
  AtomicOutputFile(const AtomicOutputFile&) = delete;
  AtomicOutputFile& operator=(const AtomicOutputFile&) = delete;

  void write(const void* data, size_t size);
  void write(std::string_view data) { write(data.data(), data.size()); }
  // Zero bytes up to `size` in all (a hole when the file system allows).
  void extend_to(uint64_t size);
  uint64_t size() const { return written_; }
  void commit();

 private:
  [[noreturn]] void fail(const std::string& why);

  std::filesystem::path path_, tmp_;
  std::filesystem::perms mode_;
  int fd_ = -1;
  uint64_t written_ = 0;
};

}  // namespace confluent
