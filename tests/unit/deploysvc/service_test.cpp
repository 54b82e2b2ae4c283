#include <catch2/catch.hpp>

#include <crypt.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "attrdb/database.h"
#include "deploysvc/service.h"

using namespace confluent;
using namespace confluent::deploysvc;
namespace fs = std::filesystem;

namespace {

struct Root {
  fs::path dir;
  Root() {
    char tmpl[] = "/tmp/deploysvc-service.XXXXXX";
    dir = mkdtemp(tmpl);
    setenv("CONFLUENT_ROOT", dir.c_str(), 1);
    fs::create_directories(dir / "var/lib/confluent/public/os/p1");
    std::ofstream(dir / "var/lib/confluent/public/os/p1/boot.ipxe") << "#!ipxe\n";
  }
  ~Root() { fs::remove_all(dir); }
};

void attrs(const std::string& node, const std::vector<std::pair<std::string, std::string>>& values) {
  auto db = attrdb::Database::open(attrdb::Access::Write);
  db->create_node(node);
  for (const auto& [k, v] : values) db->set_node_attribute(node, attrdb::Assignment{k, attrdb::Assignment::Op::Set, v});
  db->commit();
}

std::string attr(const std::string& node, const std::string& name) {
  auto db = attrdb::Database::open(attrdb::Access::Read);
  return db->resolve(node, name).value;
}

Request get(const std::string& path, bool tls = false) {
  Request r;
  r.method = "GET";
  r.path = path;
  r.client = "127.0.0.1";
  r.host = "10.0.2.100";
  r.tls = tls;
  return r;
}

Request post(const std::string& path, const std::string& body, const std::string& node = "n1",
             const std::string& key = "") {
  Request r = get(path, true);
  r.method = "POST";
  r.body = body;
  r.headers = {{"confluent_nodename", node}};
  if (!key.empty()) r.headers.emplace_back("confluent_apikey", key);
  return r;
}

std::string sha512(const std::string& key) {
  struct crypt_data data {};
  return crypt_r(key.c_str(), "$6$saltsaltsalt$", &data);
}

}  // namespace

TEST_CASE("Boot URLs redirect by MAC, UUID or name to the pending profile, O(1) after a change") {
  Root root;
  attrs("n1", {{"net.hwaddr", "52:54:00:AA:BB:01"}, {"id.uuid", "12345678-1234-1234-1234-123456789abc"},
               {"deployment.useinsecureprotocols", "firmware"}});
  attrs("n2", {{"net.eth1.hwaddr", "52-54-00-aa-bb-02"}});
  Service service;

  CHECK(service.handle(get("/confluent-api/boot/by-mac/52-54-00-aa-bb-01/ipxe")).status == 404);  // nothing pending
  attrs("n1", {{"deployment.pendingprofile", "p1"}});  // another writer: seen at once
  for (const char* path : {"/confluent-api/boot/by-mac/52-54-00-AA-BB-01/ipxe",
                           "/confluent-api/boot/by-mac/52:54:00:aa:bb:01/ipxe",
                           "/confluent-api/boot/by-uuid/12345678-1234-1234-1234-123456789ABC/ipxe",
                           "/confluent-api/boot/by-node/n1/ipxe"}) {
    INFO(path);
    Response r = service.handle(get(path));
    CHECK(r.status == 302);
    REQUIRE(r.headers.size() == 1);
    CHECK(r.headers[0].second == "/confluent-public/os/p1/boot.ipxe");
    CHECK(r.node == "n1");
  }
  CHECK(service.handle(get("/confluent-api/boot/by-mac/52-54-00-aa-bb-01/img")).headers[0].second ==
        "/confluent-public/os/p1/boot.img");
  // Plain HTTP is for nodes whose deployment.useinsecureprotocols allows it; HTTPS always works.
  attrs("n2", {{"deployment.pendingprofile", "p1"}});
  CHECK(service.handle(get("/confluent-api/boot/by-mac/52:54:00:aa:bb:02/ipxe")).status == 403);
  CHECK(service.handle(get("/confluent-api/boot/by-mac/52:54:00:aa:bb:02/ipxe", true)).status == 302);

  CHECK(service.handle(get("/confluent-api/boot/by-mac/52:54:00:aa:bb:99/ipxe")).status == 404);
  CHECK(service.handle(get("/confluent-api/boot/by-mac/notamac/ipxe")).status == 404);
  CHECK(service.handle(get("/confluent-api/boot/by-mac/52:54:00:aa:bb:01")).status == 400);
  CHECK(service.handle(get("/confluent-api/boot/by-mac/52:54:00:aa:bb:01/ipxe/more")).status == 400);
  CHECK(service.handle(get("/confluent-api/boot/by-mac/52:54:00:aa:bb:01/..")).status == 400);
  CHECK(service.handle(get("/confluent-api/boot/by-ip/1.2.3.4/ipxe")).status == 400);
  CHECK(service.handle(get("/elsewhere")).status == 404);
}

TEST_CASE("Nodes register an API key only while armed, then authenticate with it") {
  Root root;
  attrs("n1", {{"net.hwaddr", "52:54:00:aa:bb:01"}, {"deployment.pendingprofile", "p1"}});
  Service service;
  const std::string hash = sha512("key-1");

  CHECK(service.handle(post("/confluent-api/self/registerapikey", hash)).status == 401);  // not armed
  attrs("n1", {{"deployment.apiarmed", "once"}});
  CHECK(service.handle(post("/confluent-api/self/registerapikey", "not a hash")).status == 400);
  CHECK(attr("n1", "deployment.apiarmed") == "once");  // a refused request changes nothing
  CHECK(service.handle(post("/confluent-api/self/registerapikey", hash, "nobody")).status == 401);
  CHECK(service.handle(post("/confluent-api/self/registerapikey", hash)).status == 200);
  CHECK(attr("n1", "deployment.apiarmed").empty());  // "once" is used up
  CHECK(service.handle(post("/confluent-api/self/registerapikey", sha512("key-2"))).status == 401);

  // An installer without crypt(3) sends the key itself, with an empty body; the server hashes it.
  attrs("n1", {{"deployment.apiarmed", "once"}});
  CHECK(service.handle(post("/confluent-api/self/registerapikey", "", "n1", "short")).status == 400);
  CHECK(service.handle(post("/confluent-api/self/registerapikey", "", "n1", std::string(40, 'k'))).status == 200);
  Request mine = get("/confluent-api/self/myattribs", true);
  mine.headers = {{"confluent_nodename", "n1"}, {"confluent_apikey", std::string(40, 'k')}};
  CHECK(service.handle(mine).status == 200);
  attrs("n1", {{"deployment.apiarmed", "once"}});
  CHECK(service.handle(post("/confluent-api/self/registerapikey", hash)).status == 200);  // key-1 again

  Request whoami = get("/confluent-api/self/whoami");
  whoami.headers = {{"confluent_ids", "uuid=00000000-0000-0000-0000-000000000000/mac=52:54:00:AA:BB:01"}};
  Response r = service.handle(whoami);
  CHECK(r.status == 200);
  CHECK(r.body == "n1\n");

  Request cfg = get("/confluent-api/self/deploycfg2", true);
  CHECK(service.handle(cfg).status == 401);
  cfg.headers = {{"confluent_nodename", "n1"}, {"confluent_apikey", "wrong"}};
  CHECK(service.handle(cfg).status == 401);
  cfg.headers = {{"confluent_nodename", "n1"}, {"confluent_apikey", "key-1"}};
  r = service.handle(cfg);
  CHECK(r.status == 200);
  CHECK(r.body.find("profile: p1\n") != std::string::npos);
  CHECK(r.body.find("deploy_server: 10.0.2.100\n") != std::string::npos);
  CHECK(r.body.find("protocol: https\n") != std::string::npos);
  // Over plain HTTP only with deployment.useinsecureprotocols=always.
  cfg.tls = false;
  CHECK(service.handle(cfg).status == 403);
  attrs("n1", {{"deployment.useinsecureprotocols", "always"}});
  r = service.handle(cfg);
  CHECK(r.status == 200);
  CHECK(r.body.find("protocol: http\n") != std::string::npos);
}

TEST_CASE("updatestatus moves a node through staged, complete and booted as confluent does") {
  Root root;
  attrs("n1", {{"deployment.pendingprofile", "p1"}, {"deployment.lock", "autolock"}});
  auto db = attrdb::Database::open(attrdb::Access::Write);
  db->set_node_hash("n1", "crypted.selfapikey", sha512("k"));
  db->commit();
  db.reset();
  Service service;
  auto status = [&](const std::string& body) {
    return service.handle(post("/confluent-api/self/updatestatus", body, "n1", "k")).status;
  };
  CHECK(status("status: staged") == 200);
  CHECK(attr("n1", "deployment.stagedprofile") == "p1");
  CHECK(attr("n1", "deployment.pendingprofile").empty());
  CHECK(status("status: staged") == 500);  // nothing pending any more
  CHECK(status("status: complete\nstate: installed\nstate_detail: firstboot done") == 200);
  CHECK(attr("n1", "deployment.profile") == "p1");
  CHECK(attr("n1", "deployment.stagedprofile").empty());
  CHECK(attr("n1", "deployment.lock") == "locked");
  CHECK(attr("n1", "deployment.state") == "installed");
  CHECK(attr("n1", "deployment.state_detail") == "firstboot done");
  CHECK(attr("n1", "deployment.state_last_updated").size() == 19);
  CHECK(status("status: complete") == 500);

  attrs("n1", {{"deployment.pendingprofile", "p1"}});
  CHECK(status("status: booted") == 200);  // diskless: pending stays, the node keeps booting it
  CHECK(attr("n1", "deployment.profile") == "p1");
  CHECK(attr("n1", "deployment.pendingprofile") == "p1");

  CHECK(status("status: [1, 2") == 400);
  CHECK(status("- a list") == 400);
  CHECK(status("status: finished") == 400);
  CHECK(status("status: {a: b}") == 400);
  CHECK(service.handle(post("/confluent-api/self/updatestatus", "status: staged", "n1", "bad")).status == 401);
}
