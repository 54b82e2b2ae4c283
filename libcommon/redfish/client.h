#pragma once
// One BMC's Redfish conversation (internal to the redfish module): service root and the
// System/Manager it manages, session login with a guaranteed logout (Basic auth when the BMC
// has no free session slot), retries of transient failures, ETag handling on PATCH, and task
// monitors. Every failure is a redfish::Failure naming what went wrong.
#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

#include "fanout/task.h"
#include "redfish/http.h"
#include "redfish/redfish.h"
#include "redfish/vendor.h"

namespace confluent::redfish {

using Json = nlohmann::json;

// A BMC's answer that is an error, with the Redfish message IDs it carried.
class Failure : public std::runtime_error {
 public:
  Failure(const std::string& what, long status = 0, std::vector<std::string> ids = {},
          std::vector<std::string> args = {})
      : std::runtime_error(what), status(status), message_ids(std::move(ids)), message_args(std::move(args)) {}
  long status;
  std::vector<std::string> message_ids;   // "Base.1.8.PropertyMissing", ...
  std::vector<std::string> message_args;  // every MessageArgs entry of every message
  // True when a message ID ends with `id` (registry and version ignored).
  bool has_id(const std::string& id) const;
  // True when `word` is among the message arguments or in the text.
  bool mentions(const std::string& word) const;
};

struct Reply {
  long status = 0;
  Json body;  // null when there was none
  std::string etag;
  std::string location;
  std::string allow;
  std::string retry_after;
};

enum class Auth { Session, Basic };

class Client {
 public:
  Client(fanout::EventLoop& loop, Transport& transport, const Target& target, const ClientOptions& options);

  // The service root, System and Manager (read once per run).
  fanout::Task<const Json*> root();
  fanout::Task<std::string> system_path();
  fanout::Task<std::string> manager_path();
  const VendorTraits& traits() const { return *traits_; }

  // Any 2xx is returned; anything else becomes a Failure. `auth` Basic forces Basic auth for
  // this call (media attach, so that the mount does not die with the session).
  fanout::Task<Reply> call(std::string method, std::string path, std::optional<Json> body = std::nullopt,
                           std::vector<std::string> headers = {}, std::optional<Auth> auth = std::nullopt);
  fanout::Task<Reply> get(std::string path) { return call("GET", std::move(path)); }
  // PATCH with If-Match from `etag`: on 412 retries with the strong form of a weak tag, then
  // without; on 428 (the BMC wants one) with "*".
  fanout::Task<Reply> patch(std::string path, Json body, std::string etag, std::optional<Auth> auth = std::nullopt);
  // POST of an action; a 202 is followed to the end of its task.
  fanout::Task<Reply> action(std::string path, Json body, std::optional<Auth> auth = std::nullopt);
  // A multipart upload of one file (for the BMCs with an upload API).
  fanout::Task<Reply> upload(std::string path, FormFile file, std::function<void(double)> progress);

  // Ends the session, if one was opened; never throws.
  fanout::Task<void> close();

  fanout::EventLoop& loop() { return loop_; }
  const Target& target() const { return target_; }

 private:
  fanout::Task<std::string> first_of(std::string key, std::string what, std::string* cache);
  fanout::Task<void> login();
  fanout::Task<HttpResponse> send(HttpRequest request);
  HttpRequest make_request(const std::string& method, const std::string& path, const std::optional<Json>& body,
                           const std::vector<std::string>& headers, Auth auth) const;
  fanout::Task<Reply> follow_task(std::string monitor, std::string retry_after);

  fanout::EventLoop& loop_;
  Transport& transport_;
  Target target_;
  ClientOptions options_;
  std::string base_;  // https://host:port
  std::optional<Json> root_;
  std::string system_, manager_;
  const VendorTraits* traits_;
  Auth auth_ = Auth::Session;
  bool logged_in_ = false;
  std::string token_, session_uri_;
  bool fresh_connections_ = false;
};

// Parses a Redfish JSON body; an invalid one is a Failure naming the path.
Json parse_body(const std::string& body, const std::string& path);
// "https://host:port" from a hardwaremanagement.manager value (host, host:port, [v6]:port).
std::string base_url(const std::string& address);

}  // namespace confluent::redfish
