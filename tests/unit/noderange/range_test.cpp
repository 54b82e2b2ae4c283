// Ranges (a-b, a:b, a..b, a+n), bracket contents, groups, and the size guard.
#include <catch2/catch.hpp>

#include "base/error.h"
#include "fixture_resolver.h"

using namespace confluent::noderange;
using namespace confluent::noderange::testing;

TEST_CASE("expand: zero padding follows the left bound", "[noderange][range]") {
  CHECK(expand_pure("n[01-05]") == seq("n", 1, 5, 2));
  CHECK(expand_pure("n[1-05]") == seq("n", 1, 5));
  CHECK(expand_pure("n[001-3]") == names("n001 n002 n003"));
  CHECK(expand_pure("n[08-10]") == names("n08 n09 n10"));
  CHECK(expand_pure("n[98-101]") == names("n98 n99 n100 n101"));
  CHECK(expand_pure("n098-n101") == names("n098 n099 n100 n101"));
  CHECK(expand_pure("n[1-010]") == seq("n", 1, 10));
}

TEST_CASE("expand: bracket steps and counts", "[noderange][range]") {
  CHECK(expand_pure("n[1..10:3]") == names("n1 n4 n7 n10"));
  CHECK(expand_pure("n[1-9:4]") == names("n1 n5 n9"));
  CHECK(expand_pure("n[1-2:5]") == names("n1"));
  CHECK(expand_pure("n[08+2]") == names("n08 n09 n10"));
  CHECK(expand_pure("n[1+0]") == names("n1"));
}

TEST_CASE("expand: brackets take verbatim words and set operations", "[noderange][range]") {
  CHECK(expand_pure("sw[a,b]") == names("swa swb"));
  CHECK(expand_pure("n[1,01]") == names("n01 n1"));
  CHECK(expand_pure("n[(1-3),-2]") == names("n1 n3"));
  CHECK(expand_pure("n[1-10>3]") == names("n1 n2 n3"));
  CHECK(expand_pure("n[1-10<8]") == names("n9 n10"));
  CHECK(expand_pure("[1-3]x") == names("1x 2x 3x"));
}

TEST_CASE("expand: several brackets give the product in natural order", "[noderange][range]") {
  CHECK(expand_pure("n[1-2][0-1]") == names("n10 n11 n20 n21"));
  CHECK(expand_pure("n[9-10]5") == names("n95 n105"));
  // Padding only breaks ties once the whole name compares equal as numbers.
  CHECK(expand_pure("r[1,01]u[1-2]") == names("r01u1 r1u1 r01u2 r1u2"));
  CHECK(expand_pure("a[1-3]b[1-2]c[5]") == names("a1b1c5 a1b2c5 a2b1c5 a2b2c5 a3b1c5 a3b2c5"));
}

TEST_CASE("expand: malformed bracket sequences are refused", "[noderange][range]") {
  CHECK(pure_error("n[1-2-3-4]") == "invalid numeric sequence '1-2-3-4'");
  CHECK(pure_error("n[1:2:3:4]") == "invalid numeric sequence '1:2:3:4'");
  CHECK(pure_error("n[1-10:0]") == "invalid numeric sequence '1-10:0'");
  CHECK(pure_error("n[a-c]") == "invalid numeric sequence 'a-c'");
  CHECK(pure_error("n[1+2+3]") == "invalid numeric sequence '1+2+3'");
  CHECK(pure_error("n[-1]") == "invalid numeric sequence '-1'");
  CHECK(pure_error("n[1-99999999999999999999]") == "invalid numeric sequence '1-99999999999999999999'");
}

TEST_CASE("expand: a descending bracket range is not valid in any mode", "[noderange][range]") {
  CHECK(pure_error("n[5-1]") == "'5-1' is not a valid range");
  CHECK(pure_error("n[01-1]") == "'01-1' is not a valid range");
  CHECK(error_of("n[5-1]") == "'5-1' is not a valid range");
}

TEST_CASE("expand: ranges keep a domain or suffix after the number", "[noderange][range]") {
  CHECK(expand_pure("n1.lab:n3.lab") == names("n1.lab n2.lab n3.lab"));
  CHECK(expand_pure("n1_a-n3_a") == names("n1_a n2_a n3_a"));
  CHECK(expand_pure("n1.lab+2") == names("n1.lab n2.lab n3.lab"));
  CHECK(expand_pure("n1.lab2..n1.lab4") == names("n1.lab2 n1.lab3 n1.lab4"));
  CHECK(expand_pure("n1.lab2+1") == names("n1.lab2 n1.lab3"));  // the last number counts on
}

TEST_CASE("expand: range bounds must share their text", "[noderange][range]") {
  CHECK(expand_pure("n1.lab:n3.dev") == names("n1.lab:n3.dev"));
  CHECK(expand_pure("n1-m3") == names("n1-m3"));
  CHECK(expand_pure("n1x-n3") == names("n1x-n3"));
  CHECK(expand_pure("-n3") == names("-n3"));
  CHECK(expand_pure("n1-") == names("n1-"));
  CHECK(error_of("n1.lab:n3.dev") == "'n1.lab:n3.dev' is not a valid range");
}

TEST_CASE("expand: a range delimiter inside names splits at the middle", "[noderange][range]") {
  CHECK(expand_pure("rack-1:rack-3") == names("rack-1 rack-2 rack-3"));
  CHECK(expand_pure("rack-1-rack-3") == names("rack-1 rack-2 rack-3"));
  CHECK(expand_pure("a-1-b") == names("a-1-b"));  // three pieces have no middle
}

TEST_CASE("expand: equal bounds give one name, padding must agree", "[noderange][range]") {
  CHECK(expand_pure("n1-n1") == names("n1"));
  CHECK(expand_pure("a-a") == names("a-a"));  // no number: a name, not a range
  CHECK(expand_pure("......") == names("......"));
  CHECK(expand_pure("n01-n1") == names("n01-n1"));
  CHECK(error_of("n01-n1") == "'n01-n1' is not a valid range");
}

TEST_CASE("expand: the + form needs a number to count from", "[noderange][range]") {
  CHECK(expand_pure("n+3") == names("n+3"));
  CHECK(expand_pure("n1+x") == names("n1+x"));
  CHECK(expand_pure("n1+2+3") == names("n1+2+3"));
  CHECK(expand_pure("n08+2") == names("n08 n09 n10"));
  CHECK(error_of("n1+x") == "'n1+x' is not a valid range");
  CHECK(error_of("n19+3") == "unknown node 'n21' in range 'n19+3'");
}

TEST_CASE("expand: ':' is tried before '..', '-' and '+'", "[noderange][range]") {
  CHECK(expand_pure("a-1:a-2") == names("a-1 a-2"));
  CHECK(expand_pure("a+1..a+2") == names("a+1 a+2"));
  CHECK(expand_pure("x1-y..x3-y") == names("x1-y x2-y x3-y"));
}

TEST_CASE("expand: a strict range asks the store once per generated name", "[noderange][range]") {
  FixtureResolver resolver;
  CHECK(expand("n1-n20", resolver) == seq("n", 1, 20));
  CHECK(resolver.node_lookups == 21);  // the whole text first, in case a node is called that
  CHECK(resolver.group_lookups == 1);
  FixtureResolver bracket;
  CHECK(expand("n[1-20]", bracket) == seq("n", 1, 20));
  CHECK(bracket.node_lookups == 20);
  CHECK(bracket.group_lookups == 0);
}

TEST_CASE("expand: group ranges mix groups and nodes", "[noderange][range]") {
  CHECK(ex("rack1:rack2,-compute").empty());
  CHECK(ex("odd,rack2") == all_of({names("n1 n3 n5 n7 n9"), seq("n", 11, 20)}));
  CHECK(error_of("rack1-rack3") == "unknown node 'rack3' in range 'rack1-rack3'");
}

TEST_CASE("expand: a group that refers to itself is an error", "[noderange][range]") {
  FixtureResolver resolver;
  resolver.add_group("loop", {}, "loop,n1");
  resolver.add_group("ping", {}, "pong");
  resolver.add_group("pong", {}, "n2,ping");
  resolver.add_group("twice", {}, "odd,odd@rack1");
  CHECK_THROWS_WITH(expand("loop", resolver), "group 'loop' refers to itself");
  CHECK_THROWS_WITH(expand("n5,ping", resolver), "group 'ping' refers to itself");
  CHECK(expand("twice", resolver) == names("n1 n3 n5 n7 n9"));  // used twice is no cycle
}

TEST_CASE("expand: a group may have static members and a noderange", "[noderange][range]") {
  FixtureResolver resolver;
  resolver.add_group("mixed", names("n2 n4"), "n[1-3]");
  CHECK(expand("mixed", resolver) == names("n1 n2 n3 n4"));
}

TEST_CASE("expand: an error in a group's noderange names that noderange", "[noderange][range]") {
  FixtureResolver resolver;
  resolver.add_group("broken", {}, "n1|n2");
  CHECK_THROWS_WITH(expand("broken", resolver), "invalid syntax in noderange 'n1|n2' at '|'");
}

TEST_CASE("expand: expansions beyond the cap are refused before they are built", "[noderange][range]") {
  CHECK(pure_error("n[1-99999999]") == "noderange 'n[1-99999999]' expands to more than 10000000 names");
  CHECK(pure_error("n1-n99999999") == "noderange 'n1-n99999999' expands to more than 10000000 names");
  CHECK(pure_error("n[1-5000][1-5000]") == "noderange 'n[1-5000][1-5000]' expands to more than 10000000 names");
  CHECK(pure_error("n0-n18446744073709551615") ==
        "noderange 'n0-n18446744073709551615' expands to more than 10000000 names");
  CHECK(pure_error("r1u1-r99999u99999") == "noderange 'r1u1-r99999u99999' expands to more than 10000000 names");
}

TEST_CASE("expand: the cap also holds for a whole list", "[noderange][range]") {
  CHECK(pure_error("n[1-60],m[1-60]", 100) == "noderange 'n[1-60],m[1-60]' expands to more than 100 names");
  CHECK(pure_error("n[1-101]", 100) == "noderange 'n[1-101]' expands to more than 100 names");
  CHECK(pure_error("n[1-60,101-160]", 100) == "noderange 'n[1-60,101-160]' expands to more than 100 names");
  CHECK(expand_pure("n[1-100]", 100).size() == 100);
}

TEST_CASE("expand: a million names come out whole and in order", "[noderange][range]") {
  NodeList all = expand_pure("n[1-1000000]");
  REQUIRE(all.size() == 1000000);
  CHECK(all.front() == "n1");
  CHECK(all[9] == "n10");
  CHECK(all.back() == "n1000000");
  CHECK(expand_pure("n1-n1000000") == all);
}
