#include "deploysvc/client_trust.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netinet/in.h>

#include <array>
#include <charconv>
#include <cstring>
#include <string>

#include "base/strings.h"

namespace confluent::deploysvc {

namespace {

struct Address {
  int family = 0;
  std::array<unsigned char, 16> bytes{};
};

bool parse_address(std::string_view text, Address& out) {
  std::string t(trim(text));
  if (auto pct = t.find('%'); pct != std::string::npos) t.resize(pct);  // fe80::1%eth0
  if (inet_pton(AF_INET, t.c_str(), out.bytes.data()) == 1) {
    out.family = AF_INET;
    return true;
  }
  if (inet_pton(AF_INET6, t.c_str(), out.bytes.data()) == 1) {
    // An IPv4 client of a dual-stack socket (::ffff:a.b.c.d) compares as IPv4.
    static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (std::memcmp(out.bytes.data(), mapped, 12) == 0) {
      std::memmove(out.bytes.data(), out.bytes.data() + 12, 4);
      out.family = AF_INET;
    } else {
      out.family = AF_INET6;
    }
    return true;
  }
  return false;
}

bool same_prefix(const Address& a, const Address& b, int bits) {
  if (a.family != b.family) return false;
  int whole = bits / 8, rest = bits % 8;
  if (std::memcmp(a.bytes.data(), b.bytes.data(), static_cast<size_t>(whole)) != 0) return false;
  if (rest == 0) return true;
  unsigned char mask = static_cast<unsigned char>(0xff << (8 - rest));
  return (a.bytes[static_cast<size_t>(whole)] & mask) == (b.bytes[static_cast<size_t>(whole)] & mask);
}

int prefix_of_mask(const sockaddr* mask) {
  const unsigned char* p = nullptr;
  size_t n = 0;
  if (mask->sa_family == AF_INET) {
    p = reinterpret_cast<const unsigned char*>(&reinterpret_cast<const sockaddr_in*>(mask)->sin_addr);
    n = 4;
  } else {
    p = reinterpret_cast<const unsigned char*>(&reinterpret_cast<const sockaddr_in6*>(mask)->sin6_addr);
    n = 16;
  }
  int bits = 0;
  for (size_t i = 0; i < n; ++i) bits += __builtin_popcount(p[i]);
  return bits;
}

}  // namespace

bool address_in_cidr(std::string_view address, std::string_view cidr) {
  Address a, net;
  std::string_view c = trim(cidr);
  auto slash = c.find('/');
  if (!parse_address(address, a) || !parse_address(c.substr(0, slash), net)) return false;
  int max = net.family == AF_INET ? 32 : 128;
  int bits = max;
  if (slash != std::string_view::npos) {
    std::string_view b = c.substr(slash + 1);
    auto [p, ec] = std::from_chars(b.data(), b.data() + b.size(), bits);
    if (ec != std::errc() || p != b.data() + b.size() || bits < 0 || bits > max) return false;
  }
  return same_prefix(a, net, bits);
}

bool address_in_list(std::string_view address, std::string_view cidrs) {
  for (const auto& item : split_list(cidrs)) {
    if (address_in_cidr(address, item)) return true;
  }
  return false;
}

bool on_local_network(std::string_view address) {
  Address a;
  if (!parse_address(address, a)) return false;
  if ((a.family == AF_INET && a.bytes[0] == 127) ||
      (a.family == AF_INET6 && address_in_cidr(address, "::1/128"))) {
    return true;
  }
  return local_prefix_for(address) >= 0;
}

int local_prefix_for(std::string_view address) {
  Address a;
  if (!parse_address(address, a)) return -1;
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) return -1;
  int found = -1;
  for (ifaddrs* i = list; i && found < 0; i = i->ifa_next) {
    if (!i->ifa_addr || !i->ifa_netmask) continue;
    int family = i->ifa_addr->sa_family;
    if (family != AF_INET && family != AF_INET6) continue;
    char text[INET6_ADDRSTRLEN];
    const void* raw = family == AF_INET
                          ? static_cast<const void*>(&reinterpret_cast<const sockaddr_in*>(i->ifa_addr)->sin_addr)
                          : static_cast<const void*>(&reinterpret_cast<const sockaddr_in6*>(i->ifa_addr)->sin6_addr);
    if (!inet_ntop(family, raw, text, sizeof text)) continue;
    Address local;
    int bits = prefix_of_mask(i->ifa_netmask);
    if (parse_address(text, local) && same_prefix(a, local, bits)) found = bits;
  }
  freeifaddrs(list);
  return found;
}

}  // namespace confluent::deploysvc
