#include "attrdb/schema.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <string>

#include "base/error.h"

using namespace confluent::attrdb::schema;
using confluent::Error;
using confluent::ErrorKind;

namespace {

// The message of the Invalid error that `fn` throws, or a marker when it throws nothing.
template <typename Fn>
std::string invalid_message(Fn fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e.kind() == ErrorKind::Invalid ? e.what() : std::string("wrong kind: ") + e.what();
  }
  return "no error";
}

std::string set_error(std::string_view name) {
  return invalid_message([&] { check_name_for_set(name); });
}

std::string value_error(std::string_view name, std::string_view value) {
  return invalid_message([&] { normalize_value(name, value); });
}

}  // namespace

TEST_CASE("attributes: the schema holds all 78 entries of confluent's attributes.py", "[schema]") {
  CHECK(attributes().size() == 78);
}

TEST_CASE("attributes: entries are sorted by name without duplicates", "[schema]") {
  const auto& all = attributes();
  for (size_t i = 1; i < all.size(); ++i) {
    INFO(all[i - 1].name << " then " << all[i].name);
    CHECK(all[i - 1].name < all[i].name);
  }
}

TEST_CASE("attributes: every entry has a one-line description", "[schema]") {
  for (const auto& a : attributes()) {
    INFO(a.name);
    CHECK(!a.description.empty());
    CHECK(a.description.find('\n') == std::string_view::npos);
  }
}

TEST_CASE("attributes: types follow the schema", "[schema]") {
  CHECK(find("net.bootable")->type == Type::Bool);
  CHECK(find("id.index")->type == Type::Int);
  CHECK(find("groups")->type == Type::List);
  CHECK(find("location.rack")->type == Type::String);
  auto non_string = std::count_if(attributes().begin(), attributes().end(),
                                  [](const AttributeInfo& a) { return a.type != Type::String; });
  CHECK(non_string == 3);
}

TEST_CASE("attributes: check kinds and valid values follow the schema", "[schema]") {
  using V = std::vector<std::string_view>;
  CHECK(find("console.method")->check == Check::Values);
  CHECK(find("console.method")->valid == V{"ssh", "ipmi", "openbmc", "tsmsol", "vcenter", "proxmox"});
  CHECK(find("deployment.encryptboot")->valid == V{"tpm2", "tpm2:*", "none", ""});
  CHECK(find("deployment.lock")->check == Check::List);
  CHECK(find("deployment.useinsecureprotocols")->check == Check::List);
  CHECK(find("discovery.policy")->valid == V{"manual", "permissive", "pxe", "open", "verified"});
  CHECK(find("discovery.passwordrules")->check == Check::ListKeys);
  CHECK(find("discovery.passwordrules")->valid == V{"expiration", "loginfailures", "complexity", "reuse"});
  CHECK(find("hardwaremanagement.method")->valid.size() == 18);
  CHECK(find("hardwaremanagement.port")->check == Check::None);
  auto values = std::count_if(attributes().begin(), attributes().end(),
                              [](const AttributeInfo& a) { return a.check == Check::Values; });
  CHECK(values == 11);
}

TEST_CASE("find: qualified net and power names are looked up by their leaf", "[schema]") {
  REQUIRE(find("net.compute.ipv4_address") != nullptr);
  CHECK(find("net.compute.ipv4_address")->name == "net.ipv4_address");
  CHECK(find("net.eth.mgt.switch")->name == "net.switch");
  CHECK(find("power.psu1.pdu")->name == "power.pdu");
  CHECK(find("net.x.bogus") == nullptr);
  CHECK(find("location.x.rack") == nullptr);
  CHECK(find("bmc") == nullptr);
  CHECK(find("custom.anything") == nullptr);
}

TEST_CASE("resolve_alias: the BMC and switch shorthands name their schema attributes", "[schema]") {
  CHECK(resolve_alias("bmc") == "hardwaremanagement.manager");
  CHECK(resolve_alias("bmcuser") == "secret.hardwaremanagementuser");
  CHECK(resolve_alias("switchuser") == "secret.hardwaremanagementuser");
  CHECK(resolve_alias("bmcpass") == "secret.hardwaremanagementpassword");
  CHECK(resolve_alias("switchpass") == "secret.hardwaremanagementpassword");
  CHECK(resolve_alias("location.rack") == "location.rack");
  CHECK(resolve_alias("bmc.x") == "bmc.x");
  CHECK(aliases().size() == 5);
}

TEST_CASE("reduce: the interface or power input chain is dropped", "[schema]") {
  CHECK(reduce("net.compute.ipv4_address") == "net.ipv4_address");
  CHECK(reduce("net.eth.mgt.switch") == "net.switch");
  CHECK(reduce("power.psu1.pdu") == "power.pdu");
  CHECK(reduce("net.hwaddr") == "net.hwaddr");
  CHECK(reduce("location.x.rack") == "location.x.rack");
  CHECK(reduce("network.a.b") == "network.a.b");
}

TEST_CASE("is_secret, is_crypted and is_custom: recognised by prefix", "[schema]") {
  CHECK(is_secret("secret.hardwaremanagementpassword"));
  CHECK(is_secret("custom.nodesecret.token"));
  CHECK_FALSE(is_secret("custom.nodesecretish"));
  CHECK_FALSE(is_secret("crypted.rootpassword"));
  CHECK_FALSE(is_secret("bmcpass"));
  CHECK(is_crypted("crypted.rootpassword"));
  CHECK_FALSE(is_crypted("secret.ipmikg"));
  CHECK(is_custom("custom.foo"));
  CHECK_FALSE(is_custom("customer.foo"));
}

TEST_CASE("check_name_for_set: schema names, aliases and qualified names are accepted", "[schema]") {
  CHECK(check_name_for_set("location.rack") == "location.rack");
  CHECK(check_name_for_set("groups") == "groups");
  CHECK(check_name_for_set("bmc") == "hardwaremanagement.manager");
  CHECK(check_name_for_set("bmcpass") == "secret.hardwaremanagementpassword");
  CHECK(check_name_for_set("net.compute.ipv4_address") == "net.compute.ipv4_address");
  CHECK(check_name_for_set("net.eth.mgt.switch") == "net.eth.mgt.switch");
  CHECK(check_name_for_set("power.psu1.outlet") == "power.psu1.outlet");
}

TEST_CASE("check_name_for_set: any syntactically valid custom name is accepted", "[schema]") {
  CHECK(check_name_for_set("custom.foo") == "custom.foo");
  CHECK(check_name_for_set("custom.foo-bar") == "custom.foo-bar");
  CHECK(check_name_for_set("custom.a.b_c.d2") == "custom.a.b_c.d2");
  CHECK(check_name_for_set("custom.nodesecret.token") == "custom.nodesecret.token");
}

TEST_CASE("check_name_for_set: components that are not identifiers are syntax errors", "[schema]") {
  CHECK(set_error("net.0.switch") == "syntax error in attribute name 'net.0.switch'");
  CHECK(set_error("custom.1x") == "syntax error in attribute name 'custom.1x'");
  CHECK(set_error("net.foo-bar.switch") == "syntax error in attribute name 'net.foo-bar.switch'");
  CHECK(set_error("custom.-foo") == "syntax error in attribute name 'custom.-foo'");
  CHECK(set_error("custom.foo-") == "syntax error in attribute name 'custom.foo-'");
  CHECK(set_error("location..rack") == "syntax error in attribute name 'location..rack'");
  CHECK(set_error("location.rack.") == "syntax error in attribute name 'location.rack.'");
  CHECK(set_error("custom.") == "syntax error in attribute name 'custom.'");
  CHECK(set_error("") == "syntax error in attribute name ''");
  CHECK(set_error("location.ra ck") == "syntax error in attribute name 'location.ra ck'");
}

TEST_CASE("check_name_for_set: wildcards are not names", "[schema]") {
  CHECK(set_error("net.*switch") == "syntax error in attribute name 'net.*switch'");
}

TEST_CASE("check_name_for_set: an unknown name suggests the nearest attribute", "[schema]") {
  CHECK(set_error("location.rak") == "unknown attribute 'location.rak', did you mean 'location.rack'");
  CHECK(set_error("bmcpas") == "unknown attribute 'bmcpas', did you mean 'bmcpass'");
  CHECK(set_error("net.eth0.ipv4_adress") ==
        "unknown attribute 'net.eth0.ipv4_adress', did you mean 'net.eth0.ipv4_address'");
  CHECK(set_error("Location.Rack") == "unknown attribute 'Location.Rack', did you mean 'location.rack'");
  CHECK(set_error("location.x.rack") == "unknown attribute 'location.x.rack', did you mean 'location.rack'");
}

TEST_CASE("check_name_for_set: an unknown name with nothing close has no suggestion", "[schema]") {
  CHECK(set_error("frobnicate") == "unknown attribute 'frobnicate'");
  CHECK(set_error("net.x.bogus") == "unknown attribute 'net.x.bogus'");
  CHECK(set_error("net.eth0") == "unknown attribute 'net.eth0'");
}

TEST_CASE("is_known_name_or_pattern: names and families used by filters and clear", "[schema]") {
  CHECK(is_known_name_or_pattern("location.rack"));
  CHECK(is_known_name_or_pattern("bmc"));
  CHECK(is_known_name_or_pattern("custom.whatever"));
  CHECK(is_known_name_or_pattern("net.x.bogus"));
  CHECK(is_known_name_or_pattern("power.psu1.anything"));
  CHECK_FALSE(is_known_name_or_pattern("location.rak"));
  CHECK_FALSE(is_known_name_or_pattern("net."));
  CHECK_FALSE(is_known_name_or_pattern("groupz"));
}

TEST_CASE("is_known_name_or_pattern: a wildcard must match some schema attribute", "[schema]") {
  CHECK(is_known_name_or_pattern("net.*switch"));
  CHECK(is_known_name_or_pattern("hardwaremanagement.*"));
  CHECK(is_known_name_or_pattern("*.rack"));
  CHECK(is_known_name_or_pattern("location.r??"));
  CHECK(is_known_name_or_pattern("*"));
  CHECK_FALSE(is_known_name_or_pattern("nosuch.*"));
  CHECK_FALSE(is_known_name_or_pattern("location.x?"));
}

TEST_CASE("normalize_value: bools become True or False", "[schema]") {
  for (auto yes : {"true", "TRUE", "1", "y", "Yes", "enable", "Enabled"}) {
    INFO(yes);
    CHECK(normalize_value("net.bootable", yes) == "True");
  }
  for (auto no : {"false", "0", "no", "off", "", "truthy"}) {
    INFO(no);
    CHECK(normalize_value("net.bootable", no) == "False");
  }
  CHECK(normalize_value("net.pxe.bootable", "yes") == "True");
}

TEST_CASE("normalize_value: groups and unchecked strings pass through unchanged", "[schema]") {
  CHECK(normalize_value("groups", "a,b,c") == "a,b,c");
  CHECK(normalize_value("location.rack", "R 12") == "R 12");
  CHECK(normalize_value("custom.x", "anything=at,all") == "anything=at,all");
  CHECK(normalize_value("hardwaremanagement.port", "whatever") == "whatever");
}

TEST_CASE("normalize_value: valid values are enforced with the full list in the error", "[schema]") {
  CHECK(normalize_value("console.method", "ipmi") == "ipmi");
  CHECK(normalize_value("console.method", "") == "");
  CHECK(value_error("console.method", "foo") ==
        "attribute 'console.method' does not accept value 'foo' "
        "(valid values would be ssh, ipmi, openbmc, tsmsol, vcenter, proxmox)");
  CHECK(value_error("console.method", "IPMI").find("does not accept value 'IPMI'") != std::string::npos);
  CHECK(value_error("type", "blade") ==
        "attribute 'type' does not accept value 'blade' "
        "(valid values would be switch, server, rackmount, dense, enclosure)");
}

TEST_CASE("normalize_value: a glob entry among the valid values admits matching values", "[schema]") {
  CHECK(normalize_value("deployment.encryptboot", "tpm2") == "tpm2");
  CHECK(normalize_value("deployment.encryptboot", "tpm2:pcr7") == "tpm2:pcr7");
  CHECK(normalize_value("deployment.encryptboot", "none") == "none");
  CHECK(value_error("deployment.encryptboot", "luks") ==
        "attribute 'deployment.encryptboot' does not accept value 'luks' "
        "(valid values would be tpm2, tpm2:*, none)");
}

TEST_CASE("normalize_value: qualified net names are checked like their leaf", "[schema]") {
  CHECK(normalize_value("net.compute.ipv4_method", "dhcp") == "dhcp");
  CHECK(value_error("net.compute.ipv4_method", "auto") ==
        "attribute 'net.compute.ipv4_method' does not accept value 'auto' "
        "(valid values would be dhcp, static, firmwaredhcp, firmwarenone, none)");
  CHECK(value_error("net.a.b.team_mode", "bond").find("does not accept value 'bond'") != std::string::npos);
}

TEST_CASE("normalize_value: list attributes check every comma-separated member", "[schema]") {
  CHECK(normalize_value("discovery.policy", "manual") == "manual");
  CHECK(normalize_value("discovery.policy", "permissive,pxe") == "permissive,pxe");
  CHECK(normalize_value("deployment.useinsecureprotocols", "firmware") == "firmware");
  CHECK(value_error("discovery.policy", "open,x") ==
        "attribute 'discovery.policy' does not accept value 'x' "
        "(valid values would be manual, permissive, pxe, open, verified)");
  CHECK(value_error("deployment.lock", "autolock,") ==
        "attribute 'deployment.lock' does not accept value '' "
        "(valid values would be autolock, locked, unlocked)");
}

TEST_CASE("normalize_value: list-key attributes check every key and require a value", "[schema]") {
  CHECK(normalize_value("discovery.passwordrules", "expiration=no,reuse=no") == "expiration=no,reuse=no");
  CHECK(normalize_value("discovery.passwordrules", "") == "");
  CHECK(value_error("discovery.passwordrules", "expiration=no,foo=1") ==
        "attribute 'discovery.passwordrules' does not accept key 'foo' "
        "(valid keys would be expiration, loginfailures, complexity, reuse)");
  CHECK(value_error("discovery.passwordrules", "expiration") ==
        "key 'expiration' of attribute 'discovery.passwordrules' requires a value");
}

TEST_CASE("normalize_value: id.index takes only non-negative integers", "[schema]") {
  CHECK(normalize_value("id.index", "42") == "42");
  CHECK(normalize_value("id.index", "007") == "7");
  CHECK(normalize_value("id.index", "") == "");
  CHECK(value_error("id.index", "-1") ==
        "attribute 'id.index' does not accept value '-1' (a non-negative integer is required)");
  CHECK(value_error("id.index", "4x").find("does not accept value '4x'") != std::string::npos);
  CHECK(value_error("id.index", "99999999999999999999999").find("non-negative integer") != std::string::npos);
}

TEST_CASE("normalize_value: aliases are checked as the attribute they name", "[schema]") {
  CHECK(normalize_value("bmc", "10.0.0.1/24") == "10.0.0.1/24");
}
