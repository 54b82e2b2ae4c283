#pragma once
// This host as nodes see it: its addresses and name (for certificates and identity images).
#include <string>
#include <vector>

namespace confluent::osdeploy {

// Every IPv4 and IPv6 address of this host but loopback and link-local, as text.
std::vector<std::string> host_addresses();
// The host name up to its first dot.
std::string short_host_name();

}  // namespace confluent::osdeploy
