#pragma once
// One HTTP exchange of the deployment service, independent of the HTTP library: the
// handlers (public files, boot redirects, the node self API) turn a Request into a
// Response, which the server sends and logs.
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace confluent::deploysvc {

struct Request {
  std::string method;  // "GET", "POST"...
  std::string path;    // percent-decoded, without the query string
  std::string client;  // the client's address as text (the proxy's client behind a proxy)
  bool tls = false;    // the request came over HTTPS
  std::string host;    // Host header without the port ("" when absent)
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-case

  // The first header of that name (lower-case), "" when absent.
  std::string_view header(std::string_view lower_name) const;
};

struct Response {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  // A file part to send instead of the body (zero-copy where the transport allows it);
  // the server owns and closes `fd`.
  int fd = -1;
  uint64_t offset = 0;
  uint64_t length = 0;
  std::string node;  // the node the request was about, for the access log

  static Response text(int status, std::string body);
  static Response redirect(std::string location);
};

}  // namespace confluent::deploysvc
