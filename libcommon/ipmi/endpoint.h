#pragma once
// Where a BMC listens: `host`, `host:port`, `[v6]` or `[v6]:port` (a bare IPv6 address
// with several colons is a host without a port), port 623 by default; and the connected,
// non-blocking UDP socket that talks to it.
#include <cstdint>
#include <string>

namespace confluent::ipmi {

constexpr uint16_t kDefaultPort = 623;

struct Endpoint {
  std::string host;
  uint16_t port = kDefaultPort;
};

// Throws Error(Invalid) for an empty host, unbalanced brackets or a bad port.
Endpoint parse_endpoint(const std::string& text);

// A connected non-blocking UDP socket (IPv4 or IPv6), or -1 with `error` set. Host names
// are resolved with getaddrinfo, which blocks; numeric addresses never wait.
int open_bmc_socket(const Endpoint& endpoint, std::string& error);

}  // namespace confluent::ipmi
