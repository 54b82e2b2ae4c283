#include <catch2/catch.hpp>

#include "base/natural_sort.h"
#include "base/strings.h"

using namespace confluent;

TEST_CASE("natural sort: numbers compare by value, not by text", "[base]") {
  std::vector<std::string> names{"n10", "n9", "n1", "n100", "n2"};
  natural_sort_unique(names);
  CHECK(names == std::vector<std::string>{"n1", "n2", "n9", "n10", "n100"});
}

TEST_CASE("natural sort: ties on value break on the raw bytes, deterministically", "[base]") {
  std::vector<std::string> a{"n1", "n01", "n001"}, b{"n001", "n1", "n01"};
  natural_sort_unique(a);
  natural_sort_unique(b);
  CHECK(a == b);
  CHECK(a == std::vector<std::string>{"n001", "n01", "n1"});
}

TEST_CASE("natural sort: text compares case-insensitively and digits sort before letters", "[base]") {
  CHECK(natural_less("Rack1", "rack2"));
  CHECK(natural_less("n1a", "n1b"));
  CHECK(natural_less("n1", "n1a"));
  CHECK(natural_less("r1u2", "r1u10"));
  CHECK(natural_less("d9", "n1"));
}

TEST_CASE("natural sort: duplicates are removed", "[base]") {
  std::vector<std::string> names{"b", "a", "b", "a"};
  natural_sort_unique(names);
  CHECK(names == std::vector<std::string>{"a", "b"});
}

TEST_CASE("natural sort: digit runs longer than 64 bits still compare", "[base]") {
  CHECK(natural_less("n99999999999999999999998", "n99999999999999999999999"));
  CHECK(natural_less("n9", "n00000000000000000000010"));
}

TEST_CASE("shell split: quotes and backslashes group words", "[base]") {
  CHECK(shell_split(R"(a "b c" 'd e' f\ g)") == std::vector<std::string>{"a", "b c", "d e", "f g"});
  CHECK(shell_split("  ").empty());
  CHECK_THROWS(shell_split("\"open"));
}

TEST_CASE("closest match: suggests a near name and nothing for a far one", "[base]") {
  std::vector<std::string> names{"location.rack", "location.room", "console.method"};
  CHECK(closest_match("location.rak", names) == "location.rack");
  CHECK(closest_match("zzzzzz", names).empty());
}
