#pragma once
// Redfish for the BMC layer: one Session per node, its operations written as coroutines on
// the shared event loop and transport. Vendor differences stay inside this module.
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "fanout/task.h"
#include "redfish/http.h"

namespace confluent::redfish {

struct Target {
  std::string node;
  std::string address;  // host, host:port or [v6]:port (https, port 443 by default)
  std::string user;
  std::string password;
  TlsTrust trust;
};

struct ClientOptions {
  std::chrono::milliseconds timeout{5000};  // per request
  std::chrono::seconds task_limit{300};     // how long a task monitor may run
};

enum class ResetKind { On, ForceOff, GracefulShutdown, ForceRestart };

struct BootOverride {
  std::string target = "None";  // Redfish BootSourceOverrideTarget: Pxe, Cd, Hdd, BiosSetup, UefiHttp...
  bool enabled = false;         // false: no override (Disabled)
  bool persistent = false;      // Continuous rather than Once
  std::string mode;             // UEFI, Legacy, or empty to leave it
  std::string uri;              // HttpBootUri for UefiHttp
};

struct MediaItem {
  std::string slot;
  std::string image;  // URL, or file:... for uploaded images
  std::string name;   // ImageName or the URL's last component
};

class Client;

class Session {
 public:
  Session(fanout::EventLoop& loop, Transport& transport, Target target, const ClientOptions& options);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  const Target& target() const;

  fanout::Task<bool> powered_on();
  fanout::Task<void> reset(ResetKind kind);

  fanout::Task<BootOverride> boot_override();
  fanout::Task<void> set_boot(BootOverride wanted);

  fanout::Task<std::vector<MediaItem>> media();
  fanout::Task<void> attach(std::string url);
  fanout::Task<void> detach_all();
  // True when the BMC takes uploads itself (Lenovo XCC).
  fanout::Task<bool> can_upload();
  fanout::Task<void> upload(std::string path, std::function<void(double)> progress);

  // Logs out; never throws.
  fanout::Task<void> close();

 private:
  std::unique_ptr<Client> client_;
};

}  // namespace confluent::redfish
