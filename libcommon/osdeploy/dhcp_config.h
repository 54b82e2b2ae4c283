#pragma once
// DHCP configuration for network deployment from node attributes (issue 7): one static
// host entry per node interface with a MAC, and the boot chain PXE firmware -> iPXE (by
// TFTP from the server) -> the deployment service's by-mac URL, for dnsmasq (as the DHCP
// server, or in proxy-DHCP mode beside one) or ISC dhcpd. See confluent-deployment(7).
#include <string>
#include <vector>

#include "attrdb/database.h"

namespace confluent::osdeploy {

struct DhcpHost {
  std::string node;
  std::string name;  // the node, or node-<iface> for net.<iface>.hwaddr
  std::string mac;   // lowercase, colon-separated
  std::string ipv4;  // empty when unknown
  int prefix = -1;   // from net[.<iface>].ipv4_address's /prefix, -1 when not given
};

struct DhcpHosts {
  std::vector<DhcpHost> hosts;        // natural node order, the default interface first
  std::vector<std::string> warnings;  // "node: warning: ...", one per line
};

// Reads net.hwaddr / net.ipv4_address and every net.<iface>.hwaddr / .ipv4_address.
DhcpHosts dhcp_hosts(attrdb::Database& db, const noderange::NodeList& nodes);

// `server` is the IPv4 address nodes reach TFTP and the deployment service at.
std::string dnsmasq_config(const std::vector<DhcpHost>& hosts, const std::string& server, bool proxy);
std::string isc_config(const std::vector<DhcpHost>& hosts, const std::string& server);

// "255.255.255.0" for 24.
std::string netmask_text(int prefix);

// Lowercase colon-separated MAC from "AA-BB-..." / "aa:bb:..."; empty when not a MAC.
std::string normalize_mac(const std::string& text);

}  // namespace confluent::osdeploy
