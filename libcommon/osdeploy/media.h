#pragma once
// OS install media: read with libarchive (no mount, no root), fingerprinted as confluent's
// osdeploy import does, and extracted into distributions/<name>.
#include <cstdint>
#include <string>
#include <vector>

#include "osdeploy/layout.h"

namespace confluent::osdeploy {

struct MediaInfo {
  std::string distro;    // rhel, rocky, alma, centos_stream, fedora, ubuntu, sle, opensuse_leap,
                         // debian, esxi, rhcos, fedoracoreos ...
  std::string version;   // 9.4, 22.04.4, 15.5, 12.5, 8.0U2 ...
  std::string arch;      // x86_64, aarch64
  std::string category;  // el9, ubuntu22.04, suse15, debian, esxi8, coreos ...
  std::string name;      // <distro>-<version>-<arch>, the distribution's directory name
  // How to extract: "full" (everything but TRANS.TBL), or "ubuntu" (only casper kernels,
  // initrds and the EFI loaders, plus the whole ISO copied to install.iso).
  std::string method = "full";
};

// Reads `iso` and names what it holds. Throws confluent::Error: NotFound when the file is
// missing, Invalid "Unsupported Media" when nothing matches, Invalid "<iso>: not a
// readable ISO image (...)" when it is corrupt or truncated.
MediaInfo identify(const fs::path& iso);

// Extracts `iso` per info.method into `dest` (which must not exist: Invalid "<dest> already
// exists"), directories 0755 and files 0644, writing dest/distinfo.yaml. Works in a temporary
// sibling directory renamed into place at the end, so a failure leaves nothing behind.
// `progress` gets ("copying", percent of bytes) at most every 0.1 s, then ("complete", 100).
void extract(const fs::path& iso, const MediaInfo& info, const fs::path& dest, const Progress& progress);

}  // namespace confluent::osdeploy
