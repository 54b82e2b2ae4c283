#pragma once
// imgutil pack (spec §6.4): an image root becomes the diskless profile public/os/<profile>:
// its newest kernel and initrd, the UEFI loaders found in it, rootimg.sfs (a squashfs made by
// mksquashfs, encrypted unless asked not to, its key in private/os/<profile>/pending),
// build-info, profile.yaml, and the boot payloads of osdeploy updateboot. The profile is made
// beside its final place and renamed into it: a failure leaves no part of it behind.
#include <ctime>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "imgutil/image_format.h"

namespace confluent::imgutil {

struct PackOptions {
  std::filesystem::path scratch;  // the image root
  std::string profile;            // a name, not a path
  std::string base_profile;       // -b: a profile name or a path, "" for none
  bool unencrypted = false;       // -u
  std::string compression = "xz";
  int compression_level = 0;                     // --compress-level: 0 for the compressor's default
  bool show_progress = false;                    // mksquashfs's own output and progress bar, on stderr
  std::optional<std::time_t> source_date_epoch;  // fixes the squashfs and build-info times
};

struct PackResult {
  std::filesystem::path profile_dir;
  std::vector<std::string> warnings;  // for the user: what the profile lacks to boot
};

// The squashfs compressors pack offers, and the compression levels each takes ({0, 0}: none).
const std::vector<std::string>& pack_compressors();
std::pair<int, int> compression_levels(const std::string& compressor);

// The mksquashfs command line that packs `scratch` into `out`.
std::vector<std::string> mksquashfs_args(const PackOptions& options, const std::filesystem::path& out);

// The label and kernel arguments of a new diskless profile.yaml.
std::string diskless_profile_yaml(const std::string& label);

// Throws Invalid "Full path not supported, supply only the profile name", Invalid "Profile
// already exists, select a different name or delete existing <dir>", NotFound for a missing
// scratch directory or base profile, Runtime "No kernel found in <dir>/boot", and the errors
// of mksquashfs, encryption and updateboot. `encrypt_progress` sees the encryption.
PackResult pack_image(const PackOptions& options, const ImageProgress& encrypt_progress = {});

}  // namespace confluent::imgutil
