#include "redfish/client.h"

#include <fmt/format.h>

#include <algorithm>

namespace confluent::redfish {

namespace {

constexpr int kServerErrorRetries = 2;  // GETs (and every method on iDRAC's SYS518)
constexpr int kPreconditionAttempts = 4;

// Error text of a Redfish error body: the extended messages, else error.message.
std::string error_text(const Json& body) {
  if (!body.is_object() || !body.contains("error") || !body["error"].is_object()) return {};
  const Json& err = body["error"];
  std::string text;
  if (auto it = err.find("@Message.ExtendedInfo"); it != err.end() && it->is_array()) {
    for (const Json& m : *it) {
      if (m.is_object() && m.contains("Message") && m["Message"].is_string()) {
        if (!text.empty()) text += "; ";
        text += m["Message"].get<std::string>();
      }
    }
  }
  if (text.empty() && err.contains("message") && err["message"].is_string()) text = err["message"].get<std::string>();
  return text;
}

Failure failure_of(const HttpResponse& r, const std::string& method, const std::string& path) {
  Json body = Json::parse(r.body, nullptr, false);
  std::vector<std::string> ids, args;
  if (body.is_object() && body.contains("error") && body["error"].is_object()) {
    const Json& err = body["error"];
    if (err.contains("code") && err["code"].is_string()) ids.push_back(err["code"].get<std::string>());
    if (auto it = err.find("@Message.ExtendedInfo"); it != err.end() && it->is_array()) {
      for (const Json& m : *it) {
        if (!m.is_object()) continue;
        if (m.contains("MessageId") && m["MessageId"].is_string()) ids.push_back(m["MessageId"].get<std::string>());
        if (m.contains("MessageArgs") && m["MessageArgs"].is_array()) {
          for (const Json& a : m["MessageArgs"]) {
            if (a.is_string()) args.push_back(a.get<std::string>());
          }
        }
      }
    }
  }
  std::string text = error_text(body);
  if (text.empty() && !body.is_discarded() && body.is_object() && body.contains("message") && body["message"].is_string()) {
    text = body["message"].get<std::string>();  // non-Redfish endpoints (uploads)
  }
  std::string what = fmt::format("{} {} answered HTTP {}", method, path, r.status);
  if (!text.empty()) what += ": " + text;
  return Failure(what, r.status, std::move(ids), std::move(args));
}

bool weak(const std::string& etag) { return etag.rfind("W/", 0) == 0; }

std::chrono::milliseconds retry_delay(const std::string& retry_after, std::chrono::milliseconds fallback) {
  if (retry_after.empty()) return fallback;
  try {
    long s = std::stol(retry_after);
    return std::chrono::milliseconds(std::clamp(s, 0L, 30L) * 1000);
  } catch (...) {
    return fallback;  // an HTTP date: not worth parsing for a poll interval
  }
}

}  // namespace

bool Failure::has_id(const std::string& id) const {
  for (const auto& m : message_ids) {
    if (m == id || (m.size() > id.size() && m.compare(m.size() - id.size(), id.size(), id) == 0 &&
                    m[m.size() - id.size() - 1] == '.')) {
      return true;
    }
  }
  return false;
}

bool Failure::mentions(const std::string& word) const {
  for (const auto& a : message_args) {
    if (a == word || a.find(word) != std::string::npos) return true;
  }
  return std::string(what()).find(word) != std::string::npos;
}

Json parse_body(const std::string& body, const std::string& path) {
  if (body.empty()) return Json();
  Json j = Json::parse(body, nullptr, false);
  if (j.is_discarded()) throw Failure("BMC sent invalid JSON for " + path);
  return j;
}

std::string base_url(const std::string& address) {
  return "https://" + address;  // curl parses host, host:port and [v6]:port alike
}

Client::Client(fanout::EventLoop& loop, Transport& transport, const Target& target, const ClientOptions& options)
    : loop_(loop), transport_(transport), target_(target), options_(options), base_(base_url(target.address)),
      traits_(&traits_for("", "", "")) {}

HttpRequest Client::make_request(const std::string& method, const std::string& path, const std::optional<Json>& body,
                                 const std::vector<std::string>& headers, Auth auth) const {
  HttpRequest r;
  r.method = method;
  r.url = base_ + path;
  r.headers = headers;
  r.headers.push_back("OData-Version: 4.0");
  if (body) {
    r.body = body->dump();
    r.send_body = true;
  }
  bool root = path == "/redfish/v1/" || path == "/redfish/v1";
  if (root) {
    // The service root needs no credentials: none are sent.
  } else if (auth == Auth::Basic || !logged_in_) {
    r.user = target_.user;
    r.password = target_.password;
  } else {
    r.headers.push_back("X-Auth-Token: " + token_);
  }
  r.timeout = options_.timeout;
  r.fresh_connection = fresh_connections_;
  r.trust = const_cast<TlsTrust*>(&target_.trust);
  return r;
}

// One request, with one retry on a fresh connection when a kept-alive one was dropped
// (some BMCs close reused connections mid-request; from then on this BMC gets one
// connection per request).
fanout::Task<HttpResponse> Client::send(HttpRequest request) {
  HttpRequest again = request;
  HttpResponse r = co_await transport_.send(std::move(request));
  if (r.status == 0 && r.connection_lost && !fresh_connections_) {
    fresh_connections_ = true;
    again.fresh_connection = true;
    r = co_await transport_.send(std::move(again));
  }
  if (r.status == 0 && !target_.trust.refusal.empty()) {
    throw Failure(fmt::format("BMC {} {}", target_.address, target_.trust.refusal));
  }
  if (r.status == 0) throw Failure(fmt::format("cannot talk to BMC {}: {}", target_.address, r.error));
  co_return r;
}

fanout::Task<const Json*> Client::root() {
  if (!root_) {
    Reply r = co_await call("GET", "/redfish/v1/", std::nullopt, {}, Auth::Basic);
    if (!r.body.is_object()) throw Failure("BMC " + target_.address + " has no Redfish service root");
    std::string oem;
    if (r.body.contains("Oem") && r.body["Oem"].is_object()) {
      for (auto& [key, value] : r.body["Oem"].items()) oem += key + " ";
    }
    traits_ = &traits_for(r.body.value("Vendor", ""), r.body.value("Product", ""), oem);
    root_ = std::move(r.body);
  }
  co_return &*root_;
}

namespace {

// The first member of the collection `link` (e.g. root["Systems"]) points to.
std::string link_of(const Json& j, const char* key) {
  if (j.is_object() && j.contains(key) && j[key].is_object() && j[key].contains("@odata.id") &&
      j[key]["@odata.id"].is_string()) {
    return j[key]["@odata.id"].get<std::string>();
  }
  return {};
}

std::string first_member(const Json& collection) {
  if (collection.is_object() && collection.contains("Members") && collection["Members"].is_array() &&
      !collection["Members"].empty()) {
    const Json& m = collection["Members"][0];
    if (m.is_object() && m.contains("@odata.id") && m["@odata.id"].is_string()) return m["@odata.id"].get<std::string>();
  }
  return {};
}

}  // namespace

// The first member of the service root's collection `key`, read once per run.
fanout::Task<std::string> Client::first_of(std::string key, std::string what, std::string* cache) {
  if (cache->empty()) {
    const Json* r = co_await root();
    std::string collection = link_of(*r, key.c_str());
    if (collection.empty()) throw Failure("BMC " + target_.address + " lists no " + key);
    Reply c = co_await get(collection);
    *cache = first_member(c.body);
    if (cache->empty()) throw Failure("BMC " + target_.address + " has no " + what);
  }
  co_return *cache;
}

fanout::Task<std::string> Client::system_path() { return first_of("Systems", "ComputerSystem", &system_); }
fanout::Task<std::string> Client::manager_path() { return first_of("Managers", "Manager", &manager_); }

// A session when the BMC has a slot for one; Basic auth when it has none (or no sessions at
// all). Wrong credentials are an error either way.
fanout::Task<void> Client::login() {
  const Json* r = co_await root();
  std::string sessions = "/redfish/v1/SessionService/Sessions";
  if (r->contains("Links") && (*r)["Links"].is_object()) {
    std::string l = link_of((*r)["Links"], "Sessions");
    if (!l.empty()) sessions = l;
  }
  HttpRequest req;
  req.method = "POST";
  req.url = base_ + sessions;
  req.body = Json{{"UserName", target_.user}, {"Password", target_.password}}.dump();
  req.send_body = true;
  req.headers.push_back("OData-Version: 4.0");
  req.timeout = options_.timeout;
  req.fresh_connection = fresh_connections_;
  req.trust = &target_.trust;
  HttpResponse resp = co_await send(std::move(req));
  if (resp.status == 401 || resp.status == 403) {
    throw Failure("BMC " + target_.address + " refused the login: wrong user or password", resp.status);
  }
  std::string token = resp.header("x-auth-token");
  if (resp.status / 100 == 2 && !token.empty()) {
    token_ = token;
    session_uri_ = resp.header("location");
    // Location may be absolute; the path is what we call.
    if (auto p = session_uri_.find("/redfish/"); p != std::string::npos) session_uri_ = session_uri_.substr(p);
    if (session_uri_.empty()) {
      Json body = Json::parse(resp.body, nullptr, false);
      if (body.is_object() && body.contains("@odata.id") && body["@odata.id"].is_string()) {
        session_uri_ = body["@odata.id"].get<std::string>();
      }
    }
    logged_in_ = true;
    auth_ = Auth::Session;
  } else {
    auth_ = Auth::Basic;  // no free slot, or no session service
  }
}

fanout::Task<void> Client::close() {
  if (!logged_in_) co_return;
  logged_in_ = false;
  if (session_uri_.empty()) co_return;
  HttpRequest req;
  req.method = "DELETE";
  req.url = base_ + session_uri_;
  req.headers = {"X-Auth-Token: " + token_, "OData-Version: 4.0"};
  req.timeout = options_.timeout;
  req.trust = &target_.trust;
  co_await transport_.send(std::move(req));  // best effort: the slot times out otherwise
}

fanout::Task<Reply> Client::call(std::string method, std::string path, std::optional<Json> body,
                                 std::vector<std::string> headers, std::optional<Auth> auth) {
  bool relogged = false;
  for (int attempt = 0;; ++attempt) {
    bool root_call = path == "/redfish/v1/" || path == "/redfish/v1";
    if (!root_call && !logged_in_ && auth_ == Auth::Session && auth.value_or(Auth::Session) == Auth::Session) {
      co_await login();
    }
    Auth use = root_call ? Auth::Basic : auth.value_or(logged_in_ ? Auth::Session : Auth::Basic);
    HttpResponse r = co_await send(make_request(method, path, body, headers, use));
    if (r.status / 100 == 2) {
      Reply reply;
      reply.status = r.status;
      reply.body = parse_body(r.body, path);
      reply.etag = r.header("etag");
      if (reply.etag.empty() && reply.body.is_object() && reply.body.contains("@odata.etag") &&
          reply.body["@odata.etag"].is_string()) {
        reply.etag = reply.body["@odata.etag"].get<std::string>();
      }
      if (reply.etag == "\"\"") reply.etag.clear();
      reply.location = r.header("location");
      reply.allow = r.header("allow");
      reply.retry_after = r.header("retry-after");
      if (r.status == 202 && !reply.location.empty() && method != "GET") {
        co_return co_await follow_task(reply.location, reply.retry_after);
      }
      co_return reply;
    }
    if (r.status == 401 && use == Auth::Session && !relogged) {  // the session expired
      relogged = true;
      logged_in_ = false;
      session_uri_.clear();
      continue;
    }
    Failure f = failure_of(r, method, path);
    bool transient = r.status >= 500 && (method == "GET" || f.has_id("SYS518"));
    if (transient && attempt < kServerErrorRetries) {
      auto delay = retry_delay(r.header("retry-after"), std::chrono::milliseconds(500 << attempt));
      co_await fanout::sleep_for(loop_, delay);
      continue;
    }
    throw f;
  }
}

fanout::Task<Reply> Client::patch(std::string path, Json body, std::string etag, std::optional<Auth> auth) {
  // The If-Match values to try in turn.
  std::vector<std::string> tags;
  if (!etag.empty()) {
    tags.push_back(etag);
    if (weak(etag)) tags.push_back(etag.substr(2));
  }
  tags.push_back("");
  for (size_t i = 0; i < kPreconditionAttempts; ++i) {
    const std::string tag = i < tags.size() ? tags[i] : "*";
    std::vector<std::string> headers;
    if (!tag.empty()) headers.push_back("If-Match: " + tag);
    try {
      co_return co_await call("PATCH", path, body, headers, auth);
    } catch (const Failure& f) {
      bool precondition = f.status == 412 || f.status == 428;
      if (!precondition || i + 1 >= kPreconditionAttempts) throw;
      if (f.status == 428 && i + 1 < tags.size()) tags.resize(i + 1);  // wants a tag: go to "*"
    }
  }
  throw Failure("PATCH " + path + ": no If-Match value was accepted");
}

fanout::Task<Reply> Client::action(std::string path, Json body, std::optional<Auth> auth) {
  co_return co_await call("POST", path, std::move(body), {}, auth);
}

fanout::Task<Reply> Client::follow_task(std::string monitor, std::string retry_after) {
  if (auto p = monitor.find("/redfish/"); p != std::string::npos) monitor = monitor.substr(p);
  auto deadline = fanout::EventLoop::Clock::now() + options_.task_limit;
  while (true) {
    auto delay = retry_delay(retry_after, std::chrono::milliseconds(1000));
    co_await fanout::sleep_for(loop_, delay);
    Reply r = co_await get(monitor);
    std::string state = r.body.is_object() ? r.body.value("TaskState", "") : "";
    bool running = r.status == 202 || state == "Running" || state == "New" || state == "Starting" ||
                   state == "Pending" || state == "Stopping" || state == "Service";
    if (!running) {
      if (state == "Exception" || state == "Killed" || state == "Cancelled" ||
          (r.body.is_object() && r.body.value("TaskStatus", "OK") == "Critical")) {
        std::string why;
        if (r.body.contains("Messages") && r.body["Messages"].is_array()) {
          for (const Json& m : r.body["Messages"]) {
            if (m.is_object() && m.contains("Message") && m["Message"].is_string()) why = m["Message"].get<std::string>();
          }
        }
        throw Failure("task " + monitor + " ended " + state + (why.empty() ? "" : ": " + why));
      }
      co_return r;
    }
    if (fanout::EventLoop::Clock::now() > deadline) {
      throw Failure(fmt::format("task {} still running after {} s", monitor, options_.task_limit.count()));
    }
    retry_after = r.retry_after;
  }
}

fanout::Task<Reply> Client::upload(std::string path, FormFile file, std::function<void(double)> progress) {
  if (!logged_in_ && auth_ == Auth::Session) co_await login();
  HttpRequest req = make_request("POST", path, std::nullopt, {}, logged_in_ ? Auth::Session : Auth::Basic);
  req.form.push_back(std::move(file));
  req.progress = std::move(progress);
  req.timeout = std::max(req.timeout, std::chrono::milliseconds(600000));  // the whole transfer
  HttpResponse r = co_await send(std::move(req));
  Reply reply;
  reply.status = r.status;
  Json body = Json::parse(r.body, nullptr, false);
  if (r.status / 100 != 2 || (body.is_object() && body.value("return", 0) != 0)) {
    if (r.status / 100 == 2) r.status = 400;
    throw failure_of(r, "POST", path);
  }
  reply.body = body.is_discarded() ? Json() : body;
  co_return reply;
}

}  // namespace confluent::redfish
