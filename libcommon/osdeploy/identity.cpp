// Identity images for remote-media deployment (spec §4.6): what a node needs to find and
// authenticate to its deployment server without DHCP, on a FAT image labelled CNFLNT_IDNT
// that nodemedia uploads or attaches.
#include <openssl/rand.h>
#include <yaml-cpp/yaml.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "attrdb/database.h"
#include "base/error.h"
#include "base/strings.h"
#include "osdeploy/fatimage.h"
#include "osdeploy/files.h"
#include "osdeploy/host.h"
#include "osdeploy/site.h"

namespace confluent::osdeploy {

namespace {

// 32 random bytes, base64url without padding: 43 characters, as confluent's tokens.
std::string new_token() {
  unsigned char b[32];
  if (RAND_bytes(b, sizeof b) != 1) throw Error(ErrorKind::Runtime, "no randomness for an API token");
  static const char digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (unsigned char c : b) {
    acc = (acc << 8) | c;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out.push_back(digits[(acc >> bits) & 63]);
    }
  }
  if (bits > 0) out.push_back(digits[(acc << (6 - bits)) & 63]);
  return out;
}

}  // namespace

std::string site_uuid() { return std::string(trim(read_file(site_dir() / "confluent_uuid"))); }

std::map<std::string, std::map<std::string, std::string>> node_net_settings(attrdb::Database& db,
                                                                           const std::string& node) {
  std::map<std::string, std::map<std::string, std::string>> nets;
  for (const auto& name : db.current_names(node)) {
    if (name.rfind("net.", 0) != 0) continue;
    attrdb::ResolvedValue v = db.resolve(node, name);
    if (!v.error.empty() || v.value.empty()) continue;
    std::string rest = name.substr(4);
    auto dot = rest.rfind('.');
    std::string iface = dot == std::string::npos ? "" : rest.substr(0, dot);
    nets[iface][dot == std::string::npos ? rest : rest.substr(dot + 1)] = v.value;
  }
  return nets;
}

fs::path make_identity_image(attrdb::Database& db, const std::string& node) {
  std::string token = new_token();
  db.set_node_attribute(node, attrdb::Assignment{"secret.selfapiarmtoken", attrdb::Assignment::Op::Set, token});

  auto nets = node_net_settings(db, node);
  std::string uuid = site_uuid();

  nlohmann::json j;
  j["nodename"] = node;
  j["apitoken"] = token;
  j["deploy_servers"] = host_addresses();
  j["confluent_uuid"] = uuid;
  j["net_cfgs"] = nlohmann::json::array();
  YAML::Emitter y;
  y << YAML::BeginMap << YAML::Key << "nodename" << YAML::Value << node << YAML::Key << "apitoken" << YAML::Value
    << token << YAML::Key << "deploy_servers" << YAML::Value << YAML::BeginSeq;
  for (const auto& a : host_addresses()) y << a;
  y << YAML::EndSeq << YAML::Key << "confluent_uuid" << YAML::Value << uuid << YAML::Key << "net_cfgs" << YAML::Value
    << YAML::BeginSeq;
  for (const auto& [iface, leaves] : nets) {
    nlohmann::json cfg = leaves;
    if (!iface.empty()) cfg["name"] = iface;
    j["net_cfgs"].push_back(cfg);
    y << YAML::BeginMap;
    if (!iface.empty()) y << YAML::Key << "name" << YAML::Value << iface;
    for (const auto& [k, v] : leaves) y << YAML::Key << k << YAML::Value << v;
    y << YAML::EndMap;
  }
  y << YAML::EndSeq << YAML::EndMap;

  fs::path images = private_dir() / "identity_images", files = private_dir() / "identity_files";
  fs::create_directories(images);
  fs::create_directories(files);
  fs::path work = images / ("." + node + ".content");
  fs::remove_all(work);
  fs::create_directories(work / "tls");
  std::ofstream(work / "cnflnt.yml") << y.c_str() << "\n";
  std::ofstream(work / "cnflnt.jsn") << j.dump() << "\n";
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(site_dir() / "tls", ec)) {
    if (e.is_regular_file()) fs::copy_file(e.path(), work / "tls" / e.path().filename());
  }
  fs::path image = images / (node + ".img");
  try {
    dir_to_image(work, image, "cnflnt_idnt");
  } catch (...) {
    fs::remove_all(work, ec);
    throw;
  }
  fs::permissions(image, fs::perms::owner_read | fs::perms::owner_write, ec);
  fs::copy_file(work / "cnflnt.yml", files / (node + ".yml"), fs::copy_options::overwrite_existing);
  fs::copy_file(work / "cnflnt.jsn", files / (node + ".json"), fs::copy_options::overwrite_existing);
  fs::permissions(files / (node + ".yml"), fs::perms::owner_read | fs::perms::owner_write, ec);
  fs::permissions(files / (node + ".json"), fs::perms::owner_read | fs::perms::owner_write, ec);
  fs::remove_all(work, ec);
  return image;
}

}  // namespace confluent::osdeploy
