#pragma once
// This host as nodes see it: its addresses and name (for certificates and identity images).
#include <string>
#include <vector>

#include "osdeploy/layout.h"

namespace confluent::osdeploy {

// Every IPv4 and IPv6 address of this host but loopback and link-local, as text.
std::vector<std::string> host_addresses();
// The host name up to its first dot.
std::string short_host_name();
// A whole file (empty when it cannot be read).
std::string read_whole_file(const fs::path& p);

}  // namespace confluent::osdeploy
