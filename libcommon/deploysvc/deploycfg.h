#pragma once
// /confluent-api/self/deploycfg2: what a node's installer needs to configure itself, as
// YAML (spec §5.7): profile, the address settings of its deployment interface, name and
// time servers, the root and boot loader password hashes, the protocol to use, and the
// server's own time zone, locale and keymap.
#include <string>

namespace confluent::attrdb {
class Database;
}

namespace confluent::deploysvc {

struct DeployContext {
  std::string server;    // the server address as the node reached it
  bool https = true;     // false when deployment.useinsecureprotocols is "always"
};

std::string deploy_config_yaml(attrdb::Database& db, const std::string& node, const DeployContext& context);

// The profile a node is being deployed or runs: pending, else staged, else applied.
std::string current_profile(attrdb::Database& db, const std::string& node);

}  // namespace confluent::deploysvc
