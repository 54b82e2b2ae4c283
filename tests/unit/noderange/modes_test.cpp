// Pure mode (no store, nodedefine) and lenient mode (noderange -e).
#include <catch2/catch.hpp>

#include "base/error.h"
#include "fixture_resolver.h"

using namespace confluent::noderange;
using namespace confluent::noderange::testing;

namespace {

NodeList lenient(std::string_view text) {
  FixtureResolver resolver;
  return expand(text, resolver, Mode::Lenient);
}

}  // namespace

TEST_CASE("pure: the spec's table holds, with domains kept in ranges", "[noderange][pure]") {
  CHECK(expand_pure("n[1-3]") == names("n1 n2 n3"));
  CHECK(expand_pure("r1u1-r2u2") == names("r1u1 r1u2 r2u1 r2u2"));
  CHECK(expand_pure("n01:n03") == names("n01 n02 n03"));
  CHECK(expand_pure("n[08-10]") == names("n08 n09 n10"));
  CHECK(expand_pure("x[1-2]y[1-2]") == names("x1y1 x1y2 x2y1 x2y2"));
  CHECK(expand_pure("n[1-3].lab.example") == names("n1.lab.example n2.lab.example n3.lab.example"));
  CHECK(expand_pure("n1.lab:n3.lab") == names("n1.lab n2.lab n3.lab"));  // upstream: n1,n2,n3
  CHECK(expand_pure("foo") == names("foo"));
  CHECK(expand_pure("n5-n1") == names("n5-n1"));
  CHECK(pure_error("~n1") == "regular expressions and attribute filters need the attribute store");
}

TEST_CASE("pure: unknown names and text that is no valid range come back literally", "[noderange][pure]") {
  CHECK(expand_pure("a-b") == names("a-b"));
  CHECK(expand_pure("node-a") == names("node-a"));
  CHECK(expand_pure("n1-rack1") == names("n1-rack1"));
  CHECK(expand_pure("rack1,compute") == names("compute rack1"));
  CHECK(expand_pure("n01-n1") == names("n01-n1"));
}

TEST_CASE("pure: attribute filters need the store", "[noderange][pure]") {
  CHECK(pure_error("location.rack=1") == "regular expressions and attribute filters need the attribute store");
  CHECK(pure_error("n1,/n") == "regular expressions and attribute filters need the attribute store");
}

TEST_CASE("pure: set operations and pagination work without a store", "[noderange][pure]") {
  CHECK(expand_pure("n[1-5],-n3") == names("n1 n2 n4 n5"));
  CHECK(expand_pure("n[1-5]@n[4-9]") == names("n4 n5"));
  CHECK(expand_pure("n[1-10]>2") == names("n1 n2"));
  CHECK(expand_pure("(a,b)@b") == names("b"));
}

TEST_CASE("pure: pagination over all nodes needs the store", "[noderange][pure]") {
  CHECK(pure_error(">3") == "pagination over all nodes needs the attribute store");
}

TEST_CASE("pure: an empty noderange is an empty list", "[noderange][pure]") {
  CHECK(expand_pure("").empty());
  CHECK(expand_pure("   ").empty());
  CHECK(expand_pure("()").empty());
}

TEST_CASE("lenient: unknown names come back literally, known ones expand", "[noderange][lenient]") {
  CHECK(lenient("n1,foo") == names("foo n1"));
  CHECK(lenient("rack1,n99") == all_of({seq("n", 1, 10), names("n99")}));
  CHECK(lenient("d[1-2]") == names("d1 d2"));
}

TEST_CASE("lenient: range members that are neither node nor group stay literal", "[noderange][lenient]") {
  CHECK(lenient("n19-n22") == names("n19 n20 n21 n22"));
  CHECK(lenient("rack1-rack3") == all_of({seq("n", 1, 20), names("rack3")}));
  CHECK(lenient("rack[2-3]") == all_of({seq("n", 11, 20), names("rack3")}));
}

TEST_CASE("lenient: text that is no valid range is a literal name", "[noderange][lenient]") {
  CHECK(lenient("n5-n1") == names("n5-n1"));
  CHECK(lenient("compute-rack1") == names("compute-rack1"));
}

TEST_CASE("lenient: filters and regular expressions still use the store", "[noderange][lenient]") {
  CHECK(lenient("location.rack=3,x1") == all_of({seq("d", 1, 10, 2), names("x1")}));
  CHECK(lenient("~^r2") == names("r2u1 r2u2 r2u3"));
}
