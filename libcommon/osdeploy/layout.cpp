#include "osdeploy/layout.h"

#include "base/paths.h"

namespace confluent::osdeploy {

fs::path lib_dir() { return state_path("var/lib/confluent"); }
fs::path distributions_dir() { return lib_dir() / "distributions"; }
fs::path public_dir() { return lib_dir() / "public"; }
fs::path site_dir() { return public_dir() / "site"; }
fs::path profiles_dir() { return public_dir() / "os"; }
fs::path private_dir() { return lib_dir() / "private"; }

fs::path templates_dir() { return data_dir("osdeploy", "CONFLUENT_OSDEPLOY_TEMPLATES"); }

fs::path diskless_templates_dir(const std::string& category) { return templates_dir() / (category + "-diskless"); }

}  // namespace confluent::osdeploy
