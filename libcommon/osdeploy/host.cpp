#include "osdeploy/host.h"

#include <ifaddrs.h>
#include <netdb.h>
#include <unistd.h>


namespace confluent::osdeploy {

std::vector<std::string> host_addresses() {
  std::vector<std::string> out;
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) return out;
  for (ifaddrs* i = list; i != nullptr; i = i->ifa_next) {
    if (i->ifa_addr == nullptr || (i->ifa_addr->sa_family != AF_INET && i->ifa_addr->sa_family != AF_INET6)) continue;
    char text[NI_MAXHOST];
    socklen_t len = i->ifa_addr->sa_family == AF_INET ? sizeof(sockaddr_in) : sizeof(sockaddr_in6);
    if (getnameinfo(i->ifa_addr, len, text, sizeof text, nullptr, 0, NI_NUMERICHOST) != 0) continue;
    std::string a = text;
    if (a == "127.0.0.1" || a == "::1" || a.find('%') != std::string::npos) continue;
    out.push_back(a);
  }
  freeifaddrs(list);
  return out;
}

std::string short_host_name() {
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  std::string h = host;
  return h.substr(0, h.find('.'));
}

}  // namespace confluent::osdeploy
