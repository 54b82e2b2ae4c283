#include "ipmi/endpoint.h"

#include <unistd.h>

#include <catch2/catch.hpp>

using namespace confluent::ipmi;

TEST_CASE("bmc address: host, host:port, [v6] and [v6]:port, port 623 by default", "[ipmi]") {
  CHECK(parse_endpoint("10.1.2.3").host == "10.1.2.3");
  CHECK(parse_endpoint("10.1.2.3").port == 623);
  CHECK(parse_endpoint("bmc-n1:6230").host == "bmc-n1");
  CHECK(parse_endpoint("bmc-n1:6230").port == 6230);
  CHECK(parse_endpoint("[fe80::1]").host == "fe80::1");
  CHECK(parse_endpoint("[fe80::1]").port == 623);
  CHECK(parse_endpoint("[::1]:9001").host == "::1");
  CHECK(parse_endpoint("[::1]:9001").port == 9001);
  CHECK(parse_endpoint("fd00::5").host == "fd00::5");  // several colons: all host
  CHECK(parse_endpoint("fd00::5").port == 623);
}

TEST_CASE("bmc address: bad ports, empty hosts and unbalanced brackets are refused", "[ipmi]") {
  CHECK_THROWS_WITH(parse_endpoint("h:0"), "bad port in BMC address 'h:0'");
  CHECK_THROWS_WITH(parse_endpoint("h:65536"), "bad port in BMC address 'h:65536'");
  CHECK_THROWS_WITH(parse_endpoint("h:x1"), "bad port in BMC address 'h:x1'");
  CHECK_THROWS_WITH(parse_endpoint("h:"), "bad port in BMC address 'h:'");
  CHECK_THROWS_WITH(parse_endpoint(":623"), "empty host in BMC address ':623'");
  CHECK_THROWS_WITH(parse_endpoint(""), "empty host in BMC address ''");
  CHECK_THROWS_WITH(parse_endpoint("[::1"), "missing ']' in BMC address '[::1'");
  CHECK_THROWS_WITH(parse_endpoint("[::1]623"), "unexpected text after ']' in BMC address '[::1]623'");
}

TEST_CASE("bmc socket: numeric IPv4 and IPv6 loopback addresses give connected sockets", "[ipmi]") {
  std::string error;
  int fd4 = open_bmc_socket(Endpoint{"127.0.0.1", 623}, error);
  CHECK(fd4 >= 0);
  int fd6 = open_bmc_socket(Endpoint{"::1", 623}, error);
  CHECK((fd6 >= 0 || error.find("connect") != std::string::npos));  // IPv6 may be disabled here
  if (fd4 >= 0) close(fd4);
  if (fd6 >= 0) close(fd6);
  CHECK(open_bmc_socket(Endpoint{"no-such-host.invalid", 623}, error) == -1);
  CHECK(error.rfind("cannot resolve 'no-such-host.invalid'", 0) == 0);
}
