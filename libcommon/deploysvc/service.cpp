#include "deploysvc/service.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "attrdb/database.h"
#include "attrdb/secrets.h"
#include "base/error.h"
#include "base/strings.h"
#include "deploysvc/client_trust.h"
#include "deploysvc/deploycfg.h"
#include "deploysvc/node_store.h"
#include "deploysvc/public_files.h"
#include "osdeploy/layout.h"

namespace confluent::deploysvc {

namespace {

namespace fs = std::filesystem;
using attrdb::Assignment;
using attrdb::Database;

constexpr std::string_view kPublic = "/confluent-public/";
constexpr std::string_view kBoot = "/confluent-api/boot/";
constexpr std::string_view kSelf = "/confluent-api/self/";

// A refusal decided deep in a handler; becomes a plain-text response naming the reason.
struct Refusal {
  int status;
  std::string message;
  std::string node;
};

std::string value(Database& db, const std::string& node, const char* name) {
  attrdb::ResolvedValue v = db.resolve(node, name);
  return v.error.empty() ? v.value : std::string();
}

void set(Database& db, const std::string& node, const char* name, const std::string& v) {
  db.set_node_attribute(node, Assignment{name, Assignment::Op::Set, v});
}

bool has_word(const std::string& list, std::string_view word) {
  for (const auto& w : split_list(to_lower(list))) {
    if (w == word) return true;
  }
  return false;
}

// Plain HTTP is for what deployment.useinsecureprotocols allows: "firmware" covers the
// boot chain (PXE, iPXE, UEFI HTTP), "always" the installer's API calls as well.
void require_protocol(Database& db, const std::string& node, const Request& request, bool firmware_phase) {
  if (request.tls) return;
  std::string allowed = value(db, node, "deployment.useinsecureprotocols");
  if (has_word(allowed, "always") || (firmware_phase && has_word(allowed, "firmware"))) return;
  throw Refusal{403,
                node + ": plain HTTP refused by deployment.useinsecureprotocols (use HTTPS, or set it to " +
                    (firmware_phase ? "firmware" : "always") + ")",
                node};
}

// A path segment naming one file: no separators, no "." or "..".
bool plain_name(std::string_view s) {
  if (s.empty() || s == "." || s == ".." || s.size() > 255) return false;
  return std::none_of(s.begin(), s.end(), [](char c) { return c == '/' || c == '\\' || c == '\0'; });
}

std::string url_escape(std::string_view s) {
  static const char hex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

// The node a request authenticates as (CONFLUENT_NODENAME + CONFLUENT_APIKEY).
std::string authenticate(NodeStore& store, Database& db, const Request& request) {
  std::string node(trim(request.header("confluent_nodename")));
  std::string_view key = trim(request.header("confluent_apikey"));
  if (node.empty() || key.empty()) throw Refusal{401, "node authentication required", ""};
  if (!db.is_node(node) || !store.verify_api_key(db, node, key)) {
    throw Refusal{401, "node authentication failed for '" + node + "'", node};
  }
  return node;
}

std::string timestamp_now() {
  time_t t = time(nullptr);
  struct tm tm;
  localtime_r(&t, &tm);
  char buf[32];
  strftime(buf, sizeof buf, "%m/%d/%Y %H:%M:%S", &tm);
  return buf;
}

bool wants(const Request& request, std::string_view type) {
  return request.header("accept").find(type) != std::string_view::npos;
}

Response listing(const Request& request, const std::vector<std::string>& items) {
  Response r;
  if (wants(request, "application/json")) {
    r.content_type = "application/json";
    r.body = nlohmann::json(items).dump() + "\n";
  } else {
    YAML::Emitter y;
    y << YAML::BeginSeq;
    for (const auto& i : items) y << i;
    y << YAML::EndSeq;
    r.content_type = "application/yaml";
    r.body = items.empty() ? "[]\n" : std::string(y.c_str()) + "\n";
  }
  return r;
}

std::string base64(const unsigned char* data, size_t size) {
  std::string out(4 * ((size + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, static_cast<int>(size));
  out.resize(static_cast<size_t>(n));
  return out;
}

// registerapikey proven by the identity image's token: CONFLUENT_CRYPTHMAC is the base64
// HMAC-SHA256 of the body under secret.selfapiarmtoken.
bool hmac_matches(Database& db, const std::string& node, const Request& request, std::string_view hmac) {
  std::string token = db.reveal(node, "secret.selfapiarmtoken");
  if (token.empty()) return false;
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), token.data(), static_cast<int>(token.size()),
       reinterpret_cast<const unsigned char*>(request.body.data()), request.body.size(), md, &len);
  std::string expected = base64(md, len);
  std::string_view got = trim(hmac);
  return got.size() == expected.size() && CRYPTO_memcmp(got.data(), expected.data(), got.size()) == 0;
}

Response register_api_key(NodeStore& store, const Request& request) {
  if (request.method != "POST") throw Refusal{405, "registerapikey takes a POST", ""};
  std::string node(trim(request.header("confluent_nodename")));
  if (node.empty()) throw Refusal{401, "CONFLUENT_NODENAME is missing", ""};
  std::string hash(trim(request.body));
  // A node without a crypt(3) tool (debian-installer) sends its new key in CONFLUENT_APIKEY
  // and an empty body: the server hashes it. The key travels as in every later request.
  std::string_view plain = trim(request.header("confluent_apikey"));
  if (hash.empty() && !plain.empty()) {
    if (plain.size() < 32 || plain.size() > 256) throw Refusal{400, node + ": an API key has 32 to 256 characters", node};
    hash = attrdb::sha512_crypt(plain);
  }
  std::string_view hmac = request.header("confluent_crypthmac");
  store.write([&](Database& db) {
    if (!db.is_node(node)) throw Refusal{401, "unknown node '" + node + "'", ""};
    if (!hmac.empty()) {
      if (!hmac_matches(db, node, request, hmac)) throw Refusal{401, node + ": identity token does not match", node};
    } else {
      std::string armed = value(db, node, "deployment.apiarmed");
      if (armed != "once" && armed != "continuous") {
        throw Refusal{401, node + ": not armed for API key registration (see nodedeploy, deployment.apiarmed)", node};
      }
      // Arming trusts the network the node boots on: directly attached, or listed.
      if (!on_local_network(request.client) &&
          !address_in_list(request.client, value(db, node, "trusted.subnets"))) {
        throw Refusal{403, node + ": " + request.client + " is neither on a local network nor in trusted.subnets",
                      node};
      }
      require_protocol(db, node, request, false);
      if (armed == "once") set(db, node, "deployment.apiarmed", "");
    }
    try {
      db.set_node_hash(node, "crypted.selfapikey", hash);
    } catch (const Error& e) {
      throw Refusal{400, node + ": the body must be the crypt(3) hash of the new API key", node};
    }
  });
  Response r = Response::text(200, "");
  r.node = node;
  return r;
}

// §5.8 step 6. Checks and changes happen in one write transaction.
Response update_status(NodeStore& store, const Request& request, const std::string& node) {
  if (request.method != "POST") throw Refusal{405, "updatestatus takes a POST", node};
  YAML::Node doc;
  try {
    doc = YAML::Load(request.body);
  } catch (const YAML::Exception&) {
    throw Refusal{400, "updatestatus: the body is not YAML", node};
  }
  if (!doc.IsMap()) throw Refusal{400, "updatestatus: the body must be a YAML mapping (status: ...)", node};
  auto field = [&](const char* key) -> std::string {
    if (!doc[key]) return {};
    if (!doc[key].IsScalar()) throw Refusal{400, std::string("updatestatus: ") + key + " must be a string", node};
    return doc[key].as<std::string>();
  };
  std::string status = field("status"), state = field("state"), detail = field("state_detail");
  if (!status.empty() && status != "staged" && status != "complete" && status != "booted") {
    throw Refusal{400, "updatestatus: unknown status '" + status + "' (staged, complete or booted)", node};
  }
  store.write([&](Database& db) {
    std::string pending = value(db, node, "deployment.pendingprofile");
    std::string staged = value(db, node, "deployment.stagedprofile");
    const std::string no_pending = "No pending profile detected, unable to accept status update";
    if (status == "staged") {
      if (pending.empty()) throw Refusal{500, no_pending, node};
      set(db, node, "deployment.stagedprofile", pending);
      set(db, node, "deployment.pendingprofile", "");
    } else if (status == "complete") {
      std::string done = staged.empty() ? pending : staged;
      if (done.empty()) throw Refusal{500, no_pending, node};
      set(db, node, "deployment.profile", done);
      set(db, node, "deployment.stagedprofile", "");
      set(db, node, "deployment.pendingprofile", "");
      if (value(db, node, "deployment.lock") == "autolock") set(db, node, "deployment.lock", "locked");
    } else if (status == "booted") {
      if (pending.empty()) throw Refusal{500, no_pending, node};
      set(db, node, "deployment.profile", pending);  // pending kept: the node keeps network booting
    }
    if (!state.empty() || !detail.empty()) {
      set(db, node, "deployment.state", state);
      set(db, node, "deployment.state_detail", detail);
      set(db, node, "deployment.state_last_updated", timestamp_now());
    }
  });
  Response r = Response::text(200, "");
  r.node = node;
  return r;
}

}  // namespace

Service::Service()
    : store_(std::make_unique<NodeStore>()),
      public_root_(osdeploy::public_dir()),
      private_root_(osdeploy::private_dir()) {}

Service::~Service() = default;

Response Service::handle(const Request& request) {
  try {
    std::string_view path = request.path;
    if (path.substr(0, kPublic.size()) == kPublic) {
      return serve_file(public_root_, path.substr(kPublic.size()), request);
    }
    if (path.substr(0, kBoot.size()) == kBoot) return boot(request, path.substr(kBoot.size()));
    if (path.substr(0, kSelf.size()) == kSelf) return self(request, path.substr(kSelf.size()));
    return Response::text(404, "not found");
  } catch (const Refusal& refusal) {
    Response r = Response::text(refusal.status, refusal.message);
    r.node = refusal.node;
    return r;
  } catch (const Error& e) {
    return Response::text(e.kind() == ErrorKind::Store ? 503 : 500, e.what());
  } catch (const std::exception& e) {
    return Response::text(500, std::string("internal error: ") + e.what());
  }
}

Response Service::boot(const Request& request, std::string_view rest) {
  if (request.method != "GET" && request.method != "HEAD") throw Refusal{405, "boot URLs take a GET", ""};
  auto parts = split(rest, '/');  // by-mac, <id>, <file>
  if (parts.size() != 3 || parts[1].empty() || !plain_name(parts[2]) || parts[2][0] == '.') {
    throw Refusal{400, "boot URLs are /confluent-api/boot/by-mac|by-uuid|by-node/<id>/<file>", ""};
  }
  const std::string& kind = parts[0];
  std::optional<std::string> node;
  if (kind == "by-mac") {
    node = store_->node_by_mac(parts[1]);
  } else if (kind == "by-uuid") {
    node = store_->node_by_uuid(parts[1]);
  } else if (kind == "by-node") {
    store_->read([&](Database& db) {
      if (db.is_node(parts[1])) node = parts[1];
    });
  } else {
    throw Refusal{400, "unknown boot lookup '" + kind + "' (by-mac, by-uuid or by-node)", ""};
  }
  if (!node) throw Refusal{404, "no node has " + kind.substr(3) + " " + parts[1], ""};
  std::string profile;
  store_->read([&](Database& db) {
    if (!db.is_node(*node)) return;  // removed since the index was read
    profile = value(db, *node, "deployment.pendingprofile");
    if (!profile.empty()) require_protocol(db, *node, request, true);
  });
  if (profile.empty()) throw Refusal{404, "No pending profile for " + *node, *node};
  Response r = Response::redirect("/confluent-public/os/" + url_escape(profile) + "/boot." + parts[2]);
  r.node = *node;
  return r;
}

Response Service::self(const Request& request, std::string_view rest) {
  if (rest == "whoami") {
    // CONFLUENT_IDS: uuid=<uuid>/mac=<mac>/mac=<mac>...: the first that names a node.
    for (const auto& id : split(request.header("confluent_ids"), '/')) {
      auto eq = id.find('=');
      if (eq == std::string::npos) continue;
      std::string key(trim(std::string_view(id).substr(0, eq))), val(trim(std::string_view(id).substr(eq + 1)));
      std::optional<std::string> node;
      if (key == "uuid") node = store_->node_by_uuid(val);
      if (key == "mac") node = store_->node_by_mac(val);
      if (node) {
        Response r = Response::text(200, *node);
        r.node = *node;
        return r;
      }
    }
    if (request.header("confluent_ids").empty()) throw Refusal{400, "CONFLUENT_IDS header missing", ""};
    throw Refusal{404, "no node matches " + std::string(request.header("confluent_ids")), ""};
  }
  if (rest == "registerapikey") return register_api_key(*store_, request);

  std::string node;
  Response r;
  bool handled = false;
  auto parts = split(rest, '/');
  store_->read([&](Database& db) {
    node = authenticate(*store_, db, request);
    require_protocol(db, node, request, false);
    if (rest == "deploycfg2" || rest == "deploycfg") {
      DeployContext context;
      context.server = request.host;
      context.https = !has_word(value(db, node, "deployment.useinsecureprotocols"), "always");
      r.content_type = "application/yaml";
      r.body = deploy_config_yaml(db, node, context);
      handled = true;
    } else if (rest == "myattribs") {
      nlohmann::json attrs = nlohmann::json::object();
      YAML::Emitter y;
      y << YAML::BeginMap;
      for (const auto& name : db.current_names(node)) {
        attrdb::ResolvedValue v = db.resolve(node, name);
        if (v.is_protected || !v.error.empty() || v.value.empty()) continue;
        attrs[name] = v.value;
        y << YAML::Key << name << YAML::Value << v.value;
      }
      y << YAML::EndMap;
      bool json = wants(request, "application/json");
      r.content_type = json ? "application/json" : "application/yaml";
      r.body = json ? attrs.dump() + "\n" : std::string(y.c_str()) + "\n";
      handled = true;
    } else if (rest == "nodelist") {
      // The nodes this one may reach by ssh: ssh.trustnodes, else every node.
      std::string trust = value(db, node, "ssh.trustnodes");
      noderange::NodeList nodes = trust.empty() ? db.all_nodes() : db.expand(trust);
      std::vector<std::string> names(nodes.begin(), nodes.end());
      if (wants(request, "json") || wants(request, "yaml")) {
        r = listing(request, names);
      } else {
        for (const auto& n : names) r.body += n + "\n";
      }
      handled = true;
    } else if (parts.size() == 2 && parts[0] == "scriptlist") {
      std::string profile = current_profile(db, node);
      if (profile.empty()) throw Refusal{404, node + ": no profile pending, staged or applied", node};
      if (!plain_name(parts[1])) throw Refusal{400, "bad phase name", node};
      std::vector<std::string> scripts;
      std::error_code ec;
      for (const auto& e : fs::directory_iterator(public_root_ / "os" / profile / "scripts" / (parts[1] + ".d"), ec)) {
        std::string name = e.path().filename().string();
        if (name.empty() || name[0] == '.' || name == "README" || !e.is_regular_file()) continue;
        scripts.push_back(name);
      }
      std::sort(scripts.begin(), scripts.end());
      r = listing(request, scripts);
      handled = true;
    } else if (parts.size() == 3 && parts[0] == "profileprivate" && parts[1] == "pending") {
      std::string profile = value(db, node, "deployment.pendingprofile");
      if (profile.empty()) throw Refusal{404, node + ": no profile pending", node};
      if (!plain_name(parts[2])) throw Refusal{400, "bad file name", node};
      r = serve_file(private_root_ / "os" / profile / "pending", parts[2], request);
      handled = true;
    }
  });
  if (!handled && rest == "updatestatus") return update_status(*store_, request, node);
  if (!handled) throw Refusal{404, "unknown self API call '" + std::string(rest) + "'", node};
  r.node = node;
  return r;
}

}  // namespace confluent::deploysvc
