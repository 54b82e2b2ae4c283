// fold(): node lists back to short noderanges, and the round trip through expand_pure.
#include <catch2/catch.hpp>

#include <random>

#include "base/natural_sort.h"
#include "base/strings.h"
#include "fixture_resolver.h"

using namespace confluent::noderange;
using namespace confluent::noderange::testing;

namespace {

std::string fold_text(std::string_view noderange) { return fold(expand_pure(noderange)); }

std::vector<FoldGroup> fixture_groups() {
  FixtureResolver resolver;
  std::vector<FoldGroup> groups;
  for (const char* name : {"everything", "compute", "rack1", "rack2", "dense", "empty"}) {
    auto info = resolver.group(name);
    groups.push_back({name, info ? info->members : NodeList{}});
  }
  return groups;
}

std::string padded(std::mt19937& rng, int value) {
  std::string digits = std::to_string(value);
  int width = std::uniform_int_distribution<int>(0, 3)(rng) == 0 ? 3 : 0;  // a quarter padded
  if (static_cast<int>(digits.size()) < width) digits.insert(0, static_cast<size_t>(width) - digits.size(), '0');
  return digits;
}

// A random mix of name shapes: one to three number positions, padding, domains, names
// without digits and names that would read as ranges if written plainly.
NodeList random_names(std::mt19937& rng) {
  std::uniform_int_distribution<int> number(0, 40), coin(0, 1), pick(0, 11);
  NodeList out;
  int count = std::uniform_int_distribution<int>(1, 60)(rng);
  static const char* odd_names[] = {"node-a", "login", "a-a", "x:x", "-x", "-1", "n1-n3", "1-2", "n1+3",
                                    "n1..n2", "n5:n7",
                                    "s12345678901234567890", "s12345678901234567891", "0", "00", "......", "n1-n1"};
  for (int i = 0; i < count; ++i) {
    switch (pick(rng)) {
      case 0: out.push_back("n" + padded(rng, number(rng))); break;
      case 1: out.push_back("n" + std::to_string(number(rng)) + ".lab"); break;
      case 2: out.push_back("n" + std::to_string(number(rng)) + "_a"); break;
      case 3: out.push_back("r" + std::to_string(number(rng) % 4) + "u" + padded(rng, number(rng) % 6)); break;
      case 4:
        out.push_back("rack" + std::to_string(coin(rng)) + "-c" + std::to_string(number(rng) % 3) + ".p" +
                      std::to_string(number(rng) % 3));
        break;
      case 5: out.push_back("10.0." + std::to_string(coin(rng)) + "." + std::to_string(number(rng))); break;
      case 6: out.push_back(odd_names[std::uniform_int_distribution<size_t>(0, std::size(odd_names) - 1)(rng)]); break;
      case 7: out.push_back(std::to_string(number(rng)) + "x"); break;
      case 8: out.push_back("Sw" + std::to_string(number(rng) % 5)); break;
      case 9: out.push_back("n" + std::to_string(number(rng) + 95)); break;
      case 10: out.push_back("d" + padded(rng, number(rng) % 12) + "e" + padded(rng, number(rng) % 3)); break;
      default: out.push_back("n" + std::to_string(number(rng) % 3) + "-n" + std::to_string(number(rng) % 3)); break;
    }
  }
  confluent::natural_sort_unique(out);
  return out;
}

}  // namespace

TEST_CASE("fold: runs become ranges and the rest a list", "[noderange][fold]") {
  CHECK(fold(names("n1 n2 n3 n5")) == "n[1-3,5]");
  CHECK(fold(names("n1")) == "n1");
  CHECK(fold(names("n1 n3")) == "n[1,3]");
  CHECK(fold({}).empty());
}

TEST_CASE("fold: zero padding is kept and runs stop where padding changes", "[noderange][fold]") {
  CHECK(fold(names("n01 n02 n03 n10")) == "n[01-03,10]");
  CHECK(fold(names("n7 n8 n09 n10")) == "n[7-8,09-10]");
  CHECK(fold(names("n01 n1 n02 n2")) == "n[01-02,1-2]");
  CHECK(fold(names("n98 n99 n100")) == "n[98-100]");
  CHECK(fold(names("n098 n099 n100")) == "n[098-100]");
}

TEST_CASE("fold: names with different text fold apart, in natural order", "[noderange][fold]") {
  CHECK(fold(names("n1 n2 d1 d2 d3")) == "d[1-3],n[1-2]");
  CHECK(fold(names("n1 node-a n2")) == "n[1-2],node-a");
  CHECK(fold(names("n1.lab n2.lab n3.lab n1")) == "n1,n[1-3].lab");
  CHECK(fold(names("login mgmt")) == "login,mgmt");
}

TEST_CASE("fold: every varying number position is compressed", "[noderange][fold]") {
  CHECK(fold(names("r1u1 r1u2 r2u1 r2u2")) == "r[1-2]u[1-2]");
  CHECK(fold(names("r1u1 r1u2 r2u1")) == "r1u[1-2],r2u1");
  CHECK(fold(names("r1u1 r2u1 r3u1")) == "r[1-3]u1");
  CHECK(fold_text("r[1-3]u[01-10],r4u[01-05]") == "r[1-3]u[01-10],r4u[01-05]");
  CHECK(fold_text("x[1-2]y[1-2]z[1-3]") == "x[1-2]y[1-2]z[1-3]");
  CHECK(fold_text("10.0.[0-1].[1-254]") == "10.0.[0-1].[1-254]");
}

TEST_CASE("fold: whole groups come first, largest first", "[noderange][fold]") {
  std::vector<FoldGroup> groups = fixture_groups();
  CHECK(fold(expand_pure("n[1-20],d01"), groups) == "compute,d01");
  CHECK(fold(expand_pure("n[1-20],d[01-10]"), groups) == "compute,dense");
  CHECK(fold(expand_pure("n[1-10],d[01-10],r1u1"), groups) == "dense,rack1,r1u1");
  CHECK(fold(expand_pure("n[1-9]"), groups) == "n[1-9]");
  FixtureResolver resolver;
  CHECK(fold(resolver.all_nodes(), groups) == "everything");
}

TEST_CASE("fold: groups without members are never used", "[noderange][fold]") {
  CHECK(fold(names("n1 n2"), {{"empty", {}}, {"pair", names("n1 n2")}}) == "pair");
  CHECK(fold(names("n1"), {{"empty", {}}}) == "n1");
}

TEST_CASE("fold: a single name that would read as a range gets a bracket", "[noderange][fold]") {
  CHECK(fold(names("n1-n3")) == "n1-n[3]");
  CHECK(fold(names("n1+3")) == "n1+[3]");
  CHECK(fold(names("n1-n1")) == "n1-n[1]");
  CHECK(fold(names("node-a")) == "node-a");
  CHECK(expand_pure("n1-n[3]") == names("n1-n3"));
  CHECK(expand_pure("n1-n[1]") == names("n1-n1"));
}

TEST_CASE("fold: a name starting with '-' is parenthesised", "[noderange][fold]") {
  CHECK(fold(names("1ck1 -compute")) == "1ck1,(-compute)");
  CHECK(expand_pure("1ck1,(-compute)") == names("1ck1 -compute"));
}

TEST_CASE("fold: expand_pure(fold(x)) gives x back", "[noderange][fold]") {
  for (const char* text : {"n[1-3,5]", "n[01-03,10]", "n[7-8,09-10]", "r[1-2]u[1-2],r3u1", "n[1-3].lab,n[2-9]_a",
                           "sw[1-2].example.com,node-a,login", "n[1,01,001]", "x[1-2]y[1-2]z[1,3]",
                           "n1-n[3],a-a,1-[2],......", "s[12345678901234567890,12345678901234567891]", "n[0-1000:7]",
                           "[1-3]x,[01-02]y"}) {
    NodeList x = expand_pure(text);
    INFO(text << " -> " << fold(x));
    CHECK(expand_pure(fold(x)) == x);
  }
}

TEST_CASE("fold: random lists survive the round trip", "[noderange][fold]") {
  std::mt19937 rng(20240611);
  for (int trial = 0; trial < 500; ++trial) {
    NodeList x = random_names(rng);
    std::string folded = fold(x);
    INFO(confluent::join(x, ",") << " -> " << folded);
    REQUIRE(expand_pure(folded) == x);
  }
}

TEST_CASE("fold: random subsets of a grid survive the round trip", "[noderange][fold]") {
  std::mt19937 rng(7);
  NodeList grid = expand_pure("r[1-6]u[1-8]s[1-3]");
  for (int trial = 0; trial < 200; ++trial) {
    NodeList x;
    for (const std::string& name : grid) {
      if (std::uniform_int_distribution<int>(0, 3)(rng)) x.push_back(name);
    }
    REQUIRE(expand_pure(fold(x)) == x);
  }
}

TEST_CASE("fold: a hundred thousand names fold to one piece", "[noderange][fold]") {
  CHECK(fold_text("n[1-100000]") == "n[1-100000]");
  CHECK(fold_text("r[1-100]u[1-1000]") == "r[1-100]u[1-1000]");
}
