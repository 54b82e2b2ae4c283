#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "deploysvc/client_trust.h"
#include "deploysvc/public_files.h"

using namespace confluent::deploysvc;
namespace fs = std::filesystem;

TEST_CASE("Range headers give one byte range, or the whole file when they are not understood") {
  auto r = parse_range("bytes=0-9", 100);
  REQUIRE(r);
  CHECK(r->first == 0);
  CHECK(r->length == 10);
  r = parse_range("bytes=90-", 100);
  REQUIRE(r);
  CHECK((r->first == 90 && r->length == 10));
  r = parse_range("bytes=-5", 100);
  REQUIRE(r);
  CHECK((r->first == 95 && r->length == 5));
  r = parse_range("bytes=-500", 100);  // a suffix longer than the file: the whole file
  REQUIRE(r);
  CHECK((r->first == 0 && r->length == 100));
  r = parse_range("bytes=50-5000", 100);  // the end is clamped
  REQUIRE(r);
  CHECK((r->first == 50 && r->length == 50));
  // Unsatisfiable: a 416.
  r = parse_range("bytes=100-", 100);
  REQUIRE(r);
  CHECK(r->length == 0);
  r = parse_range("bytes=-0", 100);
  REQUIRE(r);
  CHECK(r->length == 0);
  // Ignored: absent, malformed, several ranges, other units, overflow.
  for (const char* h : {"", "bytes=", "bytes=a-b", "bytes=9-3", "bytes=0-1,5-6", "items=0-1", "bytes=-",
                        "bytes=99999999999999999999-", "bytes=1-2-3"}) {
    INFO(h);
    CHECK_FALSE(parse_range(h, 100));
  }
}

TEST_CASE("Relative URL paths never climb out of the public tree") {
  CHECK(safe_relative_path("os/p/boot.ipxe"));
  CHECK(safe_relative_path("os/p/distribution/..data"));
  CHECK_FALSE(safe_relative_path("../etc/passwd"));
  CHECK_FALSE(safe_relative_path("os/../../etc/passwd"));
  CHECK_FALSE(safe_relative_path("os/p/.."));
  CHECK_FALSE(safe_relative_path("os\\..\\x"));
  CHECK_FALSE(safe_relative_path(std::string_view("os/p\0/x", 7)));
}

TEST_CASE("Files are served whole, in part, or refused with the right status") {
  char tmpl[] = "/tmp/deploysvc-files.XXXXXX";
  fs::path root = mkdtemp(tmpl);
  fs::create_directories(root / "os/p");
  std::ofstream(root / "os/p/boot.ipxe") << "#!ipxe\nchain kernel\n";
  Request get;
  get.method = "GET";

  Response r = serve_file(root, "os/p/boot.ipxe", get);
  CHECK(r.status == 200);
  CHECK(r.fd >= 0);
  CHECK(r.length == 20);
  CHECK(r.content_type.rfind("text/plain", 0) == 0);
  if (r.fd >= 0) close(r.fd);

  Request ranged = get;
  ranged.headers.emplace_back("range", "bytes=2-5");
  r = serve_file(root, "os/p/boot.ipxe", ranged);
  CHECK(r.status == 206);
  CHECK((r.offset == 2 && r.length == 4));
  if (r.fd >= 0) close(r.fd);

  ranged.headers = {{"range", "bytes=400-"}};
  CHECK(serve_file(root, "os/p/boot.ipxe", ranged).status == 416);
  CHECK(serve_file(root, "os/p/missing", get).status == 404);
  CHECK(serve_file(root, "os/p", get).status == 403);
  CHECK(serve_file(root, "../" + root.filename().string() + "/os/p/boot.ipxe", get).status == 403);
  Request post = get;
  post.method = "POST";
  CHECK(serve_file(root, "os/p/boot.ipxe", post).status == 405);
  fs::remove_all(root);
}

TEST_CASE("Client addresses are matched against CIDR lists and local networks") {
  CHECK(address_in_cidr("10.1.2.3", "10.1.0.0/16"));
  CHECK_FALSE(address_in_cidr("10.2.2.3", "10.1.0.0/16"));
  CHECK(address_in_cidr("10.1.2.3", "10.1.2.3"));
  CHECK(address_in_cidr("::ffff:10.1.2.3", "10.0.0.0/8"));
  CHECK(address_in_cidr("fd00::5", "fd00::/64"));
  CHECK_FALSE(address_in_cidr("fd01::5", "fd00::/64"));
  CHECK(address_in_cidr("1.2.3.4", "0.0.0.0/0"));
  CHECK_FALSE(address_in_cidr("1.2.3.4", "1.2.3.0/33"));
  CHECK_FALSE(address_in_cidr("garbage", "10.0.0.0/8"));
  CHECK_FALSE(address_in_cidr("10.0.0.1", "10.0.0.0/x"));
  CHECK(address_in_list("192.168.7.7", "10.0.0.0/8, 192.168.0.0/16"));
  CHECK_FALSE(address_in_list("172.16.0.1", "10.0.0.0/8 192.168.0.0/16"));
  CHECK(on_local_network("127.0.0.1"));
  CHECK(on_local_network("::1"));
  CHECK_FALSE(on_local_network("203.0.113.9"));  // TEST-NET-3: never on a local network here
}
