#include "osdeploy/dhcp_config.h"

#include <arpa/inet.h>

#include <cctype>
#include <cstdint>
#include <set>
#include <utility>

namespace confluent::osdeploy {

namespace {

constexpr const char* kBootUrl = "/confluent-api/boot/by-mac/${mac:hexhyp}/ipxe";
// What osdeploy initialize -p installs in the TFTP root.
constexpr const char* kEfiX86 = "confluent/x86_64/ipxe.efi";
constexpr const char* kBios = "confluent/x86_64/ipxe.kkpxe";
constexpr const char* kEfiArm = "confluent/aarch64/ipxe.efi";

bool parse_ipv4(const std::string& text, std::uint32_t& out) {
  in_addr a{};
  if (inet_pton(AF_INET, text.c_str(), &a) != 1) return false;
  out = ntohl(a.s_addr);
  return true;
}

std::string ipv4_text(std::uint32_t host_order) {
  in_addr a{};
  a.s_addr = htonl(host_order);
  char text[INET_ADDRSTRLEN] = {};
  inet_ntop(AF_INET, &a, text, sizeof text);
  return text;
}

std::uint32_t mask_of(int prefix) { return prefix == 0 ? 0 : ~std::uint32_t{0} << (32 - prefix); }

// Host names must be DNS labels for dnsmasq and dhcpd alike.
std::string host_label(std::string name) {
  for (char& c : name) {
    if (std::isalnum(static_cast<unsigned char>(c)) == 0 && c != '-') c = '-';
  }
  return name;
}

// One interface of a node: the default one (net.*) when `iface` is empty, else net.<iface>.*.
void add_interface(attrdb::Database& db, const std::string& node, const std::string& iface, DhcpHosts& out) {
  std::string base = iface.empty() ? "net." : "net." + iface + ".";
  std::string raw_mac = db.resolve(node, base + "hwaddr").value;
  if (raw_mac.empty()) return;
  DhcpHost host;
  host.node = node;
  host.name = host_label(iface.empty() ? node : node + "-" + iface);
  host.mac = normalize_mac(raw_mac);
  if (host.mac.empty()) {
    out.warnings.push_back(node + ": warning: " + base + "hwaddr '" + raw_mac + "' is not a MAC address");
    return;
  }
  std::string address = db.resolve(node, base + "ipv4_address").value;
  if (!address.empty()) {
    std::string ip = address.substr(0, address.find('/'));
    int prefix = -1;
    bool good = true;
    if (auto slash = address.find('/'); slash != std::string::npos) {
      std::string p = address.substr(slash + 1);
      good = !p.empty() && p.size() <= 2 && std::isdigit(static_cast<unsigned char>(p[0])) != 0 &&
             (p.size() == 1 || std::isdigit(static_cast<unsigned char>(p[1])) != 0) && std::stoi(p) <= 32;
      if (good) prefix = std::stoi(p);
    }
    std::uint32_t value = 0;
    if (good && parse_ipv4(ip, value)) {
      host.ipv4 = ip;
      host.prefix = prefix;
    } else {
      out.warnings.push_back(node + ": warning: " + base + "ipv4_address '" + address +
                             "' is not an IPv4 address, left out");
    }
  }
  out.hosts.push_back(std::move(host));
}

// The subnets of the hosts' addresses, as dnsmasq dhcp-range starts: network and netmask
// where the prefix is known; otherwise the address itself, which dnsmasq places in the
// subnet of the interface it arrives on, unless a known subnet holds it already.
std::vector<std::pair<std::string, std::string>> subnets(const std::vector<DhcpHost>& hosts) {
  std::set<std::pair<std::uint32_t, int>> known;
  for (const auto& h : hosts) {
    std::uint32_t a = 0;
    if (h.prefix >= 0 && parse_ipv4(h.ipv4, a)) known.emplace(a & mask_of(h.prefix), h.prefix);
  }
  std::vector<std::pair<std::string, std::string>> out;
  out.reserve(known.size());
  for (const auto& [network, prefix] : known) out.emplace_back(ipv4_text(network), ipv4_text(mask_of(prefix)));
  std::set<std::string> bare;
  for (const auto& h : hosts) {
    std::uint32_t a = 0;
    if (h.prefix >= 0 || !parse_ipv4(h.ipv4, a)) continue;
    bool covered = false;
    for (const auto& [network, prefix] : known) covered = covered || (a & mask_of(prefix)) == network;
    if (!covered && bare.insert(h.ipv4).second) out.emplace_back(h.ipv4, "");
  }
  return out;
}

void add_boot_chain(std::string& text, const std::string& server, bool proxy) {
  std::string url = "http://" + server + kBootUrl;
  // iPXE says who it is with option 175 and user class "iPXE"; either one will do.
  text += "dhcp-match=set:ipxe,175\n";
  text += "dhcp-userclass=set:ipxe,iPXE\n";
  if (proxy) {
    // Proxy DHCP answers with a PXE boot service per client architecture.
    const std::pair<const char*, const char*> firmware[] = {
        {"x86PC", kBios}, {"BC_EFI", kEfiX86}, {"x86-64_EFI", kEfiX86}, {"ARM64_EFI", kEfiArm}};
    for (const auto& [csa, file] : firmware) {
      text += std::string("pxe-service=tag:!ipxe,") + csa + ",\"confluent\"," + file + "," + server + "\n";
    }
    for (const auto& [csa, file] : firmware) {
      text += std::string("pxe-service=tag:ipxe,") + csa + ",\"confluent\"," + url + "\n";
    }
    return;
  }
  // Client architectures (RFC 4578): 7 and 9 x86-64 UEFI, 11 ARM64 UEFI, the rest BIOS.
  text += "dhcp-match=set:efi64,option:client-arch,7\n";
  text += "dhcp-match=set:efi64,option:client-arch,9\n";
  text += "dhcp-match=set:arm64,option:client-arch,11\n";
  text += "dhcp-boot=tag:ipxe," + url + "\n";
  // The tags exclude each other, so that the order dnsmasq tries the lines in is moot.
  text += std::string("dhcp-boot=tag:!ipxe,tag:efi64,") + kEfiX86 + ",," + server + "\n";
  text += std::string("dhcp-boot=tag:!ipxe,tag:arm64,") + kEfiArm + ",," + server + "\n";
  text += std::string("dhcp-boot=tag:!ipxe,tag:!efi64,tag:!arm64,") + kBios + ",," + server + "\n";
}

}  // namespace

std::string netmask_text(int prefix) { return ipv4_text(mask_of(prefix)); }

std::string normalize_mac(const std::string& text) {
  std::string hex;
  for (char c : text) {
    if (c == ':' || c == '-') continue;
    if (std::isxdigit(static_cast<unsigned char>(c)) == 0) return "";
    hex += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  if (hex.size() != 12) return "";
  std::string mac;
  for (size_t i = 0; i < hex.size(); i += 2) mac += (i == 0 ? "" : ":") + hex.substr(i, 2);
  return mac;
}

DhcpHosts dhcp_hosts(attrdb::Database& db, const noderange::NodeList& nodes) {
  DhcpHosts out;
  for (const auto& node : nodes) {
    size_t before = out.hosts.size();
    size_t warnings = out.warnings.size();
    add_interface(db, node, "", out);
    for (const auto& name : db.node_extra_names(node)) {
      // net.<iface>.hwaddr, in the byte order node_extra_names gives (stable).
      constexpr std::string_view suffix = ".hwaddr";
      if (name.rfind("net.", 0) != 0 || name.size() <= 4 + suffix.size() ||
          name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0) {
        continue;
      }
      add_interface(db, node, name.substr(4, name.size() - 4 - suffix.size()), out);
    }
    if (out.hosts.size() == before && out.warnings.size() == warnings) {
      out.warnings.push_back(node + ": warning: no net.hwaddr");
    }
  }
  return out;
}

std::string dnsmasq_config(const std::vector<DhcpHost>& hosts, const std::string& server, bool proxy) {
  std::string text = "# Generated by confluent2dnsmasq";
  text += proxy ? " --proxy: proxy DHCP beside the network's DHCP server\n" : ": dnsmasq as the DHCP server\n";
  text += "# Nodes: one line per interface with a MAC\n";
  for (const auto& h : hosts) {
    // In proxy mode the other server hands out the addresses; ours only names the nodes.
    text += "dhcp-host=" + h.mac + "," + h.name;
    if (!proxy && !h.ipv4.empty()) text += "," + h.ipv4;
    text += "\n";
  }
  text += "# Answer the nodes above only, never other machines of the network\n";
  text += "dhcp-ignore=tag:!known\n";
  text += proxy ? "# Subnets to offer boot information on\n" : "# Subnets with static addresses only\n";
  for (const auto& [start, mask] : subnets(hosts)) {
    text += "dhcp-range=" + start + (proxy ? ",proxy" : ",static");
    if (!mask.empty()) text += "," + mask;
    text += "\n";
  }
  text += "# Boot: firmware loads iPXE from " + server + " over TFTP, iPXE the node's pending profile\n";
  add_boot_chain(text, server, proxy);
  return text;
}

std::string isc_config(const std::vector<DhcpHost>& hosts, const std::string& server) {
  std::string url = "http://" + server + kBootUrl;
  std::string text = "# Generated by confluent2dnsmasq --isc: ISC dhcpd configuration\n";
  text += "option client-arch code 93 = unsigned integer 16;\n";
  text += "next-server " + server + ";\n";
  text += "if exists user-class and option user-class = \"iPXE\" {\n";
  text += "  filename \"" + url + "\";\n";
  text += "} elsif option client-arch = 00:0b {\n";
  text += "  filename \"" + std::string(kEfiArm) + "\";\n";
  text += "} elsif option client-arch = 00:07 or option client-arch = 00:09 {\n";
  text += "  filename \"" + std::string(kEfiX86) + "\";\n";
  text += "} else {\n";
  text += "  filename \"" + std::string(kBios) + "\";\n";
  text += "}\n";
  for (const auto& h : hosts) {
    text += "host " + h.name + " {\n";
    text += "  hardware ethernet " + h.mac + ";\n";
    if (!h.ipv4.empty()) text += "  fixed-address " + h.ipv4 + ";\n";
    text += "  option host-name \"" + h.node + "\";\n";
    text += "}\n";
  }
  return text;
}

}  // namespace confluent::osdeploy
