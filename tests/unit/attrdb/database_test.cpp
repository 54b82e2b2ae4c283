#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>

#include "attrdb/database.h"
#include "base/error.h"

using namespace confluent;
using namespace confluent::attrdb;

namespace {

// Each test gets its own state root with a real SQLite store.
struct TempRoot {
  std::filesystem::path dir;
  TempRoot() {
    char tmpl[] = "/tmp/confluent-unit.XXXXXX";
    dir = mkdtemp(tmpl);
    setenv("CONFLUENT_ROOT", dir.c_str(), 1);
  }
  ~TempRoot() { std::filesystem::remove_all(dir); }
};

void define(const std::vector<std::string>& nodes, const std::vector<std::string>& groups = {}) {
  auto db = Database::open(Access::Write);
  for (const auto& g : groups) db->create_group(g);
  for (const auto& n : nodes) db->create_node(n);
  db->commit();
}

void set(const std::string& node, const std::string& assignment) {
  auto db = Database::open(Access::Write);
  db->set_node_attribute(node, parse_assignment(assignment));
  db->commit();
}

}  // namespace

TEST_CASE("database: a read of a missing store sees an empty cluster and creates nothing", "[attrdb]") {
  TempRoot root;
  auto db = Database::open(Access::Read);
  CHECK(db->all_nodes().empty());
  CHECK(db->group_names() == std::vector<std::string>{"everything"});
  CHECK_FALSE(std::filesystem::exists(Database::store_file()));
}

TEST_CASE("database: changes without commit are rolled back", "[attrdb]") {
  TempRoot root;
  {
    auto db = Database::open(Access::Write);
    db->create_node("n1");
  }
  CHECK(Database::open(Access::Read)->all_nodes().empty());
}

TEST_CASE("database: node value beats groups and the first group wins", "[attrdb]") {
  TempRoot root;
  define({"n1"}, {"a", "b"});
  set("n1", "groups=a,b");
  {
    auto db = Database::open(Access::Write);
    db->set_group_attribute("a", parse_assignment("location.rack=1"));
    db->set_group_attribute("b", parse_assignment("location.rack=2"));
    db->set_group_attribute("everything", parse_assignment("location.room=main"));
    db->commit();
  }
  auto db = Database::open(Access::Read);
  auto v = db->resolve("n1", "location.rack");
  CHECK(v.value == "1");
  CHECK(v.inherited_from == "a");
  CHECK(db->resolve("n1", "location.room").inherited_from == "everything");
  db.reset();
  set("n1", "location.rack=9");
  db = Database::open(Access::Read);
  CHECK(db->resolve("n1", "location.rack").value == "9");
  CHECK(db->resolve("n1", "location.rack").inherited_from.empty());
}

TEST_CASE("database: group expressions evaluate in each node's context", "[attrdb]") {
  TempRoot root;
  define({"n1", "n2"}, {"compute"});
  set("n1", "groups=compute");
  set("n2", "groups=compute");
  {
    auto db = Database::open(Access::Write);
    db->set_group_attribute("compute", parse_assignment("bmc={node}-xcc"));
    db->commit();
  }
  auto db = Database::open(Access::Read);
  CHECK(db->resolve("n1", "hardwaremanagement.manager").value == "n1-xcc");
  CHECK(db->resolve("n2", "hardwaremanagement.manager").value == "n2-xcc");
  CHECK(db->resolve("n2", "hardwaremanagement.manager").expression == "{node}-xcc");
}

TEST_CASE("database: an expression referring to itself is broken, not a crash", "[attrdb]") {
  TempRoot root;
  define({"n1"});
  set("n1", "custom.a={custom.b}");
  set("n1", "custom.b={custom.a}");
  auto db = Database::open(Access::Read);
  auto v = db->resolve("n1", "custom.a");
  CHECK(v.value.empty());
  CHECK(v.error.find("circular") != std::string::npos);
}

TEST_CASE("database: secrets are sealed, masked, and can be revealed", "[attrdb]") {
  TempRoot root;
  define({"n1"});
  set("n1", "bmcpass=s3cret");
  auto db = Database::open(Access::Read);
  auto v = db->resolve("n1", "secret.hardwaremanagementpassword");
  CHECK(v.value == "********");
  CHECK(v.is_protected);
  CHECK(db->reveal("n1", "secret.hardwaremanagementpassword") == "s3cret");
}

TEST_CASE("database: freed indexes are recycled only after more than 128 pile up", "[attrdb]") {
  TempRoot root;
  std::vector<std::string> names;
  for (int i = 1; i <= 140; ++i) names.push_back("n" + std::to_string(i));
  define(names);
  {
    auto db = Database::open(Access::Write);
    for (int i = 1; i <= 129; ++i) db->remove_node("n" + std::to_string(i));
    db->create_node("fresh");
    db->commit();
  }
  auto db = Database::open(Access::Read);
  CHECK(db->resolve("fresh", "id.index").value == "1");
}

TEST_CASE("database: node and group names cannot collide", "[attrdb]") {
  TempRoot root;
  define({"n1"}, {"g1"});
  auto db = Database::open(Access::Write);
  CHECK_THROWS_AS(db->create_group("n1"), Error);
  CHECK_THROWS_AS(db->create_node("g1"), Error);
}

TEST_CASE("database: assignments parse set, prepend and remove", "[attrdb]") {
  CHECK(parse_assignment("groups,=a").op == Assignment::Op::Prepend);
  CHECK(parse_assignment("groups-=a").op == Assignment::Op::Remove);
  CHECK(parse_assignment("groups^=a").op == Assignment::Op::Remove);
  auto a = parse_assignment("custom.x=a=b");
  CHECK(a.name == "custom.x");
  CHECK(a.value == "a=b");
  CHECK_THROWS_AS(parse_assignment("novalue"), Error);
}
