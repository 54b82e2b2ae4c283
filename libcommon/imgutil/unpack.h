#pragma once
// imgutil unpack (spec §6.5): a profile's rootimg.sfs back into a directory tree. Unlike
// confluent, an encrypted image is decrypted in user space into a temporary file beside the
// target (no dm-crypt), and a multi-partition image (from capture) is unpacked too, each
// file system into <target>/<its mount point>.
#include <filesystem>
#include <string>

#include "imgutil/image_format.h"

namespace confluent::imgutil {

// The image a name or path stands for: a profile name under public/os unless it exists as a
// path (or holds a '/'); a directory stands for its rootimg.sfs. Throws NotFound.
std::filesystem::path image_file(const std::string& name_or_path);

// The key of an encrypted image <...>/public/os/<p>/rootimg.sfs:
// <...>/private/os/<p>/pending/rootimg.key (for an image elsewhere, that of the profile named
// after its directory, in this state root).
std::filesystem::path key_file_for(const std::filesystem::path& image);

struct UnpackOptions {
  std::string image;             // profile name or path
  std::filesystem::path target;  // must not exist, or be an empty directory
  bool show_progress = false;    // unsquashfs's progress bar, on stderr
};

// Throws Invalid "<target>: exists and is not empty", the format errors of
// detect_image_format (corrupt, truncated, unrecognized), NotFound for a missing key file,
// Invalid "wrong key or corrupt image: <file>", Runtime "unsquashfs failed: ...". A failure
// removes the target when unpack made it, and the decrypted copy always.
void unpack_image(const UnpackOptions& options, const ImageProgress& decrypt_progress = {});

}  // namespace confluent::imgutil
