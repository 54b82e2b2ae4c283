#include "base/files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "base/error.h"

namespace confluent {

namespace fs = std::filesystem;

namespace {

std::string why() { return std::strerror(errno); }

}  // namespace

std::string read_file(const fs::path& file) {
  InputFile in(file);
  // To the end, not to the size fstat gave: files in /proc and /sys report 0.
  std::string text;
  for (size_t chunk = 1 << 16;; chunk = 1 << 16) {
    size_t at = text.size();
    text.resize(at + chunk);
    size_t n = in.read_at(at, text.data() + at, chunk);
    text.resize(at + n);
    if (n < chunk) return text;
  }
}

void write_file_atomic(const fs::path& file, std::string_view content, fs::perms mode) {
  AtomicOutputFile out(file, mode);
  out.write(content);
  out.commit();
}

InputFile::InputFile(const fs::path& file) : path_(file) {
  fd_ = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  struct stat st {};
  if (fd_ < 0 || ::fstat(fd_, &st) != 0) {
    std::string reason = why();
    if (fd_ >= 0) ::close(fd_);
    throw Error(ErrorKind::Runtime, file.string() + ": cannot read (" + reason + ")");
  }
  if (S_ISDIR(st.st_mode)) {
    ::close(fd_);
    throw Error(ErrorKind::Runtime, file.string() + ": cannot read (is a directory)");
  }
  size_ = static_cast<uint64_t>(st.st_size);
}

InputFile::~InputFile() { ::close(fd_); }

size_t InputFile::read_at(uint64_t offset, void* data, size_t size) const {
  size_t done = 0;
  auto* out = static_cast<char*>(data);
  while (done < size) {
    ssize_t n = ::pread(fd_, out + done, size - done, static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw Error(ErrorKind::Runtime, path_.string() + ": cannot read (" + why() + ")");
    if (n == 0) break;
    done += static_cast<size_t>(n);
  }
  return done;
}

void InputFile::read_exact_at(uint64_t offset, void* data, size_t size) const {
  if (read_at(offset, data, size) != size) {
    throw Error(ErrorKind::Runtime, path_.string() + ": truncated (" + std::to_string(size) + " bytes at offset " +
                                        std::to_string(offset) + " are past its end)");
  }
}

AtomicOutputFile::AtomicOutputFile(const fs::path& file, fs::perms mode) : path_(file), mode_(mode) {
  tmp_ = file;
  tmp_ += ".tmp" + std::to_string(getpid());
  fd_ = ::open(tmp_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd_ < 0) throw Error(ErrorKind::Runtime, path_.string() + ": cannot write (" + why() + ")");
}

AtomicOutputFile::~AtomicOutputFile() {
  if (fd_ >= 0) {
    ::close(fd_);
    ::unlink(tmp_.c_str());
  }
}

void AtomicOutputFile::fail(const std::string& reason) {
  ::close(fd_);
  fd_ = -1;
  ::unlink(tmp_.c_str());
  throw Error(ErrorKind::Runtime, path_.string() + ": cannot write (" + reason + ")");
}

void AtomicOutputFile::write(const void* data, size_t size) {
  const auto* in = static_cast<const char*>(data);
  size_t done = 0;
  while (done < size) {
    ssize_t n = ::write(fd_, in + done, size - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) fail(n < 0 ? why() : "short write");
    done += static_cast<size_t>(n);
  }
  written_ += size;
}

void AtomicOutputFile::extend_to(uint64_t size) {
  if (size <= written_) return;
  if (::ftruncate(fd_, static_cast<off_t>(size)) != 0 || ::lseek(fd_, static_cast<off_t>(size), SEEK_SET) < 0) {
    fail(why());
  }
  written_ = size;
}

void AtomicOutputFile::commit() {
  // fchmod, not the umask: profiles are served by the web server whatever the caller's umask.
  if (::fchmod(fd_, static_cast<mode_t>(mode_)) != 0) fail(why());
  int rc = ::close(fd_);
  fd_ = -1;
  if (rc != 0 || ::rename(tmp_.c_str(), path_.c_str()) != 0) {
    std::string reason = why();
    ::unlink(tmp_.c_str());
    throw Error(ErrorKind::Runtime, path_.string() + ": cannot write (" + reason + ")");
  }
}

}  // namespace confluent
