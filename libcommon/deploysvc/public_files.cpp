#include "deploysvc/public_files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <ctime>

#include "base/strings.h"

namespace confluent::deploysvc {

namespace {

std::optional<uint64_t> number(std::string_view s) {
  if (s.empty() || s.size() > 19) return std::nullopt;
  uint64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

std::string content_type(std::string_view path) {
  auto dot = path.rfind('.');
  auto slash = path.rfind('/');
  std::string_view ext = dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash)
                             ? std::string_view() : path.substr(dot + 1);
  if (ext == "ipxe" || ext == "cfg" || ext == "sh" || ext == "txt" || ext == "ks" || ext == "custom" ||
      ext == "pem" || ext == "pub") {
    return "text/plain; charset=utf-8";
  }
  if (ext == "yaml" || ext == "yml") return "application/yaml";
  if (ext == "json" || ext == "ign") return "application/json";
  if (ext == "xml") return "application/xml";
  if (ext == "iso") return "application/x-iso9660-image";
  return "application/octet-stream";
}

std::string http_date(time_t t) {
  struct tm tm;
  gmtime_r(&t, &tm);
  char buf[64];
  strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return buf;
}

}  // namespace

bool safe_relative_path(std::string_view relative) {
  if (relative.find('\0') != std::string_view::npos || relative.find('\\') != std::string_view::npos) return false;
  for (const auto& segment : split(relative, '/')) {
    if (segment == "..") return false;
  }
  return true;
}

std::optional<ByteRange> parse_range(std::string_view header, uint64_t size) {
  std::string_view h = trim(header);
  if (h.substr(0, 6) != "bytes=") return std::nullopt;
  h = trim(h.substr(6));
  if (h.find(',') != std::string_view::npos) return std::nullopt;  // several ranges: whole file
  auto dash = h.find('-');
  if (dash == std::string_view::npos) return std::nullopt;
  std::string_view a = trim(h.substr(0, dash)), b = trim(h.substr(dash + 1));
  if (a.empty()) {  // suffix: the last N bytes
    auto n = number(b);
    if (!n) return std::nullopt;
    if (*n == 0 || size == 0) return ByteRange{0, 0};
    uint64_t len = *n < size ? *n : size;
    return ByteRange{size - len, len};
  }
  auto first = number(a);
  if (!first) return std::nullopt;
  uint64_t last = size == 0 ? 0 : size - 1;
  if (!b.empty()) {
    auto l = number(b);
    if (!l || *l < *first) return std::nullopt;
    if (*l < last) last = *l;
  }
  if (*first >= size) return ByteRange{0, 0};
  return ByteRange{*first, last - *first + 1};
}

Response serve_file(const std::filesystem::path& root, std::string_view relative, const Request& request) {
  if (request.method != "GET" && request.method != "HEAD") {
    Response r = Response::text(405, "method not allowed");
    r.headers.emplace_back("Allow", "GET, HEAD");
    return r;
  }
  if (!safe_relative_path(relative)) return Response::text(403, "path outside the public tree refused");
  std::string path = (root / std::string(relative)).string();
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    if (errno == EACCES) return Response::text(403, "not readable");
    return Response::text(404, "not found");
  }
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return S_ISDIR(st.st_mode) ? Response::text(403, "directory listing is not offered")
                               : Response::text(404, "not found");
  }
  // Reads by sendfile() must not block on a FIFO or device: only regular files get here.
  int flags = fcntl(fd, F_GETFL);
  fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
  uint64_t size = static_cast<uint64_t>(st.st_size);
  Response r;
  r.fd = fd;
  r.length = size;
  r.content_type = content_type(path);
  r.headers.emplace_back("Accept-Ranges", "bytes");
  r.headers.emplace_back("Last-Modified", http_date(st.st_mtime));
  if (auto range = parse_range(request.header("range"), size)) {
    if (range->length == 0) {
      ::close(fd);
      Response bad = Response::text(416, "range not satisfiable");
      bad.headers.emplace_back("Content-Range", "bytes */" + std::to_string(size));
      return bad;
    }
    r.status = 206;
    r.offset = range->first;
    r.length = range->length;
    r.headers.emplace_back("Content-Range", "bytes " + std::to_string(range->first) + "-" +
                                                std::to_string(range->first + range->length - 1) + "/" +
                                                std::to_string(size));
  }
  return r;
}

}  // namespace confluent::deploysvc
