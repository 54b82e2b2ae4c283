// Path helpers: absolute normal forms, and where shipped data is found.
#include "base/paths.h"

#include <stdlib.h>

#include <catch2/catch.hpp>

using namespace confluent;
namespace fs = std::filesystem;

TEST_CASE("paths: normal_absolute is absolute, normal and without a trailing slash", "[base]") {
  CHECK(normal_absolute("/srv/images/") == "/srv/images");
  CHECK(normal_absolute("/srv/./a/../images//") == "/srv/images");
  CHECK(normal_absolute("/") == "/");
  CHECK(normal_absolute("rel/dir/") == fs::current_path() / "rel/dir");
}

TEST_CASE("paths: data_dir is the override, else share/confluent-cpp beside the executable", "[base]") {
  setenv("CONFLUENT_TEST_DATA", "/opt/data", 1);
  CHECK(data_dir("imgutil", "CONFLUENT_TEST_DATA") == "/opt/data");
  unsetenv("CONFLUENT_TEST_DATA");
  fs::path exe = fs::read_symlink("/proc/self/exe");
  CHECK(data_dir("imgutil", "CONFLUENT_TEST_DATA") == exe.parent_path().parent_path() / "share/confluent-cpp/imgutil");
}
