#include "deploysvc/deploycfg.h"

#include <yaml-cpp/yaml.h>

#include <cstdlib>
#include <filesystem>
#include <map>

#include "attrdb/database.h"
#include "base/strings.h"
#include "deploysvc/client_trust.h"
#include "base/files.h"
#include "osdeploy/dhcp_config.h"
#include "osdeploy/site.h"

namespace confluent::deploysvc {

namespace {

std::string value(attrdb::Database& db, const std::string& node, const std::string& name) {
  attrdb::ResolvedValue v = db.resolve(node, name);
  return v.error.empty() ? v.value : std::string();
}

// KEY=value from a shell-style file (/etc/default/locale...), quotes removed.
std::string shell_var(const std::filesystem::path& file, const std::string& key) {
  std::string text;
  try {
    text = read_file(file);
  } catch (...) {
    return {};
  }
  for (const auto& [k, v] : parse_assignments(text)) {
    if (k == key) return v;
  }
  return {};
}

std::string server_timezone() {
  std::error_code ec;
  auto target = std::filesystem::read_symlink("/etc/localtime", ec).string();
  if (auto at = target.find("zoneinfo/"); !ec && at != std::string::npos) return target.substr(at + 9);
  try {
    return std::string(trim(read_file("/etc/timezone")));
  } catch (...) {
    return {};
  }
}

void key_or_null(YAML::Emitter& y, const char* key, const std::string& v) {
  y << YAML::Key << key << YAML::Value;
  if (v.empty()) y << YAML::Null; else y << v;
}

void list(YAML::Emitter& y, const char* key, const std::vector<std::string>& items) {
  y << YAML::Key << key << YAML::Value << YAML::BeginSeq;
  for (const auto& i : items) y << i;
  y << YAML::EndSeq;
}

}  // namespace

std::string current_profile(attrdb::Database& db, const std::string& node) {
  for (const char* name : {"deployment.pendingprofile", "deployment.stagedprofile", "deployment.profile"}) {
    std::string p = value(db, node, name);
    if (!p.empty()) return p;
  }
  return {};
}

std::string deploy_config_yaml(attrdb::Database& db, const std::string& node, const DeployContext& context) {
  // The default interface, else the first one named with an IPv4 setting.
  auto nets = osdeploy::node_net_settings(db, node);
  std::map<std::string, std::string> net;
  if (auto it = nets.find(""); it != nets.end()) net = it->second;
  if (!net.count("ipv4_address") && !net.count("ipv4_method")) {
    for (const auto& [iface, leaves] : nets) {
      if (!iface.empty() && leaves.count("ipv4_address")) {
        net = leaves;
        break;
      }
    }
  }
  std::string address = net["ipv4_address"];
  int prefix = -1;
  if (auto slash = address.find('/'); slash != std::string::npos) {
    prefix = std::atoi(address.c_str() + slash + 1);
    address.resize(slash);
  } else if (!address.empty()) {
    prefix = local_prefix_for(address);
  }
  std::string method = net["ipv4_method"];
  if (method.empty()) method = address.empty() ? "dhcp" : "static";

  std::string v6 = net["ipv6_address"];
  int prefix6 = -1;
  if (auto slash = v6.find('/'); slash != std::string::npos) {
    prefix6 = std::atoi(v6.c_str() + slash + 1);
    v6.resize(slash);
  } else if (!v6.empty()) {
    prefix6 = local_prefix_for(v6);
  }

  std::string uuid;
  try {
    uuid = osdeploy::site_uuid();
  } catch (...) {
  }
  auto hashes = db.hashes(node, "crypted.rootpassword");
  auto grub = db.hashes(node, "crypted.grubpassword");
  std::string locale = shell_var("/etc/default/locale", "LANG");
  if (locale.empty() && std::getenv("LANG")) locale = std::getenv("LANG");

  YAML::Emitter y;
  y << YAML::BeginMap;
  y << YAML::Key << "nodename" << YAML::Value << node;
  key_or_null(y, "profile", current_profile(db, node));
  key_or_null(y, "ipv4_method", method);
  key_or_null(y, "ipv4_address", address);
  y << YAML::Key << "prefix" << YAML::Value;
  if (prefix >= 0) y << prefix; else y << YAML::Null;
  key_or_null(y, "ipv4_netmask", prefix >= 0 && prefix <= 32 && !address.empty() ? osdeploy::netmask_text(prefix) : "");
  key_or_null(y, "ipv4_gateway", net["ipv4_gateway"]);
  key_or_null(y, "ipv6_method", net["ipv6_method"].empty() && !v6.empty() ? "static" : net["ipv6_method"]);
  key_or_null(y, "ipv6_address", v6);
  y << YAML::Key << "ipv6_prefix" << YAML::Value;
  if (prefix6 >= 0) y << prefix6; else y << YAML::Null;
  key_or_null(y, "ipv6_gateway", net["ipv6_gateway"]);
  bool v6_server = context.server.find(':') != std::string::npos;
  key_or_null(y, "deploy_server", v6_server ? "" : context.server);
  key_or_null(y, "deploy_server_v6", v6_server ? context.server : "");
  list(y, "nameservers", split_list(value(db, node, "dns.servers")));
  list(y, "ntpservers", split_list(value(db, node, "ntp.servers")));
  key_or_null(y, "dnsdomain", value(db, node, "dns.domain"));
  key_or_null(y, "rootpassword", hashes.crypt);
  key_or_null(y, "grubpassword", grub.grub);
  key_or_null(y, "encryptboot", value(db, node, "deployment.encryptboot"));
  y << YAML::Key << "protocol" << YAML::Value << (context.https ? "https" : "http");
  y << YAML::Key << "textconsole" << YAML::Value << !value(db, node, "console.method").empty();
  key_or_null(y, "timezone", server_timezone());
  key_or_null(y, "locale", locale);
  key_or_null(y, "keymap", shell_var("/etc/default/keyboard", "XKBLAYOUT"));
  key_or_null(y, "confluent_uuid", uuid);
  y << YAML::EndMap;
  return std::string(y.c_str()) + "\n";
}

}  // namespace confluent::deploysvc
