// confluent2dnsmasq: print a dnsmasq (or ISC dhcpd) configuration that network-boots nodes
// into the deployment service, from their net.* attributes.
#include <arpa/inet.h>

#include <cstdio>

#include "attrdb/database.h"
#include "base/error.h"
#include "cli/app.h"
#include "osdeploy/dhcp_config.h"
#include "osdeploy/host.h"

using namespace confluent;

namespace {

struct Options {
  std::string noderange;
  std::string server;
  bool proxy = false;
  bool isc = false;
};

// This host's first IPv4 address other than loopback: where nodes find TFTP and HTTP.
std::string default_server() {
  for (const auto& a : osdeploy::host_addresses()) {
    if (a.find(':') == std::string::npos) return a;
  }
  throw Error(ErrorKind::Invalid, "this host has no IPv4 address but loopback, give the server with -s");
}

int run_config(const Options& o) {
  if (o.proxy && o.isc) throw Error(ErrorKind::Usage, "--proxy is for dnsmasq, not --isc");
  std::string server = o.server.empty() ? default_server() : o.server;
  in_addr parsed{};
  if (inet_pton(AF_INET, server.c_str(), &parsed) != 1) {
    throw Error(ErrorKind::Usage, "server '" + server + "' is not an IPv4 address");
  }
  auto db = attrdb::Database::open(attrdb::Access::Read);
  auto hosts = osdeploy::dhcp_hosts(*db, db->expand(o.noderange));
  for (const auto& w : hosts.warnings) std::fprintf(stderr, "%s\n", w.c_str());
  // A configuration without a single node would boot nobody: that is a failure, not output.
  if (hosts.hosts.empty()) throw Error(ErrorKind::Runtime, "no node of '" + o.noderange + "' has a usable net.hwaddr");
  std::string text =
      o.isc ? osdeploy::isc_config(hosts.hosts, server) : osdeploy::dnsmasq_config(hosts.hosts, server, o.proxy);
  std::fwrite(text.data(), 1, text.size(), stdout);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  auto app = cli::make_app("confluent2dnsmasq",
                           "Print a dnsmasq (or ISC dhcpd) configuration that network-boots nodes into their "
                           "pending deployment.");
  Options o;
  app->add_option("noderange", o.noderange, "Nodes to configure")->required();
  app->add_option("-s,--server", o.server, "IPv4 address of the TFTP and deployment server (default: this host's)")
      ->type_name("SERVER");
  app->add_flag("--proxy", o.proxy, "Proxy DHCP beside the network's own DHCP server");
  app->add_flag("--isc", o.isc, "Print an ISC dhcpd configuration instead");
  cli::CompletionSpec spec{{cli::Complete::Noderange}, cli::Complete::None, {}};
  return cli::run(*app, argc, argv, spec, [&] { return run_config(o); });
}
