#include "redfish/http.h"

#include <curl/curl.h>
#include <fmt/format.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <sys/epoll.h>

#include <algorithm>
#include <cctype>
#include <unordered_set>

#include "base/error.h"
#include "base/strings.h"

namespace confluent::redfish {

namespace {

std::string digest_hex(const EVP_MD* md, const unsigned char* der, size_t size) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(der, size, out, &len, md, nullptr);
  return to_hex(out, len);
}

// Index of the TlsTrust pointer in each connection's SSL_CTX.
int trust_index() {
  static int index = SSL_CTX_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
  return index;
}

std::string short_print(const std::string& fp) {
  return fp.size() > 40 ? fp.substr(0, 40) + "..." : fp;
}

// OpenSSL's verdict on each certificate of the chain; the leaf (depth 0) is judged here.
int verify_certificate(int preverify_ok, X509_STORE_CTX* store) {
  SSL* ssl = static_cast<SSL*>(X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx()));
  auto* trust = static_cast<TlsTrust*>(SSL_CTX_get_ex_data(SSL_get_SSL_CTX(ssl), trust_index()));
  if (trust == nullptr) return 0;
  using Policy = TlsTrust::Policy;
  bool ca_policy = trust->policy == Policy::Ca || trust->policy == Policy::CaOnly;
  if (X509_STORE_CTX_get_error_depth(store) != 0) return ca_policy ? preverify_ok : 1;

  unsigned char* der = nullptr;
  int size = i2d_X509(X509_STORE_CTX_get_current_cert(store), &der);
  if (size <= 0) return 0;
  trust->presented = fingerprint(der, static_cast<size_t>(size));
  bool matches = !trust->pinned.empty() && fingerprint_matches(trust->pinned, der, static_cast<size_t>(size));
  OPENSSL_free(der);
  trust->refusal.clear();
  trust->learned = false;

  if (ca_policy && preverify_ok) {
    trust->learned = trust->policy == Policy::Ca && !matches;
    return 1;
  }
  if (trust->policy == Policy::CaOnly) {
    trust->refusal = std::string("certificate is not signed by a trusted CA (pubkeys.addpolicy=ca-only): ") +
                     X509_verify_cert_error_string(X509_STORE_CTX_get_error(store));
    return 0;
  }
  if (trust->pinned.empty()) {
    if (trust->policy == Policy::Tofu) {
      trust->learned = true;
      return 1;
    }
    trust->refusal = "certificate " + short_print(trust->presented) +
                     " is not pinned and pubkeys.addpolicy does not allow adding it; set "
                     "pubkeys.tls_hardwaremanager to accept it";
    return 0;
  }
  if (matches) return 1;
  trust->refusal = "certificate changed: pinned " + short_print(trust->pinned) + ", presented " +
                   short_print(trust->presented) +
                   " (if the BMC certificate was replaced on purpose, clear pubkeys.tls_hardwaremanager)";
  return 0;
}

CURLcode on_ssl_context(CURL*, void* ssl_ctx, void* user) {
  auto* ctx = static_cast<SSL_CTX*>(ssl_ctx);
  SSL_CTX_set_ex_data(ctx, trust_index(), user);
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, verify_certificate);
  return CURLE_OK;
}

struct CurlGlobal {
  CurlGlobal() { curl_global_init(CURL_GLOBAL_DEFAULT); }
};

}  // namespace

TlsTrust::Policy parse_policy(const std::string& text) {
  if (text.empty() || text == "tofu") return TlsTrust::Policy::Tofu;
  if (text == "manual") return TlsTrust::Policy::Manual;
  if (text == "ca") return TlsTrust::Policy::Ca;
  if (text == "ca-only") return TlsTrust::Policy::CaOnly;
  throw Error(ErrorKind::Invalid, "pubkeys.addpolicy '" + text + "' is not one of tofu, manual, ca, ca-only");
}

std::string fingerprint(const unsigned char* der, size_t size) {
  return "sha512$" + digest_hex(EVP_sha512(), der, size);
}

bool fingerprint_matches(const std::string& text, const unsigned char* der, size_t size) {
  auto dollar = text.find('$');
  if (dollar == std::string::npos) return false;
  std::string algo = to_lower(text.substr(0, dollar));
  std::string want = to_lower(text.substr(dollar + 1));
  want.erase(std::remove(want.begin(), want.end(), ':'), want.end());
  const EVP_MD* md = algo == "sha512" ? EVP_sha512() : algo == "sha384" ? EVP_sha384() : algo == "sha256" ? EVP_sha256()
                                                                                                            : nullptr;
  return md != nullptr && digest_hex(md, der, size) == want;
}

struct Transport::Impl {
  struct Pending {
    CURL* easy = nullptr;
    curl_slist* headers = nullptr;
    curl_mime* mime = nullptr;
    HttpRequest request;
    HttpResponse response;
    std::function<void(HttpResponse)> done;
    char error[CURL_ERROR_SIZE] = {};
    bool saw_status = false;
  };

  fanout::EventLoop& loop;
  CURLM* multi = nullptr;
  uint64_t timer = 0;
  bool timer_set = false;
  std::unordered_set<int> sockets;
  std::unordered_set<Pending*> pending;

  explicit Impl(fanout::EventLoop& l) : loop(l) {
    static CurlGlobal global;
    multi = curl_multi_init();
    if (multi == nullptr) throw Error(ErrorKind::Runtime, "curl_multi_init failed");
    curl_multi_setopt(multi, CURLMOPT_SOCKETFUNCTION, &Impl::on_socket);
    curl_multi_setopt(multi, CURLMOPT_SOCKETDATA, this);
    curl_multi_setopt(multi, CURLMOPT_TIMERFUNCTION, &Impl::on_timer);
    curl_multi_setopt(multi, CURLMOPT_TIMERDATA, this);
  }

  ~Impl() {
    for (Pending* p : pending) {
      curl_multi_remove_handle(multi, p->easy);
      release(p);
    }
    for (int fd : sockets) loop.remove(fd);
    if (timer_set) loop.cancel_timer(timer);
    curl_multi_cleanup(multi);
  }

  static void release(Pending* p) {
    curl_easy_cleanup(p->easy);
    curl_slist_free_all(p->headers);
    if (p->mime) curl_mime_free(p->mime);
    delete p;
  }

  static int on_socket(CURL*, curl_socket_t fd, int what, void* self_ptr, void*) {
    auto* self = static_cast<Impl*>(self_ptr);
    if (what == CURL_POLL_REMOVE) {
      if (self->sockets.erase(fd)) self->loop.remove(fd);
      return 0;
    }
    uint32_t events = (what & CURL_POLL_IN ? uint32_t{EPOLLIN} : 0u) | (what & CURL_POLL_OUT ? uint32_t{EPOLLOUT} : 0u);
    if (self->sockets.count(fd)) {
      self->loop.modify(fd, events);
    } else {
      self->sockets.insert(fd);
      self->loop.add(fd, events, [self, fd](uint32_t ev) {
        int flags = (ev & EPOLLIN ? CURL_CSELECT_IN : 0) | (ev & EPOLLOUT ? CURL_CSELECT_OUT : 0) |
                    (ev & (EPOLLERR | EPOLLHUP) ? CURL_CSELECT_ERR : 0);
        int running = 0;
        curl_multi_socket_action(self->multi, fd, flags, &running);
        self->finish_done();
      });
    }
    return 0;
  }

  static int on_timer(CURLM*, long timeout_ms, void* self_ptr) {
    auto* self = static_cast<Impl*>(self_ptr);
    if (self->timer_set) self->loop.cancel_timer(self->timer);
    self->timer_set = false;
    if (timeout_ms < 0) return 0;
    self->timer_set = true;
    self->timer = self->loop.add_timer(fanout::EventLoop::Clock::now() + std::chrono::milliseconds(timeout_ms), [self] {
      self->timer_set = false;
      int running = 0;
      curl_multi_socket_action(self->multi, CURL_SOCKET_TIMEOUT, 0, &running);
      self->finish_done();
    });
    return 0;
  }

  static size_t on_body(char* data, size_t size, size_t count, void* user) {
    static_cast<Pending*>(user)->response.body.append(data, size * count);
    return size * count;
  }

  static size_t on_header(char* data, size_t size, size_t count, void* user) {
    auto* p = static_cast<Pending*>(user);
    std::string line(data, size * count);
    if (line.rfind("HTTP/", 0) == 0) {  // a new answer (after 100 Continue or a redirect)
      p->response.headers.clear();
      p->saw_status = true;
      return size * count;
    }
    auto colon = line.find(':');
    if (colon != std::string::npos) p->response.headers[to_lower(trim(line.substr(0, colon)))] = std::string(trim(line.substr(colon + 1)));
    return size * count;
  }

  static int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t ultotal, curl_off_t ulnow) {
    auto* p = static_cast<Pending*>(user);
    if (p->request.progress && ultotal > 0) p->request.progress(static_cast<double>(ulnow) / static_cast<double>(ultotal));
    return 0;
  }

  void start(HttpRequest request, std::function<void(HttpResponse)> done) {
    auto* p = new Pending;
    p->request = std::move(request);
    p->done = std::move(done);
    CURL* e = p->easy = curl_easy_init();
    const HttpRequest& r = p->request;
    curl_easy_setopt(e, CURLOPT_URL, r.url.c_str());
    curl_easy_setopt(e, CURLOPT_PRIVATE, p);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, p->error);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, &Impl::on_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, p);
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, &Impl::on_header);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, p);
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, static_cast<long>(r.timeout.count()));
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(r.timeout.count()));
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, r.method.c_str());
    if (r.method == "GET") curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
    if (r.fresh_connection) {
      curl_easy_setopt(e, CURLOPT_FRESH_CONNECT, 1L);
      curl_easy_setopt(e, CURLOPT_FORBID_REUSE, 1L);
    }
    p->headers = curl_slist_append(p->headers, "Accept: application/json");
    p->headers = curl_slist_append(p->headers, "Expect:");
    for (const auto& h : r.headers) p->headers = curl_slist_append(p->headers, h.c_str());
    if (!r.form.empty()) {
      p->mime = curl_mime_init(e);
      for (const auto& f : r.form) {
        curl_mimepart* part = curl_mime_addpart(p->mime);
        curl_mime_name(part, f.field.c_str());
        curl_mime_filedata(part, f.path.c_str());
        curl_mime_filename(part, f.filename.c_str());
      }
      curl_easy_setopt(e, CURLOPT_MIMEPOST, p->mime);
      curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, r.method.c_str());
    } else if (r.send_body) {
      p->headers = curl_slist_append(p->headers, "Content-Type: application/json");
      curl_easy_setopt(e, CURLOPT_POSTFIELDS, r.body.c_str());
      curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE, static_cast<long>(r.body.size()));
    } else if (r.method == "POST" || r.method == "PATCH") {
      curl_easy_setopt(e, CURLOPT_POSTFIELDS, "");
      curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE, 0L);
    }
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, p->headers);
    if (!r.user.empty()) {
      curl_easy_setopt(e, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
      curl_easy_setopt(e, CURLOPT_USERNAME, r.user.c_str());
      curl_easy_setopt(e, CURLOPT_PASSWORD, r.password.c_str());
    }
    if (r.progress) {
      curl_easy_setopt(e, CURLOPT_NOPROGRESS, 0L);
      curl_easy_setopt(e, CURLOPT_XFERINFOFUNCTION, &Impl::on_progress);
      curl_easy_setopt(e, CURLOPT_XFERINFODATA, p);
    }
    if (r.trust != nullptr) {
      bool ca = r.trust->policy == TlsTrust::Policy::Ca || r.trust->policy == TlsTrust::Policy::CaOnly;
      // The chain is judged by verify_certificate(); OpenSSL reports to it either way.
      curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, ca ? 1L : 0L);
      curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 0L);
      if (ca && !r.trust->ca_file.empty()) curl_easy_setopt(e, CURLOPT_CAINFO, r.trust->ca_file.c_str());
      curl_easy_setopt(e, CURLOPT_SSL_CTX_FUNCTION, &on_ssl_context);
      curl_easy_setopt(e, CURLOPT_SSL_CTX_DATA, r.trust);
      // A resumed TLS session skips the certificate: every handshake must show it.
      curl_easy_setopt(e, CURLOPT_SSL_SESSIONID_CACHE, 0L);
    } else if (r.url.rfind("https:", 0) == 0) {
      throw Error(ErrorKind::Runtime, "https request without a trust policy: " + r.url);
    }
    pending.insert(p);
    curl_multi_add_handle(multi, e);
  }

  // Hands every finished transfer to its continuation (after curl is done with them).
  void finish_done() {
    std::vector<std::pair<Pending*, CURLcode>> finished;
    int left = 0;
    while (CURLMsg* msg = curl_multi_info_read(multi, &left)) {
      if (msg->msg != CURLMSG_DONE) continue;
      Pending* p = nullptr;
      curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &p);
      finished.emplace_back(p, msg->data.result);
    }
    for (auto [p, code] : finished) {
      curl_multi_remove_handle(multi, p->easy);
      pending.erase(p);
      HttpResponse response = std::move(p->response);
      if (code == CURLE_OK) {
        curl_easy_getinfo(p->easy, CURLINFO_RESPONSE_CODE, &response.status);
      } else {
        response.status = 0;
        response.headers.clear();
        response.body.clear();
        if (p->request.trust != nullptr && !p->request.trust->refusal.empty()) {
          response.error = p->request.trust->refusal;
        } else if (code == CURLE_OPERATION_TIMEDOUT) {
          response.error = fmt::format("timed out after {:g} s", p->request.timeout.count() / 1000.0);
        } else {
          response.error = p->error[0] ? p->error : curl_easy_strerror(code);
        }
        response.connection_lost = code == CURLE_GOT_NOTHING || code == CURLE_RECV_ERROR || code == CURLE_SEND_ERROR ||
                                   (code == CURLE_PARTIAL_FILE && p->saw_status);
      }
      auto done = std::move(p->done);
      release(p);
      done(std::move(response));
    }
  }
};

Transport::Transport(fanout::EventLoop& loop) : impl_(std::make_unique<Impl>(loop)) {}
Transport::~Transport() = default;

void Transport::start(HttpRequest request, std::function<void(HttpResponse)> done) {
  impl_->start(std::move(request), std::move(done));
}

bool Transport::busy() const { return !impl_->pending.empty(); }

}  // namespace confluent::redfish
