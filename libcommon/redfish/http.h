#pragma once
// HTTP(S) for many BMCs at once: libcurl's multi interface driven by the fan-out event loop,
// keep-alive per BMC, a timeout on every request, and BMC certificates checked against the
// fingerprint pinned for the node (pubkeys.tls_hardwaremanager) during the handshake, before
// any credential is sent.
#include <chrono>
#include <coroutine>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "fanout/event_loop.h"

namespace confluent::redfish {

// What a node's BMC certificate must be (pubkeys.addpolicy and pubkeys.tls_hardwaremanager),
// and what the handshakes saw.
struct TlsTrust {
  enum class Policy {
    Tofu,    // no pin: accept and learn it; pinned: must match (the default)
    Manual,  // no pin: refuse; pinned: must match
    Ca,      // signed by a trusted CA: accept (and learn); otherwise as manual
    CaOnly,  // must be signed by a trusted CA; pins are not consulted
  };
  Policy policy = Policy::Tofu;
  std::string pinned;   // "sha512$<hex>" (or sha256$/sha384$), empty when none
  std::string ca_file;  // trusted CAs for Ca/CaOnly; empty: the system's store

  // Filled in by handshakes.
  std::string presented;  // "sha512$<hex>" of the last certificate seen
  std::string refusal;    // why the last handshake was refused, empty if it was not
  bool learned = false;   // presented is new and acceptable: the caller should pin it
};

// Parses tofu/manual/ca/ca-only (empty: tofu); throws an Invalid error otherwise.
TlsTrust::Policy parse_policy(const std::string& text);
// "sha512$<hex>" of a DER certificate.
std::string fingerprint(const unsigned char* der, size_t size);
// True when `fingerprint_text` ("algo$hex", algo sha256/sha384/sha512) names `der`.
bool fingerprint_matches(const std::string& fingerprint_text, const unsigned char* der, size_t size);

struct FormFile {
  std::string field;     // form field name ("file")
  std::string path;      // local file to send
  std::string filename;  // name given to the server
};

struct HttpRequest {
  std::string method = "GET";
  std::string url;
  std::vector<std::string> headers;  // "Name: value"
  std::string body;
  bool send_body = false;       // send `body` (even empty) with Content-Type: application/json
  std::string user, password;   // Basic authentication when user is not empty
  std::vector<FormFile> form;   // multipart/form-data upload instead of `body`
  std::chrono::milliseconds timeout{5000};
  bool fresh_connection = false;  // do not reuse a kept-alive connection
  TlsTrust* trust = nullptr;      // required for https
  std::function<void(double fraction)> progress;  // upload progress (0..1), when set
};

struct HttpResponse {
  long status = 0;         // 0: the request failed before an answer (see error)
  std::string error;       // transport failure, empty when an answer came
  bool connection_lost = false;  // failed on a connection that was reused or dropped mid-way
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;

  std::string header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? std::string() : it->second;
  }
};

class Transport {
 public:
  explicit Transport(fanout::EventLoop& loop);
  ~Transport();
  Transport(const Transport&) = delete;
  Transport& operator=(const Transport&) = delete;

  // Starts `request`; `done` runs from the event loop when it ends (answered, failed or
  // timed out), never from inside start().
  void start(HttpRequest request, std::function<void(HttpResponse)> done);
  bool busy() const;

  struct Awaiter {
    Transport& transport;
    HttpRequest request;
    HttpResponse response;
    bool await_ready() const noexcept { return false; }
    void await_suspend(std::coroutine_handle<> h) {
      transport.start(std::move(request), [this, h](HttpResponse r) {
        response = std::move(r);
        h.resume();
      });
    }
    HttpResponse await_resume() { return std::move(response); }
  };
  // co_await transport.send(request)
  Awaiter send(HttpRequest request) { return Awaiter{*this, std::move(request), {}}; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace confluent::redfish
