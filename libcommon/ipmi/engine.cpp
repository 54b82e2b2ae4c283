#include "ipmi/engine.h"

#include <fmt/format.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <deque>
#include <optional>
#include <random>

#include "base/error.h"
#include "ipmi/crypto.h"
#include "ipmi/endpoint.h"
#include "ipmi/session.h"

namespace confluent::ipmi {

namespace {

using Clock = fanout::EventLoop::Clock;
using std::chrono::milliseconds;

struct Pending {
  Request request;
  Reply reply;
};

std::string phase_name(Session::State state) {
  switch (state) {
    case Session::State::AuthCapabilities:
      return "get channel authentication capabilities";
    case Session::State::OpenSession:
      return "open session";
    case Session::State::Rakp1:
      return "rakp message 1";
    case Session::State::Rakp3:
      return "rakp message 3";
    case Session::State::SetPrivilege:
      return "set session privilege level";
    case Session::State::Closing:
      return "close session";
    default:
      return "a request";
  }
}

}  // namespace

// One BMC: its socket, its session, its queue and its two timers (retransmission and
// deadline). Lives as long as the engine, so that timers and handlers may point at it.
struct Engine::Bmc {
  Engine& engine;
  Target target;
  int fd = -1;
  std::unique_ptr<Session> session;
  std::deque<Pending> queue;
  std::optional<Pending> current;
  bool close_requested = false;
  bool heard_from = false;  // any datagram from the BMC since the session started
  bool failing = false;     // a failure is due on the next loop round: start nothing new
  uint64_t retry_timer = 0;
  uint64_t deadline_timer = 0;
  milliseconds retry_delay{0};
  std::minstd_rand jitter{random_u32()};

  Bmc(Engine& e, Target t) : engine(e), target(std::move(t)) {}

  fanout::EventLoop& loop() { return engine.loop_; }
  bool in_flight() const { return current || !queue.empty() || (session && session->awaiting_response()); }

  void pump();
  void start_session();
  void dispatch(const Bytes& packet);
  void transmit(const Bytes& packet);
  void arm_retry(bool restart);
  void arm_deadline();
  void cancel_timers();
  void on_readable();
  void on_event(SessionEvent& event);
  void on_timeout();
  void fail(const std::string& error);
  void fail_later(const std::string& error);
  bool open_socket(std::string& error);
  void close_socket();
};

void Engine::Bmc::pump() {
  if (failing || (session && session->awaiting_response())) return;
  bool open = session && session->state() == Session::State::Active;
  if (!open) {
    if (!queue.empty()) start_session();
    return;
  }
  if (!queue.empty()) {
    current = std::move(queue.front());
    queue.pop_front();
    const Request& r = current->request;
    dispatch(session->request(r.netfn, r.cmd, Bytes(r.data.begin(), r.data.end())));
  } else if (close_requested) {
    close_requested = false;
    dispatch(session->close());
  }
}

void Engine::Bmc::start_session() {
  std::string error;
  Credentials credentials{target.user, target.password, target.kg, static_cast<uint8_t>(engine.options_.privilege)};
  try {
    session = std::make_unique<Session>(credentials);
  } catch (const Error& e) {
    session.reset();
    return fail_later(e.what());
  }
  if (fd < 0 && !open_socket(error)) {
    session.reset();
    return fail_later(error);
  }
  heard_from = false;
  dispatch(session->start());
}

void Engine::Bmc::dispatch(const Bytes& packet) {
  arm_deadline();
  arm_retry(true);
  transmit(packet);
}

void Engine::Bmc::transmit(const Bytes& packet) {
  if (fd < 0) return;
  if (::send(fd, packet.data(), packet.size(), 0) >= 0 || errno == EAGAIN || errno == EWOULDBLOCK) return;
  // A refused or unroutable destination fails the BMC now; but replies are only ever
  // called from the loop, never from inside send().
  fail_later(fmt::format("cannot send to BMC '{}': {}", target.address, std::strerror(errno)));
}

void Engine::Bmc::arm_retry(bool restart) {
  if (retry_timer) loop().cancel_timer(retry_timer);
  retry_delay = restart ? engine.options_.first_retry : std::min(retry_delay * 2, milliseconds(4000));
  std::uniform_int_distribution<int> spread(90, 110);
  auto delay = retry_delay * spread(jitter) / 100;
  retry_timer = loop().add_timer(Clock::now() + delay, [this] {
    retry_timer = 0;
    if (!session || !session->awaiting_response()) return;
    arm_retry(false);
    ++engine.stats_.retransmissions;
    transmit(session->retransmit());
  });
}

void Engine::Bmc::arm_deadline() {
  if (deadline_timer) return;  // one deadline covers the session opening and the first request
  deadline_timer = loop().add_timer(Clock::now() + engine.options_.timeout, [this] {
    deadline_timer = 0;
    on_timeout();
  });
}

void Engine::Bmc::cancel_timers() {
  if (retry_timer) loop().cancel_timer(retry_timer);
  if (deadline_timer) loop().cancel_timer(deadline_timer);
  retry_timer = deadline_timer = 0;
}

void Engine::Bmc::on_timeout() {
  if (!session) return;
  double seconds = std::chrono::duration<double>(engine.options_.timeout).count();
  if (session->state() == Session::State::Closing) {  // best effort: nobody waits for a close
    cancel_timers();
    session.reset();
    close_socket();
    pump();
  } else if (!heard_from) {
    fail(fmt::format("no answer from BMC '{}' within {:g} s", target.address, seconds));
  } else {
    fail(fmt::format("BMC '{}' stopped answering during {} (timeout {:g} s)", target.address,
                     phase_name(session->state()), seconds));
  }
}

void Engine::Bmc::on_readable() {
  uint8_t buffer[2048];
  while (fd >= 0) {
    ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return;
      if (errno == ECONNREFUSED) {
        return fail(fmt::format("BMC '{}' refused the connection (nothing listens on its port)", target.address));
      }
      return fail(fmt::format("cannot receive from BMC '{}': {}", target.address, std::strerror(errno)));
    }
    if (!session) continue;
    SessionEvent event = session->receive(buffer, static_cast<size_t>(n));
    if (event.kind != SessionEvent::Kind::None) heard_from = true;
    on_event(event);
  }
}

void Engine::Bmc::on_event(SessionEvent& event) {
  switch (event.kind) {
    case SessionEvent::Kind::None:
      return;
    case SessionEvent::Kind::Send:
      arm_retry(true);
      return transmit(event.packet);
    case SessionEvent::Kind::Ready:  // the deadline goes on: it covers the first request too
      if (retry_timer) loop().cancel_timer(retry_timer);
      retry_timer = 0;
      ++engine.stats_.sessions_opened;
      return pump();
    case SessionEvent::Kind::Response: {
      cancel_timers();
      std::optional<Pending> done = std::move(current);
      current.reset();
      Response response{event.completion_code, std::vector<uint8_t>(event.data.begin(), event.data.end())};
      if (done) done->reply(&response, "");
      return pump();
    }
    case SessionEvent::Kind::Closed:
      ++engine.stats_.sessions_closed;
      cancel_timers();
      session.reset();
      close_socket();
      return pump();
    case SessionEvent::Kind::Failed:
      return fail(event.error);
  }
}

void Engine::Bmc::fail(const std::string& error) {
  failing = false;
  cancel_timers();
  session.reset();
  close_socket();
  close_requested = false;
  std::vector<Pending> failed;
  if (current) failed.push_back(std::move(*current));
  current.reset();
  for (auto& p : queue) failed.push_back(std::move(p));
  queue.clear();
  // Replies may queue new requests for this BMC: those start afresh.
  for (auto& p : failed) p.reply(nullptr, error);
}

void Engine::Bmc::fail_later(const std::string& error) {
  failing = true;
  cancel_timers();
  session.reset();
  close_socket();
  deadline_timer = loop().add_timer(Clock::now(), [this, error] {
    deadline_timer = 0;
    fail(error);
  });
}

bool Engine::Bmc::open_socket(std::string& error) {
  Endpoint endpoint;
  try {
    endpoint = parse_endpoint(target.address);
  } catch (const Error& e) {
    error = e.what();
    return false;
  }
  if (engine.open_sockets_ + 16 > engine.socket_limit_) {
    engine.socket_limit_ = fanout::ensure_open_files(std::max<size_t>(1024, engine.open_sockets_ * 2 + 64));
  }
  fd = open_bmc_socket(endpoint, error);
  if (fd < 0) return false;
  ++engine.open_sockets_;
  loop().add(fd, EPOLLIN, [this](uint32_t) { on_readable(); });
  return true;
}

void Engine::Bmc::close_socket() {
  if (fd < 0) return;
  loop().remove(fd);
  ::close(fd);
  fd = -1;
  --engine.open_sockets_;
}

Engine::Engine(fanout::EventLoop& loop, EngineOptions options) : loop_(loop), options_(options) {}

Engine::~Engine() {
  for (auto& [key, bmc] : bmcs_) {
    bmc->cancel_timers();
    bmc->close_socket();
  }
}

void Engine::send(const Target& target, Request request, Reply reply) {
  std::string key = target.address + '\n' + target.user + '\n' + target.password + '\n' + target.kg;
  auto& bmc = bmcs_[key];
  if (!bmc) bmc = std::make_unique<Bmc>(*this, target);
  bmc->queue.push_back(Pending{std::move(request), std::move(reply)});
  bmc->pump();
}

void Engine::close_all() {
  for (auto& [key, bmc] : bmcs_) {
    if (!bmc->session) continue;
    bmc->close_requested = true;
    bmc->pump();
  }
}

bool Engine::busy() const {
  return std::any_of(bmcs_.begin(), bmcs_.end(), [](const auto& entry) {
    const Bmc& bmc = *entry.second;
    return bmc.in_flight() || bmc.deadline_timer != 0;
  });
}

}  // namespace confluent::ipmi
