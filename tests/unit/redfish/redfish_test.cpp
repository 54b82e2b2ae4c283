// Redfish pieces that need no BMC: vendor table, certificate fingerprints, trust policies,
// error decoding, and the transport's timeout against a socket that never answers.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "base/error.h"
#include "bmc/power_plan.h"
#include "redfish/client.h"
#include "redfish/http.h"
#include "redfish/vendor.h"

using namespace confluent;
using namespace confluent::redfish;

TEST_CASE("vendor traits come from Vendor, then OEM keys, then Product", "[redfish]") {
  CHECK(std::string(traits_for("Dell", "", "").name) == "Dell iDRAC");
  CHECK(traits_for("Dell", "", "").eject_with_json_body);
  CHECK(std::string(traits_for("HPE", "ProLiant", "").name) == "HPE iLO");
  CHECK(traits_for("", "", "Hp ").busy_in_post_seconds > 0);
  CHECK(traits_for("Lenovo", "ThinkSystem SR650", "").xcc_slots);
  CHECK(traits_for("Supermicro", "", "").boot_full_triple);
  CHECK(traits_for("", "", "Ami ").boot_full_triple);
  CHECK(std::string(traits_for("Contoso", "Whatever", "").name) == "DMTF Redfish");
  // Words, not substrings: "Shipment" is not HP, "Amiga" is not AMI.
  CHECK(std::string(traits_for("", "Shipment Amiga", "").name) == "DMTF Redfish");
}

TEST_CASE("fingerprints are sha512$hex of the DER, pins may use other digests", "[redfish]") {
  const unsigned char der[] = {0x30, 0x03, 0x02, 0x01, 0x05};
  std::string fp = fingerprint(der, sizeof der);
  CHECK(fp.rfind("sha512$", 0) == 0);
  CHECK(fp.size() == 7 + 128);
  CHECK(fingerprint_matches(fp, der, sizeof der));
  // sha256 of the same bytes, upper case with colons, as some tools print it.
  std::string sha256 = "sha256$" + std::string("3b9f4c94b5c0c0a2d6a7ae2b7d5a6b5a");
  CHECK_FALSE(fingerprint_matches(sha256, der, sizeof der));
  CHECK_FALSE(fingerprint_matches("md5$abc", der, sizeof der));
  CHECK_FALSE(fingerprint_matches("nodollar", der, sizeof der));
  std::string upper = fp;
  for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  upper.replace(0, 7, "SHA512$");
  CHECK(fingerprint_matches(upper, der, sizeof der));
}

TEST_CASE("trust policies", "[redfish]") {
  CHECK(parse_policy("") == TlsTrust::Policy::Tofu);
  CHECK(parse_policy("tofu") == TlsTrust::Policy::Tofu);
  CHECK(parse_policy("manual") == TlsTrust::Policy::Manual);
  CHECK(parse_policy("ca") == TlsTrust::Policy::Ca);
  CHECK(parse_policy("ca-only") == TlsTrust::Policy::CaOnly);
  CHECK_THROWS_WITH(parse_policy("always"), "pubkeys.addpolicy 'always' is not one of tofu, manual, ca, ca-only");
}

TEST_CASE("Redfish failures match message IDs regardless of registry version", "[redfish]") {
  Failure f("x", 400, {"Base.1.8.PropertyMissing", "iLO.2.15.UnableToModifyDuringSystemPOST"}, {"BootSourceOverrideEnabled"});
  CHECK(f.has_id("PropertyMissing"));
  CHECK(f.has_id("UnableToModifyDuringSystemPOST"));
  CHECK_FALSE(f.has_id("Missing"));
  CHECK(f.mentions("BootSourceOverrideEnabled"));
  CHECK_FALSE(f.mentions("Inserted"));
  CHECK_THROWS_WITH(parse_body("{\"a\":", "/redfish/v1/Systems"), "BMC sent invalid JSON for /redfish/v1/Systems");
  CHECK(parse_body("", "/x").is_null());
  CHECK(base_url("10.0.0.1:8443") == "https://10.0.0.1:8443");
}

TEST_CASE("power plans say what happened, and ask nothing when already there", "[bmc]") {
  using confluent::bmc::PowerAction;
  using confluent::bmc::detail::plan_power;
  CHECK_FALSE(plan_power(PowerAction::On, true, false).act);
  CHECK(plan_power(PowerAction::On, true, true).text == "on->on");
  CHECK(plan_power(PowerAction::Off, true, true).text == "on->off");
  CHECK(plan_power(PowerAction::Boot, true, false).text == "reset");
  CHECK(plan_power(PowerAction::Boot, false, false).text == "on");
  CHECK(plan_power(PowerAction::Reset, false, true).text == "off->reset");
  CHECK(plan_power(PowerAction::Shutdown, false, false).act == false);
}

TEST_CASE("a BMC that accepts but never answers times out, the loop stays free", "[redfish]") {
  int listener = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  REQUIRE(listen(listener, 4) == 0);
  socklen_t len = sizeof addr;
  getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len);
  std::string url = "https://127.0.0.1:" + std::to_string(ntohs(addr.sin_port)) + "/redfish/v1/";

  fanout::EventLoop loop;
  Transport transport(loop);
  TlsTrust trust;
  HttpRequest req;
  req.url = url;
  req.timeout = std::chrono::milliseconds(300);
  req.trust = &trust;
  HttpResponse got;
  bool done = false;
  auto start = std::chrono::steady_clock::now();
  transport.start(req, [&](HttpResponse r) {
    got = std::move(r);
    done = true;
  });
  for (int i = 0; i < 100 && !done; ++i) loop.run_once(std::chrono::milliseconds(50));
  auto took = std::chrono::steady_clock::now() - start;
  close(listener);
  REQUIRE(done);
  CHECK(got.status == 0);
  CHECK(got.error.find("timed out") != std::string::npos);
  CHECK(took < std::chrono::seconds(3));
  CHECK_FALSE(transport.busy());
}
