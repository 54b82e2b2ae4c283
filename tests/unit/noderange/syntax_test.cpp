// Tokens, operators, parentheses, pagination and attribute filter syntax.
#include <catch2/catch.hpp>

#include "base/error.h"
#include "fixture_resolver.h"

using namespace confluent::noderange;
using namespace confluent::noderange::testing;

namespace {

// Remembers the filter it was asked for and matches nothing.
class RecordingResolver : public FixtureResolver {
 public:
  NodeList filter(const Filter& f, const NodeList&) override {
    seen = f;
    return {};
  }
  Filter seen{};
};

Filter filter_of(std::string_view text) {
  RecordingResolver resolver;
  expand(text, resolver);
  return resolver.seen;
}

}  // namespace

TEST_CASE("syntax: whitespace between tokens is ignored and glues words together", "[noderange][syntax]") {
  CHECK(ex(" n1 , n2 ") == names("n1 n2"));
  CHECK(ex("n 1") == names("n1"));
  CHECK(ex("r[1-2] u1") == names("r1u1 r2u1"));
  CHECK(ex("( rack1 ) @ n[ 5 - 6 ]") == names("n5 n6"));
}

TEST_CASE("syntax: duplicate commas are harmless and the last operator wins", "[noderange][syntax]") {
  CHECK(ex("n1,,n2") == names("n1 n2"));
  CHECK(ex("n1,n2,@n2") == names("n2"));
}

TEST_CASE("syntax: a leading operator is a syntax error", "[noderange][syntax]") {
  CHECK(error_of(",n1") == "invalid syntax in noderange ',n1' at ','");
  CHECK(error_of("@n1") == "invalid syntax in noderange '@n1' at '@'");
  CHECK(error_of(",-n1") == "invalid syntax in noderange ',-n1' at ',-'");
  CHECK(error_of("n1,(@n2)") == "invalid syntax in noderange 'n1,(@n2)' at '@'");
}

TEST_CASE("syntax: characters outside the grammar name the offending character", "[noderange][syntax]") {
  CHECK(error_of("n1?") == "invalid syntax in noderange 'n1?' at '?'");
  CHECK(error_of("n{1}") == "invalid syntax in noderange 'n{1}' at '{'");
  CHECK(error_of("n1#x") == "invalid syntax in noderange 'n1#x' at '#'");
  CHECK(error_of("n1\x01") == "invalid syntax in noderange 'n1\\x01' at '\\x01'");
}

TEST_CASE("syntax: parentheses and brackets must balance", "[noderange][syntax]") {
  CHECK(error_of("(n1") == "invalid syntax in noderange '(n1': missing ')'");
  CHECK(error_of("n1)") == "invalid syntax in noderange 'n1)' at ')'");
  CHECK(error_of("n[1-3") == "invalid syntax in noderange 'n[1-3': missing ']'");
  CHECK(error_of("n1]") == "invalid syntax in noderange 'n1]' at ']'");
  CHECK(error_of("n[]") == "invalid syntax in noderange 'n[]' at '[]'");
}

TEST_CASE("syntax: two operands need an operator between them", "[noderange][syntax]") {
  CHECK(error_of("(n1)(n2)") == "invalid syntax in noderange '(n1)(n2)' at '('");
  CHECK(error_of("(n1)n2") == "invalid syntax in noderange '(n1)n2' at 'n2'");
  CHECK(error_of("rack1>3n1") == "invalid syntax in noderange 'rack1>3n1' at 'n1'");
}

TEST_CASE("syntax: empty input and empty parentheses give nothing", "[noderange][syntax]") {
  CHECK(ex("").empty());
  CHECK(ex("()").empty());
  CHECK(ex("n1,()") == names("n1"));
}

TEST_CASE("syntax: pagination needs digits", "[noderange][syntax]") {
  CHECK(error_of("n1<") == "invalid syntax in noderange 'n1<' at '<'");
  CHECK(error_of("n1>x") == "invalid syntax in noderange 'n1>x' at '>'");
}

TEST_CASE("syntax: pagination applies to the list it ends", "[noderange][syntax]") {
  CHECK(ex("(rack1>2),n15") == names("n1 n2 n15"));
  CHECK(ex("rack1,n15>2") == names("n1 n2"));
  CHECK(ex("rack1,-n1>2") == names("n2 n3"));
  CHECK(ex("rack1>0").empty());
  CHECK(ex("rack1<99").empty());
  CHECK(ex("rack1<99999999999999999999999").empty());
  CHECK(ex("rack1>2>5") == names("n1 n2 n3 n4 n5"));  // the last limit wins
}

TEST_CASE("syntax: leading pagination pages over all nodes, also in parentheses", "[noderange][syntax]") {
  CHECK(ex("<2>2") == names("d03 d04"));
  CHECK(ex(">2@rack2") == names("n11 n12"));
  CHECK(ex("(>1),n5") == names("d01 n5"));
}

TEST_CASE("syntax: regular expressions and filters are refused inside brackets", "[noderange][syntax]") {
  CHECK(error_of("n[~1]") == "regular expressions are not supported within '[]'");
  CHECK(error_of("n[/1]") == "regular expressions are not supported within '[]'");
  CHECK(error_of("n[a=b]") == "attribute filters are not supported within '[]'");
  CHECK(error_of("n[1,x!~2]") == "attribute filters are not supported within '[]'");
  CHECK(error_of("n[1[2]") == "invalid syntax in noderange 'n[1[2]' at '['");
  CHECK(error_of("n[>3]") == "invalid syntax in noderange 'n[>3]' at '>3'");
}

TEST_CASE("syntax: the filter operator is the first =, ==, !=, =~ or !~", "[noderange][syntax]") {
  Filter f = filter_of("location.rack=1");
  CHECK(f.attribute == "location.rack");
  CHECK(f.op == FilterOp::Equal);
  CHECK(f.value == "1");
  CHECK(filter_of("a.b==1").op == FilterOp::ExactEqual);
  CHECK(filter_of("a.b!=1").op == FilterOp::NotEqual);
  CHECK(filter_of("a.b=~1").op == FilterOp::RegexMatch);
  CHECK(filter_of("a.b!~1").op == FilterOp::RegexNotMatch);
  CHECK(filter_of("net.*switch=sw1").attribute == "net.*switch");
  CHECK(filter_of("location.room=").value.empty());
}

TEST_CASE("syntax: filter values may contain '=' and brackets", "[noderange][syntax]") {
  Filter f = filter_of("custom.x==a=b");
  CHECK(f.op == FilterOp::ExactEqual);
  CHECK(f.value == "a=b");
  CHECK(filter_of("custom.x=a=b").value == "a=b");
  CHECK(filter_of("custom.x=~^[ab]$").value == "^[ab]$");
  CHECK(filter_of("location.rack =3").value == "3");
}

TEST_CASE("syntax: a filter value with '=' matches the stored value", "[noderange][syntax]") {
  FixtureResolver resolver;
  resolver.add_node("v1", {{"custom.x", "a=b"}});
  CHECK(expand("custom.x==a=b", resolver) == names("v1"));
}

TEST_CASE("syntax: a filter with no name or a bad operator is refused", "[noderange][syntax]") {
  CHECK(error_of("=foo") == "invalid attribute filter '=foo'");
  CHECK(error_of("a!b=c") == "invalid attribute filter 'a!b=c'");
}

TEST_CASE("syntax: regular expressions are checked and search within the accumulator", "[noderange][syntax]") {
  CHECK(error_of("~*n") == "invalid regular expression '*n': nothing to repeat");
  CHECK(error_of("~^*") == "invalid regular expression '^*': nothing to repeat");
  CHECK(error_of("~.**") == "invalid regular expression '.**': multiple repeat");
  CHECK(error_of("~n*+") == "invalid regular expression 'n*+': multiple repeat");
  CHECK(ex("~^n[*+]*1$") == names("n1"));  // quantifier characters in a class are literal
  CHECK(error_of("~[b-a]") == "invalid regular expression '[b-a]': invalid character range");
  CHECK(ex("rack1@~5") == names("n5"));
  CHECK(ex("rack1,-~^n1") == seq("n", 2, 9));
  CHECK(ex("~^node") == names("node-a"));
}

TEST_CASE("syntax: set operations merge naturally sorted lists", "[noderange][syntax]") {
  NodeList a = names("n1 n2 n10"), b = names("n2 n3 n10 n11");
  CHECK(set_union(a, b) == names("n1 n2 n3 n10 n11"));
  CHECK(set_difference(a, b) == names("n1"));
  CHECK(set_intersection(a, b) == names("n2 n10"));
  CHECK(set_union({}, a) == a);
}
