#pragma once
// Where deployment content lives, all under the state root ($CONFLUENT_ROOT):
//   var/lib/confluent/distributions/<osname>/     extracted media (+ distinfo.yaml)
//   var/lib/confluent/public/site/                site content (initramfs.cpio, tls/, ssh/...)
//   var/lib/confluent/public/os/<profile>/        deployment profiles
//   var/lib/confluent/private/identity_images/    per-node identity images
// and where the stock profile templates that ship with the project are.
#include <filesystem>
#include <functional>
#include <string>

namespace confluent::osdeploy {

namespace fs = std::filesystem;

fs::path lib_dir();            // var/lib/confluent
fs::path distributions_dir();  // var/lib/confluent/distributions
fs::path public_dir();         // var/lib/confluent/public
fs::path site_dir();           // var/lib/confluent/public/site
fs::path profiles_dir();       // var/lib/confluent/public/os
fs::path private_dir();        // var/lib/confluent/private

// The stock templates: $CONFLUENT_OSDEPLOY_TEMPLATES, else <dir of the running
// executable>/../share/confluent-cpp/osdeploy (the build tree and installs both have it).
// Layout: <category>/profiles/<name>/... and <category>/initramfs/...
fs::path templates_dir();
// templates_dir()/<category>-diskless: what makes the category's images boot diskless
// (initramfs-tools or dracut pieces, the default profile of image profiles).
fs::path diskless_templates_dir(const std::string& category);

// Progress of long steps: phase ("copying") and percent; silent unless set.
using Progress = std::function<void(const std::string& phase, double percent)>;

}  // namespace confluent::osdeploy
