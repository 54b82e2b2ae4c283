#include "osdeploy/layout.h"

#include <unistd.h>

#include <cstdlib>

#include "base/paths.h"

namespace confluent::osdeploy {

fs::path lib_dir() { return state_path("var/lib/confluent"); }
fs::path distributions_dir() { return lib_dir() / "distributions"; }
fs::path public_dir() { return lib_dir() / "public"; }
fs::path site_dir() { return public_dir() / "site"; }
fs::path profiles_dir() { return public_dir() / "os"; }
fs::path private_dir() { return lib_dir() / "private"; }

fs::path templates_dir() {
  if (const char* env = std::getenv("CONFLUENT_OSDEPLOY_TEMPLATES"); env != nullptr && *env != '\0') return env;
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return "/usr/share/confluent-cpp/osdeploy";
  return (exe.parent_path().parent_path() / "share/confluent-cpp/osdeploy").lexically_normal();
}

}  // namespace confluent::osdeploy
