#pragma once
// The deployment service's HTTP and HTTPS front (libmicrohttpd: epoll, a thread pool,
// sendfile for files over plain HTTP), one access-log line per request.
#include <functional>
#include <string>
#include <vector>

namespace confluent::deploysvc {

struct Listener {
  std::string address;  // "ADDR:PORT", "[v6]:PORT" or ":PORT" (every address); port 0 = any free
  bool tls = false;
};

struct ServerOptions {
  std::vector<Listener> listeners;
  unsigned threads = 0;     // 0: one per CPU
  std::string access_log;   // file to append to; "" = standard error, "none" = no log
  bool proxied = false;     // trust X-Forwarded-For/-Proto from loopback (a local nginx)
  std::string cert_file;    // PEM certificate (chain) for HTTPS
  std::string key_file;     // PEM private key for HTTPS
};

// Binds every listener (throws confluent::Error naming the one that fails), reports each
// as "http://ADDR:PORT" through `bound`, then serves until SIGINT or SIGTERM.
void run_server(const ServerOptions& options, const std::function<void(const std::string&)>& bound);

}  // namespace confluent::deploysvc
