// The worked examples of spec §1.14, against the fixture they were run on upstream.
// #45 and #52 differ on purpose (pagination after '@', ranges over names with a domain).
#include <catch2/catch.hpp>

#include "base/error.h"
#include "fixture_resolver.h"

using namespace confluent::noderange;
using namespace confluent::noderange::testing;

namespace {

// Every failure is a NotFound error whose message is exactly `message`.
void check_error(std::string_view text, const std::string& message) {
  FixtureResolver resolver;
  try {
    expand(text, resolver);
    FAIL("no error for '" << text << "'");
  } catch (const confluent::Error& e) {
    CHECK(e.kind() == confluent::ErrorKind::NotFound);
    CHECK(std::string(e.what()) == message);
  }
}

const NodeList rack1 = seq("n", 1, 10);
const NodeList rack2 = seq("n", 11, 20);
const NodeList compute = seq("n", 1, 20);
const NodeList dense = seq("d", 1, 10, 2);
const NodeList r_nodes = names("r1u1 r1u2 r1u3 r2u1 r2u2 r2u3");
const NodeList others = names("node-a sw1.example.com sw2.example.com");

}  // namespace

TEST_CASE("examples: single names and lists expand to themselves (#1, #2)", "[noderange][examples]") {
  CHECK(ex("n1") == names("n1"));
  CHECK(ex("n1,n3") == names("n1 n3"));
}

TEST_CASE("examples: ranges may be written with -, : or .. (#3-#5)", "[noderange][examples]") {
  CHECK(ex("n1-n5") == seq("n", 1, 5));
  CHECK(ex("n1:n5") == seq("n", 1, 5));
  CHECK(ex("n1..n5") == seq("n", 1, 5));
}

TEST_CASE("examples: brackets take ranges, lists, steps, differences and intersections (#6-#12)",
          "[noderange][examples]") {
  CHECK(ex("n[1-5]") == seq("n", 1, 5));
  CHECK(ex("n[1:5]") == seq("n", 1, 5));
  CHECK(ex("n[1..5]") == seq("n", 1, 5));
  CHECK(ex("n[1,3,5]") == names("n1 n3 n5"));
  CHECK(ex("n[1-10:3]") == names("n1 n4 n7 n10"));
  CHECK(ex("n[1:10:3]") == names("n1 n4 n7 n10"));
  CHECK(ex("n[1-3,7]") == names("n1 n2 n3 n7"));
  CHECK(ex("n[1-6,-4]") == names("n1 n2 n3 n5 n6"));
  CHECK(ex("n[1-10,-(3-5)]") == names("n1 n2 n6 n7 n8 n9 n10"));
  CHECK(ex("n[1-5@3-7]") == names("n3 n4 n5"));
}

TEST_CASE("examples: the + form counts on from its start (#13, #14)", "[noderange][examples]") {
  CHECK(ex("n1+3") == seq("n", 1, 4));
  CHECK(ex("n[1+2]") == seq("n", 1, 3));
}

TEST_CASE("examples: zero padding must match the node names (#15-#17)", "[noderange][examples]") {
  CHECK(ex("d[01-03]") == names("d01 d02 d03"));
  CHECK(ex("d01-d03") == names("d01 d02 d03"));
  CHECK(ex("d01:d03") == names("d01 d02 d03"));
  check_error("d[1-3]", "'d1' is not a recognized node, group, or alias");
  check_error("d1-d3", "unknown node 'd1' in range 'd1-d3'");
}

TEST_CASE("examples: several number positions give the Cartesian product (#18-#21)", "[noderange][examples]") {
  CHECK(ex("r[1-2]u[1-3]") == r_nodes);
  CHECK(ex("r1u1-r2u3") == r_nodes);
  CHECK(ex("r1u1:r2u3") == r_nodes);
  CHECK(ex("r[1-2]u[2,3]") == names("r1u2 r1u3 r2u2 r2u3"));
  CHECK(ex("r1u[1-3]") == names("r1u1 r1u2 r1u3"));
  CHECK(ex("r1u1-r1u3") == names("r1u1 r1u2 r1u3"));
}

TEST_CASE("examples: groups expand, alone, ranged or combined (#22-#26)", "[noderange][examples]") {
  CHECK(ex("rack1") == rack1);
  CHECK(ex("rack[1-2]") == compute);
  CHECK(ex("rack1-rack2") == compute);
  CHECK(ex("rack1,rack2") == compute);
  CHECK(ex("compute,-rack1") == rack2);
  CHECK(ex("compute,-n1,-n2") == seq("n", 3, 20));
  CHECK(ex("rack1@n[5-15]") == seq("n", 5, 10));
}

TEST_CASE("examples: attribute filters compare stored values, unset as '' (#27-#33)", "[noderange][examples]") {
  CHECK(ex("compute@location.rack=2") == rack2);
  CHECK(ex("location.rack=3") == dense);
  CHECK(ex("location.rack==3") == dense);
  NodeList not_rack1 = all_of({dense, rack2, others, names("r2u1 r2u2 r2u3")});
  CHECK(ex("location.rack!=1") == not_rack1);
  CHECK(ex("location.rack=~^[12]$") == all_of({compute, r_nodes}));
  CHECK(ex("location.rack!~1") == not_rack1);
  CHECK(ex("net.*switch=sw1") == seq("d", 1, 5, 2));
  CHECK(ex("console.method=ipmi@rack2") == names("n11 n13 n15 n17 n19"));
}

TEST_CASE("examples: regular expressions search node names unanchored (#34-#37)", "[noderange][examples]") {
  CHECK(ex("~^n1") == all_of({names("n1"), seq("n", 10, 19)}));
  CHECK(ex("~n1.") == seq("n", 10, 19));
  CHECK(ex("/d0[1-3]") == names("d01 d02 d03"));
  CHECK(ex("~r.u2") == names("r1u2 r2u2"));
}

TEST_CASE("examples: parentheses group sub-expressions (#38, #39)", "[noderange][examples]") {
  CHECK(ex("compute,-(console.method=ipmi@rack1)") == all_of({names("n2 n4 n6 n8 n10"), rack2}));
  CHECK(ex("(rack1,rack2)@(location.rack=1)") == rack1);
}

TEST_CASE("examples: pagination skips first and limits second (#40-#44)", "[noderange][examples]") {
  CHECK(ex("rack1>3") == names("n1 n2 n3"));
  CHECK(ex("rack1<7") == names("n8 n9 n10"));
  CHECK(ex("rack1>3<6") == names("n7 n8 n9"));
  CHECK(ex("rack1<6>3") == names("n7 n8 n9"));
  CHECK(ex(">3") == names("d01 d02 d03"));
  CHECK(ex("compute>2,n1") == names("n1 n2"));
}

TEST_CASE("examples: pagination after '@' applies to the result (#45, fixed)", "[noderange][examples]") {
  // Upstream intersects with an empty set here and returns nothing.
  CHECK(ex("n[1-3]@rack1>2") == names("n1 n2"));
  CHECK(ex("n1@everything>1") == names("n1"));
}

TEST_CASE("examples: dynamic groups evaluate their noderange (#46, #47)", "[noderange][examples]") {
  CHECK(ex("odd") == names("n1 n3 n5 n7 n9 n11 n13 n15 n17 n19"));
  CHECK(ex("odd@rack1") == names("n1 n3 n5 n7 n9"));
}

TEST_CASE("examples: operators apply left to right without precedence (#48, #49)", "[noderange][examples]") {
  CHECK(ex("n1,n2@n2") == names("n2"));
  CHECK(ex("n2@n1,n2") == names("n2"));
  CHECK(ex("n1,-n1,n1") == names("n1"));
}

TEST_CASE("examples: an exact name wins over range parsing (#50)", "[noderange][examples]") {
  CHECK(ex("node-a") == names("node-a"));
}

TEST_CASE("examples: names with a domain expand in brackets and in ranges (#51, #52 fixed)", "[noderange][examples]") {
  NodeList switches = names("sw1.example.com sw2.example.com");
  CHECK(ex("sw[1-2].example.com") == switches);
  // Upstream drops the domain here and fails with 'Unknown node sw1'.
  CHECK(ex("sw1.example.com:sw2.example.com") == switches);
  CHECK(ex("sw1.example.com-sw2.example.com") == switches);
  CHECK(ex("sw1.example.com+1") == switches);
}

TEST_CASE("examples: unknown names and missing range members are errors (#53, #54, #56)", "[noderange][examples]") {
  check_error("n99", "'n99' is not a recognized node, group, or alias");
  check_error("foo", "'foo' is not a recognized node, group, or alias");
  // The first missing member in natural order is the one reported.
  check_error("n1-n25", "unknown node 'n21' in range 'n1-n25'");
  check_error("n08:n10", "unknown node 'n08' in range 'n08:n10'");
}

TEST_CASE("examples: malformed ranges are not valid (#55, #58)", "[noderange][examples]") {
  check_error("n5-n1", "'n5-n1' is not a valid range");
  check_error("n1-rack1", "'n1-rack1' is not a valid range");
}

TEST_CASE("examples: padding follows the left bound (#57)", "[noderange][examples]") {
  CHECK(ex("n8:n10") == names("n8 n9 n10"));
}

TEST_CASE("examples: characters outside the grammar are a syntax error (#59)", "[noderange][examples]") {
  check_error("n1|n2", "invalid syntax in noderange 'n1|n2' at '|'");
  check_error("~^(n1|n2)$", "invalid syntax in noderange '~^(n1|n2)$' at '('");
}

TEST_CASE("examples: filters on secret or unknown attributes are refused (#60, #61)", "[noderange][examples]") {
  check_error("secret.hardwaremanagementpassword=foo", "filter by secret attributes is not supported");
  check_error("custom.nodesecret.x=1", "filter by secret attributes is not supported");
  check_error("bogus.attr=1", "'bogus.attr' is not a valid attribute name");
}

TEST_CASE("examples: an unset custom attribute equals '' on every node (#62)", "[noderange][examples]") {
  FixtureResolver resolver;
  CHECK(ex("custom.foo=") == resolver.all_nodes());
}

TEST_CASE("examples: a trailing operator is ignored (#63)", "[noderange][examples]") {
  CHECK(ex("n1@") == names("n1"));
  CHECK(ex("n1,") == names("n1"));
  CHECK(ex("n1,-") == names("n1"));
}

TEST_CASE("examples: everything minus groups leaves the other nodes (#64)", "[noderange][examples]") {
  CHECK(ex("everything,-compute,-dense") == all_of({others, r_nodes}));
}
