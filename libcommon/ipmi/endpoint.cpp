#include "ipmi/endpoint.h"

#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <memory>

#include "base/error.h"

namespace confluent::ipmi {

namespace {

uint16_t parse_port(const std::string& text, const std::string& whole) {
  unsigned value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value == 0 || value > 65535) {
    throw Error(ErrorKind::Invalid, "bad port in BMC address '" + whole + "'");
  }
  return static_cast<uint16_t>(value);
}

}  // namespace

Endpoint parse_endpoint(const std::string& text) {
  Endpoint endpoint;
  if (!text.empty() && text.front() == '[') {
    auto close = text.find(']');
    if (close == std::string::npos) throw Error(ErrorKind::Invalid, "missing ']' in BMC address '" + text + "'");
    endpoint.host = text.substr(1, close - 1);
    std::string rest = text.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':')
        throw Error(ErrorKind::Invalid, "unexpected text after ']' in BMC address '" + text + "'");
      endpoint.port = parse_port(rest.substr(1), text);
    }
  } else if (auto colon = text.find(':');
             colon != std::string::npos && text.find(':', colon + 1) == std::string::npos) {
    endpoint.host = text.substr(0, colon);
    endpoint.port = parse_port(text.substr(colon + 1), text);
  } else {
    endpoint.host = text;  // a name, an IPv4 address, or an IPv6 address without a port
  }
  if (endpoint.host.empty()) throw Error(ErrorKind::Invalid, "empty host in BMC address '" + text + "'");
  return endpoint;
}

int open_bmc_socket(const Endpoint& endpoint, std::string& error) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_DGRAM;
  hints.ai_flags = AI_NUMERICSERV;
  addrinfo* found = nullptr;
  std::string port = std::to_string(endpoint.port);
  int rc = getaddrinfo(endpoint.host.c_str(), port.c_str(), &hints, &found);
  if (rc != 0) {
    error = "cannot resolve '" + endpoint.host + "': " + gai_strerror(rc);
    return -1;
  }
  std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> list(found, freeaddrinfo);
  for (addrinfo* ai = found; ai; ai = ai->ai_next) {
    int fd = socket(ai->ai_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
      error = std::string("socket: ") + std::strerror(errno);
      continue;
    }
    if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) return fd;
    error = "connect to '" + endpoint.host + "': " + std::strerror(errno);
    ::close(fd);
  }
  return -1;
}

}  // namespace confluent::ipmi
