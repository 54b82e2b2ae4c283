#pragma once
// imgutil capture (spec §6.7): a running node becomes the diskless profile public/os/<profile>.
// Over ssh (as root, to the node name, BatchMode), the node-side script capture-node.sh
// fingerprints the node, makes a squashfs of each local file system with its secrets masked
// and an initramfs with confluent's boot hook, each in a private mount namespace that leaves
// the node unchanged, and streams them back. Here they become an encrypted
// confluent_multisquash rootimg.sfs (key in private/os/<profile>/pending), the boot files, the
// diskless templates and profile.yaml, then updateboot runs. As pack, the profile is made
// beside its final place: a failure (the node unreachable or unsupported, a step failing,
// Ctrl-C) leaves nothing of it behind, and the node's /run/imgutil is removed.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "imgutil/capture_stream.h"
#include "imgutil/image_format.h"

namespace confluent::imgutil {

struct CaptureOptions {
  std::string node;     // the ssh target, as nodeshell uses it
  std::string profile;  // a name, not a path
  std::string compression = "xz";
};

struct CaptureProgress {
  std::function<void(const std::string& step)> step;  // "capturing the file systems"...
  ReceiveProgress receive;                            // the files coming from the node
  ImageProgress assemble, encrypt;
};

struct CaptureResult {
  std::filesystem::path profile_dir;
  std::vector<std::string> warnings;  // for the user: what the profile or the node lacks
};

// The node-side script: <imgutil data>/capture-node.sh.
std::filesystem::path capture_script();

// Throws as pack does for the profile name, Invalid without site content, Usage for a node
// name starting with '-' or another compressor, Runtime "cannot reach node '<n>' over ssh:
// <ssh's message>", Invalid for an OS this installation cannot boot diskless, Runtime for
// missing prerequisites (with the install command) and for a failing step ("node '<n>':
// <what failed>"), StatusError(128+N) when interrupted by signal N.
CaptureResult capture_node(const CaptureOptions& options, const CaptureProgress& progress = {});

}  // namespace confluent::imgutil
