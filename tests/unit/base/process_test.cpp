// Helper programs: exit statuses as a shell reports them, environment changes, PATH lookup,
// and whitespace word splitting.
#include "base/process.h"

#include <catch2/catch.hpp>

#include "base/error.h"
#include "base/strings.h"

using namespace confluent;

TEST_CASE("process: exit statuses are the exit code, or 128+N for signal N", "[base]") {
  CHECK(run_program_visible({"sh", "-c", "exit 0"}) == 0);
  CHECK(run_program_visible({"sh", "-c", "exit 42"}) == 42);
  CHECK(run_program_visible({"sh", "-c", "kill -TERM $$"}) == 128 + 15);
  CHECK_THROWS_WITH(run_program_visible({"no-such-program-here"}), Catch::Contains("cannot run no-such-program-here"));
}

TEST_CASE("process: environment changes set and remove variables for the program only", "[base]") {
  setenv("CONFLUENT_TEST_VAR", "outer", 1);
  CHECK(run_program_visible({"sh", "-c", "test \"$CONFLUENT_TEST_VAR\" = inner"}, {"CONFLUENT_TEST_VAR=inner"}) == 0);
  CHECK(run_program_visible({"sh", "-c", "test -z \"${CONFLUENT_TEST_VAR+set}\""}, {"CONFLUENT_TEST_VAR"}) == 0);
  CHECK(run_program({"sh", "-c", "test \"$CONFLUENT_TEST_VAR\" = outer"}));
  std::string why;
  CHECK(!run_program({"sh", "-c", "echo \"went $CONFLUENT_TEST_VAR\"; exit 1"}, &why, {"CONFLUENT_TEST_VAR=wrong"}));
  CHECK(why == "went wrong");
  unsetenv("CONFLUENT_TEST_VAR");
}

TEST_CASE("process: programs are found on PATH", "[base]") {
  CHECK(find_program("sh").has_value());
  CHECK(find_program("/bin/sh") == std::filesystem::path("/bin/sh"));
  CHECK(!find_program("no-such-program-here").has_value());
  CHECK(!find_program("").has_value());
}

TEST_CASE("strings: split_words splits on any run of whitespace", "[base]") {
  CHECK(split_words("  a\tbb \n c  ") == std::vector<std::string>{"a", "bb", "c"});
  CHECK(split_words("").empty());
  CHECK(split_words(" \t\n").empty());
}
