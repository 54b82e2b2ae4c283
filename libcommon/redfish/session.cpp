// Power and boot override over Redfish (media is in media.cpp).
#include <fmt/format.h>

#include <algorithm>

#include "redfish/client.h"

namespace confluent::redfish {

namespace {

std::vector<std::string> strings_of(const Json& j, const char* key) {
  std::vector<std::string> out;
  if (j.is_object() && j.contains(key) && j[key].is_array()) {
    for (const Json& v : j[key]) {
      if (v.is_string()) out.push_back(v.get<std::string>());
    }
  }
  return out;
}

bool contains(const std::vector<std::string>& list, const std::string& v) {
  return std::find(list.begin(), list.end(), v) != list.end();
}

// ResetType values to try for each kind, most specific first; the first the BMC allows wins.
std::vector<std::string> reset_candidates(ResetKind kind) {
  switch (kind) {
    case ResetKind::On: return {"On", "ForceOn", "PushPowerButton"};
    case ResetKind::ForceOff: return {"ForceOff", "GracefulShutdown"};
    case ResetKind::GracefulShutdown: return {"GracefulShutdown", "PushPowerButton"};
    case ResetKind::ForceRestart: return {"ForceRestart", "PowerCycle", "GracefulRestart"};
  }
  return {};
}

// The first ResetType for `kind` that the BMC allows (any, when it lists none).
std::string pick_reset(ResetKind kind, const std::vector<std::string>& allowed, const std::string& address) {
  auto candidates = reset_candidates(kind);
  if (allowed.empty()) return candidates.front();
  for (const auto& c : candidates) {
    if (contains(allowed, c)) return c;
  }
  throw Failure(fmt::format("BMC {} offers no reset for this (it allows {})", address, fmt::join(allowed, ", ")));
}

}  // namespace

Session::Session(fanout::EventLoop& loop, Transport& transport, Target target, const ClientOptions& options)
    : client_(std::make_unique<Client>(loop, transport, target, options)) {}

Session::~Session() = default;

const Target& Session::target() const { return client_->target(); }

fanout::Task<void> Session::close() { co_await client_->close(); }

fanout::Task<bool> Session::powered_on() {
  std::string system = co_await client_->system_path();
  Reply r = co_await client_->get(system);
  std::string state = r.body.is_object() ? r.body.value("PowerState", "") : "";
  if (state.empty()) throw Failure("BMC " + client_->target().address + " reports no PowerState for " + system);
  co_return state == "On" || state == "PoweringOn" || state == "Paused";
}

fanout::Task<void> Session::reset(ResetKind kind) {
  std::string system = co_await client_->system_path();
  Reply r = co_await client_->get(system);
  const Json* reset = nullptr;
  if (r.body.contains("Actions") && r.body["Actions"].is_object() && r.body["Actions"].contains("#ComputerSystem.Reset")) {
    reset = &r.body["Actions"]["#ComputerSystem.Reset"];
  }
  std::string target = system + "/Actions/ComputerSystem.Reset";
  std::vector<std::string> allowed;
  if (reset != nullptr && reset->is_object()) {
    target = reset->value("target", target);
    allowed = strings_of(*reset, "ResetType@Redfish.AllowableValues");
  }
  std::string type = pick_reset(kind, allowed, client_->target().address);
  // (Json bodies are built before co_await: GCC 12 cannot keep brace-initialised JSON
  // temporaries across a suspension.)
  Json body = Json::object();
  body["ResetType"] = type;
  co_await client_->action(target, std::move(body));
}

fanout::Task<BootOverride> Session::boot_override() {
  std::string system = co_await client_->system_path();
  Reply r = co_await client_->get(system);
  BootOverride b;
  if (!r.body.contains("Boot") || !r.body["Boot"].is_object()) co_return b;
  const Json& boot = r.body["Boot"];
  std::string enabled = boot.value("BootSourceOverrideEnabled", "Disabled");
  b.enabled = enabled == "Once" || enabled == "Continuous";
  b.persistent = enabled == "Continuous";
  b.target = boot.value("BootSourceOverrideTarget", "None");
  b.mode = boot.value("BootSourceOverrideMode", "");
  if (boot.contains("HttpBootUri") && boot["HttpBootUri"].is_string()) b.uri = boot["HttpBootUri"].get<std::string>();
  co_return b;
}

namespace {

// The BMC's name for what was asked: Cd is UsbCd on Supermicro, and so on.
std::string pick_target(const std::string& wanted, const std::vector<std::string>& allowed) {
  if (allowed.empty() || contains(allowed, wanted)) return wanted;
  static const std::vector<std::pair<std::string, std::vector<std::string>>> aliases{
      {"Cd", {"UsbCd", "Dvd"}}, {"Hdd", {"UsbHdd", "SDCard"}}, {"Pxe", {"UefiHttp"}}};
  for (const auto& [name, alternatives] : aliases) {
    if (name != wanted) continue;
    for (const auto& a : alternatives) {
      if (contains(allowed, a)) return a;
    }
  }
  throw Failure(fmt::format("the BMC cannot boot from {} (it offers {})", wanted, fmt::join(allowed, ", ")));
}

}  // namespace

fanout::Task<void> Session::set_boot(BootOverride wanted) {
  std::string system = co_await client_->system_path();
  auto deadline = fanout::EventLoop::Clock::now() + std::chrono::seconds(client_->traits().busy_in_post_seconds);
  bool full = client_->traits().boot_full_triple;
  for (int attempt = 0; attempt < 30; ++attempt) {
    Reply r = co_await client_->get(system);
    const Json boot = r.body.is_object() && r.body.contains("Boot") ? r.body["Boot"] : Json::object();
    std::string target =
        wanted.enabled ? pick_target(wanted.target, strings_of(boot, "BootSourceOverrideTarget@Redfish.AllowableValues"))
                       : std::string("None");
    std::string enabled = !wanted.enabled ? "Disabled" : wanted.persistent ? "Continuous" : "Once";
    Json patch = Json::object();
    patch["BootSourceOverrideTarget"] = target;
    // Some BMCs refuse a BootSourceOverrideEnabled that does not change; others (Supermicro,
    // AMI) need all three every time.
    if (full || boot.value("BootSourceOverrideEnabled", "") != enabled) patch["BootSourceOverrideEnabled"] = enabled;
    if (!wanted.mode.empty() && boot.contains("BootSourceOverrideMode") &&
        (full || boot.value("BootSourceOverrideMode", "") != wanted.mode)) {
      patch["BootSourceOverrideMode"] = wanted.mode;
    }
    if (target == "UefiHttp" && !wanted.uri.empty()) patch["HttpBootUri"] = wanted.uri;
    bool wait = false;
    Json body = Json::object();
    body["Boot"] = patch;
    try {
      co_await client_->patch(system, std::move(body), r.etag);
      co_return;
    } catch (const Failure& f) {
      if (f.has_id("UnableToModifyDuringSystemPOST") && fanout::EventLoop::Clock::now() < deadline) {
        wait = true;  // iLO while the system is in POST: ask again shortly
      } else if (!full && f.has_id("PropertyMissing")) {
        full = true;  // this BMC wants the whole triple
      } else {
        throw;
      }
    }
    if (wait) co_await fanout::sleep_for(client_->loop(), std::chrono::milliseconds(500));
  }
  throw Failure("the BMC kept refusing the boot override");
}

}  // namespace confluent::redfish
