#include "attrdb/schema.h"

#include <algorithm>
#include <charconv>
#include <string>
#include <utility>

#include "base/error.h"
#include "base/strings.h"

namespace confluent::attrdb::schema {

namespace {

// Helpers rather than brace lists: the table stays terse and every member is initialised.
AttributeInfo entry(std::string_view name, std::string_view description, Type type = Type::String) {
  return AttributeInfo{name, description, type, Check::None, {}};
}

AttributeInfo checked(std::string_view name, std::string_view description, Check check,
                      std::vector<std::string_view> valid) {
  return AttributeInfo{name, description, Type::String, check, std::move(valid)};
}

// Kept in byte order by name: find() bisects it and listings print it as is. Function-local
// so that static initialisers elsewhere may already use the schema.
const std::vector<AttributeInfo>& attribute_table() {
  static const std::vector<AttributeInfo> table = {
      entry("collective.manager", "Collective member currently in charge of the node"),
      entry("collective.managercandidates", "Noderange of collective members allowed to manage or deploy the node"),
      checked("console.logging", "How much console output is logged (default full)",
              Check::Values, {"full", "memory", "interactive", "none"}),
      checked("console.method", "Protocol that reaches the text console; unset disables the console",
              Check::Values, {"ssh", "ipmi", "openbmc", "tsmsol", "vcenter", "proxmox"}),
      entry("crypted.grubpassword", "One-way hash of the GRUB password of the deployed OS"),
      entry("crypted.rootpassword", "One-way hash of the deployed OS root password; unset means key-only root login"),
      entry("crypted.selfapikey", "Hash of the API key the node uses for requests about itself"),
      checked("deployment.apiarmed", "Whether the node may fetch an API key: once, continuously or not at all",
              Check::Values, {"once", "continuous", ""}),
      entry("deployment.client_ip", "Address the node last reported its deployment state from"),
      checked("deployment.encryptboot", "Boot volume encryption strategy; tpm2 binds the volume to the node's TPM",
              Check::Values, {"tpm2", "tpm2:*", "none", ""}),
      checked("deployment.lock", "Deployment lock; changed only through the deployment lock interface",
              Check::List, {"autolock", "locked", "unlocked"}),
      entry("deployment.pendingprofile", "OS profile offered the next time the node boots from the network"),
      entry("deployment.profile", "OS profile that most recently reported a completed deployment"),
      entry("deployment.sealedapikey", "Copy of the node API key sealed to the node's TPM"),
      entry("deployment.stagedprofile", "Installed profile awaiting its final boot, no longer offered by netboot"),
      entry("deployment.state", "Free-form deployment state reported by the profile, such as failed or succeeded"),
      entry("deployment.state_detail", "More detail on the reported deployment state"),
      entry("deployment.state_last_updated", "ISO 8601 time of the latest deployment state report"),
      entry("deployment.storage", "Disk to install to, by device name or by class such as m2"),
      checked("deployment.useinsecureprotocols", "Boot phases allowed to use TFTP or plain HTTP (default never)",
              Check::List, {"always", "firmware", "never"}),
      entry("discovery.nodeconfig", "nodeconfig arguments applied once the node has been discovered"),
      checked("discovery.passwordrules", "BMC password rules set on discovery, e.g. expiration=no,reuse=no",
              Check::ListKeys, {"expiration", "loginfailures", "complexity", "reuse"}),
      checked("discovery.policy", "Policy for configuring discovered nodes automatically",
              Check::List, {"manual", "permissive", "pxe", "open", "verified"}),
      entry("dns.domain", "DNS domain of the node"),
      entry("dns.servers", "DNS servers, comma-separated"),
      entry("enclosure.bay", "Bay the node occupies in its enclosure"),
      entry("enclosure.extends", "For chained enclosures, the manager one hop nearer the uplink"),
      entry("enclosure.manager", "Node that manages the enclosure holding this node"),
      entry("groups", "Ordered list of static groups of the node; earlier groups take precedence", Type::List),
      entry("hardwaremanagement.manager", "Address of the BMC, optionally with /prefix (alias bmc)"),
      entry("hardwaremanagement.manager_tls_name", "Name to verify the BMC TLS certificate against, not the address"),
      checked("hardwaremanagement.method", "Plugin that manages the hardware, such as ipmi or redfish",
              Check::Values,
              {"affluent", "cnos", "cooltera", "deltapdu", "eatonpdu", "enclosure", "enlogic", "enos", "geist",
               "ipmi", "null", "nxos", "pdu", "proxmox", "raritan", "redfish", "srlinux", "vcenter"}),
      entry("hardwaremanagement.port", "BMC network port to select during deployment (ocp, ml2, lom, dedicated)"),
      entry("hardwaremanagement.vlan", "VLAN tag given to the BMC during deployment"),
      entry("id.index", "Integer index assigned when the node is created", Type::Int),
      entry("id.model", "Model number of the system"),
      entry("id.serial", "Serial number of the system"),
      entry("id.uuid", "SMBIOS UUID, used to recognise the node's boot requests"),
      entry("info.note", "Free-form notes for administrators"),
      entry("location.height", "Height of the system in rack units"),
      entry("location.rack", "Rack holding the node"),
      entry("location.room", "Room holding the node"),
      entry("location.row", "Row of the rack holding the node"),
      entry("location.u", "Position of the node in its rack"),
      entry("net.bootable", "Whether the interface boots the node (discovery records the PXE MAC here)", Type::Bool),
      entry("net.connection_name", "Connection, bond or team name, or altname, for the OS to use"),
      entry("net.extra_settings", "Semicolon-separated key=value settings handed to the OS network backend"),
      entry("net.hostname", "Host names of the interface, comma-separated"),
      entry("net.hwaddr", "MAC address of the interface"),
      entry("net.interface_names", "OS interface names; several, comma-separated, form a bond or team"),
      entry("net.ipv4_address", "Static IPv4 address, optionally with /prefix"),
      entry("net.ipv4_gateway", "IPv4 gateway"),
      checked("net.ipv4_method", "How IPv4 is configured (default static)",
              Check::Values, {"dhcp", "static", "firmwaredhcp", "firmwarenone", "none"}),
      entry("net.ipv6_address", "Static IPv6 address, optionally with /prefix"),
      entry("net.ipv6_gateway", "IPv6 gateway"),
      checked("net.ipv6_method", "How IPv6 is configured (default static)",
              Check::Values, {"dhcp", "static", "firmwaredhcp", "firmwarenone", "none"}),
      entry("net.mtu", "MTU of the interface"),
      entry("net.switch", "Switch the interface is cabled to"),
      entry("net.switchport", "Switch port the interface is cabled to"),
      checked("net.team_mode", "Bond or team mode when several interfaces are named",
              Check::Values, {"lacp", "loadbalance", "roundrobin", "activebackup", "none"}),
      entry("net.vlan_id", "VLAN ID or InfiniBand PKEY on the parent named by net.interface_names"),
      entry("ntp.servers", "NTP servers for the deployed OS"),
      entry("power.outlet", "PDU outlet feeding this power input"),
      entry("power.pdu", "PDU node feeding this power input"),
      checked("pubkeys.addpolicy", "What to do with an unknown host key (default tofu, trust on first use)",
              Check::Values, {"tofu", "manual", "ca", "ca-only"}),
      entry("pubkeys.ssh", "Pinned fingerprint of the node's SSH host key"),
      entry("pubkeys.tls", "Pinned TLS certificate fingerprint of the node's service"),
      entry("pubkeys.tls_hardwaremanager", "Pinned TLS certificate fingerprint of the BMC"),
      entry("pubkeys.tls_lifetime", "Days that certificates issued to the node or its BMC stay valid (default 47)"),
      entry("secret.hardwaremanagementpassword", "BMC password (aliases bmcpass, switchpass)"),
      entry("secret.hardwaremanagementuser", "BMC user name (aliases bmcuser, switchuser)"),
      entry("secret.ipmikg", "IPMI Kg key, when the BMC requires one"),
      entry("secret.selfapiarmtoken", "One-time token that lets the node request its API key"),
      entry("secret.snmpcommunity", "SNMPv1/v2c community string"),
      checked("snmp.privacyprotocol", "SNMPv3 privacy protocol (default des)", Check::Values, {"aes", "des"}),
      entry("ssh.trustnodes", "Noderange allowed to ssh into the node (default every node)"),
      entry("trusted.subnets", "Remote subnets in CIDR form treated as trusted (needed for routed deployment)"),
      checked("type", "Kind of node, such as server or switch",
              Check::Values, {"switch", "server", "rackmount", "dense", "enclosure", ""}),
  };
  return table;
}

const std::vector<Alias>& alias_table() {
  static const std::vector<Alias> table = {
      {"bmc", "hardwaremanagement.manager"},
      {"bmcpass", "secret.hardwaremanagementpassword"},
      {"bmcuser", "secret.hardwaremanagementuser"},
      {"switchpass", "secret.hardwaremanagementpassword"},
      {"switchuser", "secret.hardwaremanagementuser"},
  };
  return table;
}

bool starts_with(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

// net.* and power.* carry an interface or power input name between prefix and leaf.
bool is_qualified_family(std::string_view name) { return starts_with(name, "net.") || starts_with(name, "power."); }

const AttributeInfo* find_exact(std::string_view name) {
  const auto& table = attribute_table();
  auto it = std::lower_bound(table.begin(), table.end(), name,
                             [](const AttributeInfo& a, std::string_view n) { return a.name < n; });
  return it != table.end() && it->name == name ? &*it : nullptr;
}

const Alias* find_alias(std::string_view name) {
  for (const auto& alias : alias_table()) {
    if (alias.name == name) return &alias;
  }
  return nullptr;
}

bool is_identifier_char(char c, bool allow_dash) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         (allow_dash && c == '-');
}

// Confluent feeds the name to Python's parser, so each component must be an identifier;
// custom.foo-bar parses too (as a subtraction), hence dashes inside custom components.
bool is_valid_component(std::string_view component, bool allow_dash) {
  if (component.empty()) return false;
  char first = component.front();
  if ((first >= '0' && first <= '9') || first == '-' || component.back() == '-') return false;
  return std::all_of(component.begin(), component.end(),
                     [allow_dash](char c) { return is_identifier_char(c, allow_dash); });
}

bool has_valid_syntax(std::string_view name) {
  bool allow_dash = is_custom(name);
  for (const auto& component : split(name, '.')) {
    if (!is_valid_component(component, allow_dash)) return false;
  }
  return true;
}

std::vector<std::string> suggestion_candidates() {
  std::vector<std::string> out;
  for (const auto& a : attribute_table()) out.emplace_back(a.name);
  for (const auto& a : alias_table()) out.emplace_back(a.name);
  return out;
}

bool is_settable(std::string_view name) { return find_alias(name) || find(name) != nullptr; }

// The nearest valid spelling of an unknown name, keeping any net./power. qualifier, or "".
std::string suggest_name(std::string_view name) {
  std::string lower = to_lower(name);
  if (lower != name && is_settable(lower)) return lower;
  std::string reduced = reduce(name);
  std::string best = closest_match(reduced, suggestion_candidates());
  if (best.empty() || reduced == name) return best;
  size_t prefix_end = name.find('.') + 1;
  if (best.substr(0, prefix_end) != name.substr(0, prefix_end)) return best;
  // Put the interface or power input name back between prefix and leaf.
  size_t leaf_start = name.rfind('.') + 1;
  return std::string(name.substr(0, leaf_start)) + best.substr(prefix_end);
}

std::string describe_valid(const std::vector<std::string_view>& valid) {
  std::vector<std::string> shown;
  // An empty value is always accepted, so listing it would only add noise.
  for (auto v : valid) {
    if (!v.empty()) shown.emplace_back(v);
  }
  return join(shown, ", ");
}

Error value_error(std::string_view name, std::string_view value, const AttributeInfo& info) {
  return Error(ErrorKind::Invalid, "attribute '" + std::string(name) + "' does not accept value '" +
                                       std::string(value) + "' (valid values would be " +
                                       describe_valid(info.valid) + ")");
}

bool is_valid_value(std::string_view value, const AttributeInfo& info) {
  return std::any_of(info.valid.begin(), info.valid.end(),
                     [value](std::string_view v) { return v == value || glob_match(v, value); });
}

bool is_list_member(std::string_view member, const AttributeInfo& info) {
  return std::find(info.valid.begin(), info.valid.end(), member) != info.valid.end();
}

void check_list(std::string_view name, std::string_view value, const AttributeInfo& info) {
  for (const auto& member : split(value, ',')) {
    if (!is_list_member(member, info)) throw value_error(name, member, info);
  }
}

void check_list_keys(std::string_view name, std::string_view value, const AttributeInfo& info) {
  for (const auto& member : split(value, ',')) {
    size_t eq = member.find('=');
    std::string key = member.substr(0, eq);
    if (!is_list_member(key, info)) {
      throw Error(ErrorKind::Invalid, "attribute '" + std::string(name) + "' does not accept key '" + key +
                                          "' (valid keys would be " + describe_valid(info.valid) + ")");
    }
    if (eq == std::string::npos) {
      throw Error(ErrorKind::Invalid,
                  "key '" + key + "' of attribute '" + std::string(name) + "' requires a value");
    }
  }
}

std::string normalize_int(std::string_view name, std::string_view value) {
  unsigned long long number = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), number);
  if (ec != std::errc() || end != value.data() + value.size()) {
    throw Error(ErrorKind::Invalid, "attribute '" + std::string(name) + "' does not accept value '" +
                                        std::string(value) + "' (a non-negative integer is required)");
  }
  return std::to_string(number);
}

std::string normalize_bool(std::string_view value) {
  static const std::vector<std::string_view> truthy = {"true", "1", "y", "yes", "enable", "enabled"};
  std::string lower = to_lower(value);
  return std::find(truthy.begin(), truthy.end(), lower) != truthy.end() ? "True" : "False";
}

}  // namespace

const std::vector<AttributeInfo>& attributes() { return attribute_table(); }

const std::vector<Alias>& aliases() { return alias_table(); }

const AttributeInfo* find(std::string_view name) {
  if (is_qualified_family(name)) return find_exact(reduce(name));
  return find_exact(name);
}

std::string resolve_alias(std::string_view name) {
  const Alias* alias = find_alias(name);
  return std::string(alias ? alias->canonical : name);
}

std::string reduce(std::string_view name) {
  if (!is_qualified_family(name)) return std::string(name);
  size_t first_dot = name.find('.');
  size_t last_dot = name.rfind('.');
  if (first_dot == last_dot) return std::string(name);
  return std::string(name.substr(0, first_dot)) + std::string(name.substr(last_dot));
}

bool is_secret(std::string_view name) {
  return starts_with(name, "secret.") || starts_with(name, "custom.nodesecret.");
}

bool is_crypted(std::string_view name) { return starts_with(name, "crypted."); }

bool is_custom(std::string_view name) { return starts_with(name, "custom."); }

std::string check_name_for_set(std::string_view name) {
  std::string canonical = resolve_alias(name);
  if (!has_valid_syntax(canonical)) {
    throw Error(ErrorKind::Invalid, "syntax error in attribute name '" + std::string(name) + "'");
  }
  if (is_custom(canonical) || find(canonical)) return canonical;
  std::string message = "unknown attribute '" + std::string(name) + "'";
  std::string suggestion = suggest_name(name);
  if (!suggestion.empty()) message += ", did you mean '" + suggestion + "'";
  throw Error(ErrorKind::Invalid, message);
}

bool is_known_name_or_pattern(std::string_view name) {
  if (find_alias(name) || find_exact(name)) return true;
  for (std::string_view prefix : {"custom.", "net.", "power."}) {
    if (starts_with(name, prefix) && name.size() > prefix.size()) return true;
  }
  if (!has_glob(name)) return false;
  const auto& table = attribute_table();
  return std::any_of(table.begin(), table.end(),
                     [name](const AttributeInfo& a) { return glob_match(name, a.name); });
}

std::string normalize_value(std::string_view canonical, std::string_view value) {
  const AttributeInfo* info = find(resolve_alias(canonical));
  if (!info) return std::string(value);
  if (info->type == Type::Bool) return normalize_bool(value);
  // Empty blanks the attribute, whatever its check; groups are split by the caller.
  if (value.empty() || info->type == Type::List) return std::string(value);
  if (info->type == Type::Int) return normalize_int(canonical, value);
  switch (info->check) {
    case Check::Values:
      if (!is_valid_value(value, *info)) throw value_error(canonical, value, *info);
      break;
    case Check::List:
      check_list(canonical, value, *info);
      break;
    case Check::ListKeys:
      check_list_keys(canonical, value, *info);
      break;
    case Check::None:
      break;
  }
  return std::string(value);
}

}  // namespace confluent::attrdb::schema
