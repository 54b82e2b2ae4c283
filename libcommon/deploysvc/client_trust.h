#pragma once
// Where a request comes from: whether the client is on a network this server is directly
// attached to (or loopback), or in a CIDR list such as trusted.subnets. Arming a node for
// API-key registration trusts the network the node boots on; routed nodes need their
// networks listed in trusted.subnets.
#include <string_view>

namespace confluent::deploysvc {

// "10.1.0.0/16", "fd00::/64", or a bare address (a /32 or /128).
bool address_in_cidr(std::string_view address, std::string_view cidr);
// Any CIDR of a comma- or space-separated list.
bool address_in_list(std::string_view address, std::string_view cidrs);
// Loopback, or inside the subnet of one of this host's interface addresses.
bool on_local_network(std::string_view address);
// The prefix length of this host's interface subnet that holds `address`; -1 when none.
int local_prefix_for(std::string_view address);

}  // namespace confluent::deploysvc
