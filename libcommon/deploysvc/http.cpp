#include "deploysvc/http.h"

namespace confluent::deploysvc {

std::string_view Request::header(std::string_view lower_name) const {
  for (const auto& [name, value] : headers) {
    if (name == lower_name) return value;
  }
  return {};
}

Response Response::text(int status, std::string body) {
  Response r;
  r.status = status;
  if (!body.empty() && body.back() != '\n') body += '\n';
  r.body = std::move(body);
  return r;
}

Response Response::redirect(std::string location) {
  Response r;
  r.status = 302;
  r.headers.emplace_back("Location", std::move(location));
  return r;
}

}  // namespace confluent::deploysvc
