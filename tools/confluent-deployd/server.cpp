#include "server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <thread>

#include "base/error.h"
#include "base/strings.h"
#include "deploysvc/service.h"
#include "base/files.h"

namespace confluent::deploysvc {

namespace {

constexpr size_t kMaxBody = 64 * 1024;

class AccessLog {
 public:
  explicit AccessLog(const std::string& target) : target_(target) {
    if (target == "none") {
      fd_ = -1;
    } else if (!target.empty()) {
      fd_ = ::open(target.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
      if (fd_ < 0) throw Error(ErrorKind::Runtime, "cannot open access log '" + target + "': " + std::strerror(errno));
      owned_ = true;
    }
  }
  ~AccessLog() {
    if (owned_) ::close(fd_);
  }
  // After log rotation: the same file name, a new file. The descriptor number stays, so
  // threads writing at that moment write to the old file or the new one, never nowhere.
  void reopen() {
    if (!owned_) return;
    int fd = ::open(target_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
    if (fd < 0) return;  // keep logging to the old file rather than stop
    ::dup2(fd, fd_);
    ::close(fd);
  }
  // One write per line: lines of concurrent requests never interleave.
  void line(const std::string& text) const {
    if (fd_ >= 0) (void)!::write(fd_, text.data(), text.size());
  }

 private:
  std::string target_;
  int fd_ = 2;
  bool owned_ = false;
};

struct Shared {
  Service service;
  AccessLog log;
  bool proxied = false;
  explicit Shared(const ServerOptions& o) : log(o.access_log), proxied(o.proxied) {}
};

struct Front {
  Shared* shared;
  bool tls;
};

// One request's state between libmicrohttpd's calls.
struct Exchange {
  std::string body;
  bool too_large = false;
  std::string line;  // access-log line without the outcome
  int status = 0;
  uint64_t bytes = 0;
};

std::string address_text(const sockaddr* sa) {
  char buf[INET6_ADDRSTRLEN] = "?";
  if (sa->sa_family == AF_INET) {
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(sa)->sin_addr, buf, sizeof buf);
  } else if (sa->sa_family == AF_INET6) {
    inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(sa)->sin6_addr, buf, sizeof buf);
    if (std::strncmp(buf, "::ffff:", 7) == 0 && std::strchr(buf + 7, '.')) return buf + 7;
  }
  return buf;
}

MHD_Result collect_header(void* cls, MHD_ValueKind, const char* key, const char* value) {
  auto* headers = static_cast<std::vector<std::pair<std::string, std::string>>*>(cls);
  headers->emplace_back(to_lower(key), value ? value : "");
  return MHD_YES;
}

std::string client_address(MHD_Connection* connection) {
  const auto* info = MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
  return info ? address_text(info->client_addr) : "?";
}

bool is_loopback(const std::string& a) { return a.rfind("127.", 0) == 0 || a == "::1"; }

// "host", "host:port", "[v6]:port" -> host
std::string host_only(std::string_view host) {
  if (!host.empty() && host.front() == '[') {
    auto close = host.find(']');
    return std::string(host.substr(1, close == std::string_view::npos ? std::string_view::npos : close - 1));
  }
  auto colon = host.find(':');
  if (colon != std::string_view::npos && host.find(':', colon + 1) == std::string_view::npos) host = host.substr(0, colon);
  return std::string(host);
}

Request make_request(MHD_Connection* connection, const Front& front, const char* url, const char* method,
                     std::string body) {
  Request r;
  r.method = method;
  r.path = url;
  r.tls = front.tls;
  r.body = std::move(body);
  MHD_get_connection_values(connection, MHD_HEADER_KIND, collect_header, &r.headers);
  r.client = client_address(connection);
  if (front.shared->proxied && is_loopback(r.client)) {
    // The last X-Forwarded-For hop is the one our own proxy added.
    if (auto xff = r.header("x-forwarded-for"); !xff.empty()) {
      auto comma = xff.rfind(',');
      r.client = std::string(trim(comma == std::string_view::npos ? xff : xff.substr(comma + 1)));
    }
    if (r.header("x-forwarded-proto") == "https") r.tls = true;
  }
  r.host = host_only(r.header("host"));
  if (r.host.empty()) {
    if (const auto* info = MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CONNECTION_FD)) {
      sockaddr_storage local{};
      socklen_t len = sizeof local;
      if (getsockname(info->connect_fd, reinterpret_cast<sockaddr*>(&local), &len) == 0) {
        r.host = address_text(reinterpret_cast<sockaddr*>(&local));
      }
    }
  }
  return r;
}

MHD_Result respond(MHD_Connection* connection, const Front& front, Exchange& ex, const char* url,
                   const char* method) {
  Request request = make_request(connection, front, url, method, std::move(ex.body));
  Response response = ex.too_large ? Response::text(413, "request body too large")
                                   : front.shared->service.handle(request);
  ex.line = request.client + " " + (response.node.empty() ? "-" : response.node) + " \"" + request.method + " " +
            request.path + "\" ";
  MHD_Response* r = nullptr;
  if (response.fd >= 0) {
    r = MHD_create_response_from_fd_at_offset64(response.length, response.fd, response.offset);
    if (!r) ::close(response.fd);
    ex.bytes = response.length;
  } else {
    r = MHD_create_response_from_buffer(response.body.size(), response.body.data(), MHD_RESPMEM_MUST_COPY);
    ex.bytes = response.body.size();
  }
  if (!r) return MHD_NO;
  MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, response.content_type.c_str());
  for (const auto& [name, value] : response.headers) MHD_add_response_header(r, name.c_str(), value.c_str());
  ex.status = response.status;
  if (request.method == "HEAD") ex.bytes = 0;
  MHD_Result ok = MHD_queue_response(connection, static_cast<unsigned>(response.status), r);
  MHD_destroy_response(r);
  return ok;
}

MHD_Result on_request(void* cls, MHD_Connection* connection, const char* url, const char* method,
                      const char* /*version*/, const char* upload, size_t* upload_size, void** state) {
  const auto& front = *static_cast<Front*>(cls);
  auto* ex = static_cast<Exchange*>(*state);
  if (ex == nullptr) {
    ex = new Exchange;
    *state = ex;
    // Answered on the next call, once the body (if any) is in: libmicrohttpd closes the
    // connection after a response queued on this first call, which would cost every
    // request (and every TLS handshake) a new connection. Only a body announced as too
    // large is refused now, before "100 Continue".
    const char* length = MHD_lookup_connection_value(connection, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    if (length && std::strtoull(length, nullptr, 10) > kMaxBody) {
      ex->too_large = true;
      return respond(connection, front, *ex, url, method);
    }
    return MHD_YES;
  }
  if (ex->status != 0) {  // answered early (413): the rest of the body is dropped
    *upload_size = 0;
    return MHD_YES;
  }
  if (*upload_size > 0) {
    bool too_large = ex->body.size() + *upload_size > kMaxBody;
    if (!too_large) ex->body.append(upload, *upload_size);
    *upload_size = 0;
    if (!too_large) return MHD_YES;
    // A chunked body past the limit: libmicrohttpd cannot answer in the middle of an
    // upload, so the connection is closed rather than read to its end.
    ex->line = client_address(connection) + " - \"" + std::string(method) + " " + url + "\" ";
    ex->status = 413;
    return MHD_NO;
  }
  return respond(connection, front, *ex, url, method);
}

void on_completed(void* cls, MHD_Connection*, void** state, MHD_RequestTerminationCode code) {
  const auto& front = *static_cast<Front*>(cls);
  auto* ex = static_cast<Exchange*>(*state);
  if (ex == nullptr) return;
  if (ex->status != 0) {
    std::string line = ex->line + std::to_string(ex->status) + " " + std::to_string(ex->bytes);
    if (code != MHD_REQUEST_TERMINATED_COMPLETED_OK) line += " (interrupted)";
    front.shared->log.line(line + "\n");
  }
  delete ex;
  *state = nullptr;
}

// "ADDR:PORT" -> a bound, listening socket; the text of what it is bound to in `bound`.
int bind_listener(const Listener& listener, std::string& bound) {
  const std::string& text = listener.address;
  std::string host, port;
  if (!text.empty() && text.front() == '[') {
    auto close = text.find("]:");
    if (close == std::string::npos) throw Error(ErrorKind::Usage, "listen address '" + text + "' is not [ADDR]:PORT");
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else {
    auto colon = text.rfind(':');
    if (colon == std::string::npos || text.find(':') != colon) {
      throw Error(ErrorKind::Usage, "listen address '" + text + "' is not ADDR:PORT ([ADDR]:PORT for IPv6)");
    }
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
  }
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  hints.ai_family = host.empty() ? AF_INET6 : AF_UNSPEC;
  addrinfo* found = nullptr;
  int rc = getaddrinfo(host.empty() ? nullptr : host.c_str(), port.c_str(), &hints, &found);
  if (rc != 0 && host.empty()) {  // no IPv6 here: every IPv4 address
    hints.ai_family = AF_INET;
    rc = getaddrinfo(nullptr, port.c_str(), &hints, &found);
  }
  if (rc != 0) throw Error(ErrorKind::Usage, "listen address '" + text + "': " + gai_strerror(rc));
  std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> guard(found, freeaddrinfo);
  int fd = ::socket(found->ai_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) throw Error(ErrorKind::Runtime, "socket for '" + text + "': " + std::strerror(errno));
  int one = 1, zero = 0;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (found->ai_family == AF_INET6 && host.empty()) setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof zero);
  if (::bind(fd, found->ai_addr, found->ai_addrlen) != 0 || ::listen(fd, 4096) != 0) {
    int e = errno;
    ::close(fd);
    throw Error(ErrorKind::Runtime, "cannot listen on '" + text + "': " + std::strerror(e));
  }
  sockaddr_storage actual{};
  socklen_t len = sizeof actual;
  getsockname(fd, reinterpret_cast<sockaddr*>(&actual), &len);
  auto* sa = reinterpret_cast<sockaddr*>(&actual);
  int actual_port = ntohs(sa->sa_family == AF_INET ? reinterpret_cast<sockaddr_in*>(sa)->sin_port
                                                   : reinterpret_cast<sockaddr_in6*>(sa)->sin6_port);
  std::string addr = address_text(sa);
  if (addr.find(':') != std::string::npos) addr = "[" + addr + "]";
  bound = std::string(listener.tls ? "https://" : "http://") + addr + ":" + std::to_string(actual_port);
  return fd;
}

void raise_file_limit() {
  rlimit rl{};
  if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
  }
}

}  // namespace

void run_server(const ServerOptions& options, const std::function<void(const std::string&)>& bound) {
  if (options.listeners.empty()) throw Error(ErrorKind::Usage, "nothing to listen on");
  std::string cert, key;
  for (const auto& l : options.listeners) {
    if (!l.tls || !cert.empty()) continue;
    if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
      throw Error(ErrorKind::Runtime, "this libmicrohttpd has no TLS support: HTTPS is not available");
    }
    try {
      cert = read_file(options.cert_file);
      key = read_file(options.key_file);
    } catch (const std::exception& e) {
      throw Error(ErrorKind::Runtime, std::string("HTTPS needs the site certificate (osdeploy initialize -t): ") +
                                          e.what());
    }
  }
  raise_file_limit();
  signal(SIGPIPE, SIG_IGN);
  // The worker threads inherit a mask without the stop signals; this thread waits for them.
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGTERM);
  sigaddset(&stop, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);

  Shared shared(options);
  unsigned threads = options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  std::vector<std::unique_ptr<Front>> fronts;
  std::vector<MHD_Daemon*> daemons;
  std::vector<std::string> names;
  auto stop_all = [&daemons] {
    for (auto* d : daemons) MHD_stop_daemon(d);
  };
  try {
    for (const auto& l : options.listeners) {
      std::string name;
      int fd = bind_listener(l, name);
      fronts.push_back(std::make_unique<Front>(Front{&shared, l.tls}));
      unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG | (l.tls ? MHD_USE_TLS : 0);
      std::vector<MHD_OptionItem> opts = {
          {MHD_OPTION_LISTEN_SOCKET, fd, nullptr},
          {MHD_OPTION_CONNECTION_LIMIT, 16384, nullptr},
          {MHD_OPTION_CONNECTION_TIMEOUT, 60, nullptr},
          {MHD_OPTION_NOTIFY_COMPLETED, reinterpret_cast<intptr_t>(&on_completed), fronts.back().get()},
      };
      if (threads > 1) opts.push_back({MHD_OPTION_THREAD_POOL_SIZE, threads, nullptr});
      if (l.tls) {
        opts.push_back({MHD_OPTION_HTTPS_MEM_KEY, 0, key.data()});
        opts.push_back({MHD_OPTION_HTTPS_MEM_CERT, 0, cert.data()});
      }
      opts.push_back({MHD_OPTION_END, 0, nullptr});
      MHD_Daemon* d = MHD_start_daemon(flags, 0, nullptr, nullptr, &on_request, fronts.back().get(),
                                       MHD_OPTION_ARRAY, opts.data(), MHD_OPTION_END);
      if (!d) {
        ::close(fd);
        throw Error(ErrorKind::Runtime, "cannot start the HTTP service on '" + l.address + "'");
      }
      daemons.push_back(d);
      names.push_back(name);
    }
  } catch (...) {
    stop_all();
    throw;
  }
  for (const auto& n : names) bound(n);
  int sig = 0;
  while (sigwait(&stop, &sig) == 0 && sig == SIGHUP) shared.log.reopen();  // logrotate
  stop_all();
}

}  // namespace confluent::deploysvc
