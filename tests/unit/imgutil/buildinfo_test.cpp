// etc/confluentimg.buildinfo: written by build, read by exec and pack.
#include "imgutil/buildinfo.h"

#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <regex>

#include "base/error.h"
#include "image_files.h"

using namespace confluent;
using namespace confluent::imgutil;
using namespace imgtest;

TEST_CASE("imgutil buildinfo: written as KEY=value lines, BUILDSRC only when given, read back", "[imgutil]") {
  TempDir dir;
  write_buildinfo(dir.path, {"2024-05-01T13:07", "x86_64", "/var/lib/confluent/distributions/rocky-9.4-x86_64"});
  CHECK(slurp(dir / "etc/confluentimg.buildinfo") ==
        "BUILDDATE=2024-05-01T13:07\nARCH=x86_64\nBUILDSRC=/var/lib/confluent/distributions/rocky-9.4-x86_64\n");
  struct stat st {};
  REQUIRE(stat((dir / "etc/confluentimg.buildinfo").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0644);
  auto info = read_buildinfo(dir.path);
  REQUIRE(info);
  CHECK(info->build_date == "2024-05-01T13:07");
  CHECK(info->arch == "x86_64");
  CHECK(info->build_source == "/var/lib/confluent/distributions/rocky-9.4-x86_64");

  write_buildinfo(dir.path, {"2024-05-02T08:00", "aarch64", ""});
  CHECK(slurp(dir / "etc/confluentimg.buildinfo") == "BUILDDATE=2024-05-02T08:00\nARCH=aarch64\n");
  CHECK(read_buildinfo(dir.path)->build_source.empty());
  CHECK(std::distance(fs::directory_iterator(dir / "etc"), fs::directory_iterator()) == 1);
}

TEST_CASE("imgutil buildinfo: an image without one has none, other lines and keys are ignored", "[imgutil]") {
  TempDir dir;
  CHECK_FALSE(read_buildinfo(dir.path).has_value());
  BuildInfo info = parse_buildinfo("# made by hand\nBUILDSRC= /srv/distro \r\nNOISE\nOTHER=1\nARCH=ppc64le=odd\n");
  CHECK(info.build_source == "/srv/distro");
  CHECK(info.arch == "ppc64le=odd");
  CHECK(info.build_date.empty());
  fs::create_directories(dir / "etc/confluentimg.buildinfo");  // a directory: unreadable
  CHECK_THROWS_AS(read_buildinfo(dir.path), Error);
}

TEST_CASE("imgutil buildinfo: dates are local YYYY-MM-DDTHH:MM, values cannot break lines", "[imgutil]") {
  CHECK(std::regex_match(build_date(std::time(nullptr)), std::regex(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})")));
  std::tm tm{};
  tm.tm_year = 2024 - 1900;
  tm.tm_mon = 4;
  tm.tm_mday = 1;
  tm.tm_hour = 13;
  tm.tm_min = 7;
  tm.tm_isdst = -1;
  CHECK(build_date(std::mktime(&tm)) == "2024-05-01T13:07");
  CHECK_THROWS_WITH(format_buildinfo({"now", "x86_64\nBUILDSRC=/evil", ""}), "buildinfo ARCH value holds a line break");
}
