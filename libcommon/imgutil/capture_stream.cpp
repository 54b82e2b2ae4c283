#include "imgutil/capture_stream.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <set>

#include "base/error.h"
#include "base/files.h"
#include "base/strings.h"

namespace confluent::imgutil {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kStart = "IMGUTIL-CAPTURE 1";
constexpr size_t kBuffer = size_t{1} << 20;
constexpr size_t kMaxLine = 8192;
constexpr size_t kMaxSkipped = size_t{1} << 20;  // what login scripts may print before the stream

[[noreturn]] void corrupt(const std::string& why) { throw Error(ErrorKind::Invalid, "corrupt stream (" + why + ")"); }

// Buffered reads of a pipe: lines, then exact byte counts.
class Reader {
 public:
  Reader(int fd, const std::function<bool()>& interrupted) : fd_(fd), interrupted_(interrupted), buffer_(kBuffer) {}

  // A line without its newline; false at end of file.
  bool line(std::string& out) {
    out.clear();
    for (;;) {
      auto begin = buffer_.begin() + static_cast<std::ptrdiff_t>(pos_);
      auto end = buffer_.begin() + static_cast<std::ptrdiff_t>(end_);
      auto nl = std::find(begin, end, '\n');
      out.append(begin, nl);
      pos_ = static_cast<size_t>(nl - buffer_.begin());
      if (nl != end) {
        ++pos_;
        return true;
      }
      if (out.size() > kMaxLine) corrupt("a line of more than " + std::to_string(kMaxLine) + " bytes");
      if (!fill()) return false;
    }
  }

  // Copies exactly `size` bytes to `out`; false when the stream ends first.
  bool copy(uint64_t size, int out, const std::function<void(uint64_t)>& progress) {
    for (uint64_t done = 0; done < size;) {
      if (pos_ == end_ && !fill()) return false;
      size_t chunk = static_cast<size_t>(std::min<uint64_t>(end_ - pos_, size - done));
      write_all(out, buffer_.data() + pos_, chunk);
      pos_ += chunk;
      done += chunk;
      if (progress) progress(done);
    }
    return true;
  }

 private:
  bool fill() {
    for (;;) {
      ssize_t n = ::read(fd_, buffer_.data(), buffer_.size());
      if (n > 0) {
        pos_ = 0;
        end_ = static_cast<size_t>(n);
        return true;
      }
      if (n == 0) return false;
      if (errno != EINTR)
        throw Error(ErrorKind::Runtime, std::string("cannot read the stream: ") + std::strerror(errno));
      if (interrupted_ && interrupted_()) throw Error(ErrorKind::Runtime, "interrupted");
    }
  }
  static void write_all(int out, const char* data, size_t size) {
    while (size > 0) {
      ssize_t n = ::write(out, data, size);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) throw Error(ErrorKind::Runtime, std::string("cannot write a received file: ") + std::strerror(errno));
      data += n;
      size -= static_cast<size_t>(n);
    }
  }

  int fd_;
  const std::function<bool()>& interrupted_;
  std::vector<char> buffer_;
  size_t pos_ = 0, end_ = 0;
};

void check_name(const std::string& name) {
  if (name.empty() || name.front() == '/') corrupt("file name '" + name + "' is not relative");
  for (const auto& part : split(name, '/')) {
    bool ok = !part.empty() && part != "." && part != ".." && std::all_of(part.begin(), part.end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '_' || c == '+' || c == '-';
    });
    if (!ok) corrupt("file name '" + name + "' is not allowed");
  }
}

uint64_t parse_size(const std::string& text) {
  if (text.empty() || text.size() > 19 || text.find_first_not_of("0123456789") != std::string::npos)
    corrupt("file size '" + text + "'");
  return std::stoull(text);
}

void receive_file(Reader& reader, const fs::path& file, const std::string& name, uint64_t size,
                  const ReceiveProgress& progress) {
  fs::create_directories(file.parent_path());
  int out = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (out < 0) throw Error(ErrorKind::Runtime, file.string() + ": cannot write (" + std::strerror(errno) + ")");
  bool whole = false;
  try {
    whole = reader.copy(size, out, [&](uint64_t done) {
      if (progress) progress(name, done, size);
    });
  } catch (...) {
    ::close(out);
    throw;
  }
  if (::close(out) != 0) throw Error(ErrorKind::Runtime, file.string() + ": cannot write");
  if (!whole) throw Error(ErrorKind::Runtime, "the stream ended early, in '" + name + "'");
}

}  // namespace

std::vector<std::string> receive_stream(int fd, const fs::path& dir, const ReceiveProgress& progress,
                                        const std::function<bool()>& interrupted) {
  Reader reader(fd, interrupted);
  std::string line;
  size_t skipped = 0;
  for (;;) {
    if (!reader.line(line)) throw Error(ErrorKind::Runtime, "the stream ended early, before it started");
    if (line == kStart) break;
    skipped += line.size() + 1;
    if (skipped > kMaxSkipped) corrupt("no start line in the first MiB");
  }
  std::vector<std::string> names;
  std::set<std::string> seen;
  for (;;) {
    if (!reader.line(line))
      throw Error(ErrorKind::Runtime,
                  "the stream ended early, after " + (names.empty() ? "no file" : "'" + names.back() + "'"));
    if (line == "END") return names;
    if (!line.starts_with("FILE ")) corrupt("unexpected line '" + line.substr(0, 80) + "'");
    size_t space = line.find(' ', 5);
    if (space == std::string::npos) corrupt("FILE line without a name");
    uint64_t size = parse_size(line.substr(5, space - 5));
    std::string name = line.substr(space + 1);
    check_name(name);
    if (!seen.insert(name).second) corrupt("file '" + name + "' sent twice");
    receive_file(reader, dir / name, name, size, progress);
    names.push_back(name);
  }
}

std::string shell_quote(const std::string& word) {
  std::string out = "'";
  for (char c : word) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string shell_payload(const fs::path& source) {
  std::vector<fs::path> entries;
  for (const auto& e : fs::recursive_directory_iterator(source, fs::directory_options::follow_directory_symlink))
    entries.push_back(fs::relative(e.path(), source));
  std::sort(entries.begin(), entries.end());
  std::string out = "imgutil_payload() {\n";
  for (const auto& rel : entries) {
    fs::path full = source / rel;
    std::string target = "\"$1\"/" + shell_quote(rel.string());
    if (fs::is_directory(full)) {
      out += "  mkdir -p " + target + " || return 1\n";
      continue;
    }
    if (!fs::is_regular_file(full)) continue;
    std::string content = read_file(full);
    if (content.find('\0') != std::string::npos)
      throw Error(ErrorKind::Invalid, full.string() + ": not a text file, cannot be sent to the node");
    if (!content.empty() && content.back() != '\n') content += '\n';
    std::string delimiter = "IMGUTIL_PAYLOAD_EOF";
    while (("\n" + content).find("\n" + delimiter + "\n") != std::string::npos) delimiter += "_";
    out += "  cat >" + target + " <<'" + delimiter + "' || return 1\n" + content + delimiter + "\n";
    auto mode = static_cast<unsigned>(fs::status(full).permissions() & fs::perms::mask) & 07777U;
    char octal[8];
    std::snprintf(octal, sizeof octal, "%04o", mode);
    out += "  chmod " + std::string(octal) + " " + target + " || return 1\n";
  }
  return out + "}\n";
}

}  // namespace confluent::imgutil
