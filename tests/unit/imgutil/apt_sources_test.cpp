// The host's apt sources for imgutil build: both file formats, the debootstrap mirror, -r
// lines, and what is copied into an image.
#include "imgutil/apt_sources.h"

#include <catch2/catch.hpp>

#include "base/error.h"
#include "image_files.h"

using namespace confluent;
using namespace confluent::imgutil;
using namespace imgtest;

namespace {

const char* kDeb822 =
    "Types: deb\n"
    "# http://snapshot.debian.org/archive/debian/20250520T000000Z\n"
    "URIs: http://deb.debian.org/debian\n"
    "Suites: bookworm bookworm-updates\n"
    "Components: main\n"
    "Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n"
    "\n"
    "Types: deb\n"
    "URIs: http://deb.debian.org/debian-security\n"
    "Suites: bookworm-security\n"
    "Components: main\n"
    "Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n"
    "\n"
    "Types: deb\n"
    "URIs: http://off.example/debian\n"
    "Suites: bookworm\n"
    "Enabled: no\n";

}  // namespace

TEST_CASE("imgutil apt sources: deb822 stanzas, disabled ones skipped", "[imgutil]") {
  auto sources = parse_deb822_sources(kDeb822);
  REQUIRE(sources.size() == 2);
  CHECK(sources[0].uris == std::vector<std::string>{"http://deb.debian.org/debian"});
  CHECK(sources[0].suites == std::vector<std::string>{"bookworm", "bookworm-updates"});
  CHECK(sources[0].signed_by == "/usr/share/keyrings/debian-archive-keyring.gpg");
  CHECK(sources[1].suites == std::vector<std::string>{"bookworm-security"});
}

TEST_CASE("imgutil apt sources: an inline key is not a keyring file", "[imgutil]") {
  auto sources = parse_deb822_sources(
      "Types: deb\nURIs: http://x/\nSuites: jammy\nSigned-By:\n -----BEGIN PGP PUBLIC KEY BLOCK-----\n .\n abc\n");
  REQUIRE(sources.size() == 1);
  CHECK(sources[0].signed_by.empty());
}

TEST_CASE("imgutil apt sources: one-line entries with options and comments", "[imgutil]") {
  auto sources = parse_sources_list(
      "# comment\ndeb [arch=amd64 signed-by=/etc/apt/keyrings/x.gpg] http://x.example/ubuntu jammy main universe\n"
      "deb-src http://x.example/ubuntu jammy main\n\ndeb http://y.example/ jammy-updates main # tail\nbroken line\n");
  REQUIRE(sources.size() == 3);
  CHECK(sources[0].signed_by == "/etc/apt/keyrings/x.gpg");
  CHECK(sources[0].uris.front() == "http://x.example/ubuntu");
  CHECK(sources[0].components == std::vector<std::string>{"main", "universe"});
  CHECK(sources[1].types.front() == "deb-src");
  CHECK(sources[2].suites.front() == "jammy-updates");
}

TEST_CASE("imgutil apt sources: the mirror is the first deb source of the codename", "[imgutil]") {
  auto sources =
      parse_sources_list("deb-src http://src.example/ bookworm main\ndeb http://sec.example/ bookworm-security main\n");
  auto more = parse_deb822_sources(kDeb822);
  sources.insert(sources.end(), more.begin(), more.end());
  CHECK(debootstrap_mirror(sources, "bookworm") == "http://deb.debian.org/debian");
  CHECK_THROWS_WITH(debootstrap_mirror(sources, "trixie"), Catch::Contains("no apt source for 'trixie'"));
}

TEST_CASE("imgutil apt sources: -r values become sources.list lines", "[imgutil]") {
  CHECK(
      addrepo_lines({"deb http://x/debian bookworm main", "http://a/repo,/srv/local, ", "deb-src http://y/ z main"}) ==
      std::vector<std::string>{"deb http://x/debian bookworm main", "deb [trusted=yes] http://a/repo ./",
                               "deb [trusted=yes] file:/srv/local ./", "deb-src http://y/ z main"});
}

TEST_CASE("imgutil apt sources: the host's sources replace the image's, keys the image lacks are added", "[imgutil]") {
  TempDir dir;
  auto host = dir.path / "host/etc/apt";
  auto root = dir.path / "root";
  put(host / "sources.list.d/debian.sources", kDeb822);
  put(host / "sources.list.d/extra.list", "deb http://x/ bookworm main\n");
  put(host / "sources.list.d/ignored.list.disabled", "deb http://nope/ bookworm main\n");
  put(host / "trusted.gpg.d/site.gpg", "site key");
  put(host / "keyrings/other.gpg", "other key");
  put(root / "etc/apt/sources.list", "deb http://deb.debian.org/debian bookworm main\n");
  put(root / "etc/apt/trusted.gpg.d/site.gpg", "the image's own");
  CHECK(apt_source_files(host).size() == 2);
  copy_apt_sources(host, root);
  CHECK(!std::filesystem::exists(root / "etc/apt/sources.list"));
  CHECK(slurp(root / "etc/apt/sources.list.d/debian.sources") == kDeb822);
  CHECK(std::filesystem::exists(root / "etc/apt/sources.list.d/extra.list"));
  CHECK(!std::filesystem::exists(root / "etc/apt/sources.list.d/ignored.list.disabled"));
  CHECK(slurp(root / "etc/apt/trusted.gpg.d/site.gpg") == "the image's own");
  CHECK(slurp(root / "etc/apt/keyrings/other.gpg") == "other key");
}
