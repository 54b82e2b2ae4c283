#pragma once
// The confluent_multisquash image that capture makes: the 32-byte signature, then for each
// captured file system (all numbers big-endian)
//   u16 len + mount path, u32 len + JSON metadata, u64 minsize, u64 initsize,
//   u16 len + fstype, u16 len + original device,
//   u16 pad + pad zero bytes, pad = 4096 - ((pos + 10) % 4096), so 1..4096,
//   u64 squashfs length, the squashfs (now 4 KiB-aligned), zeros to the next 4 KiB boundary.
// Nodes map each squashfs with a dm "linear" target at the offset confluent_imginfo lists.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "imgutil/image_format.h"

namespace confluent::imgutil {

// One captured file system, to write.
struct MultisquashPartition {
  std::string mount;      // "/", "/boot/efi"
  std::string fstype;     // "xfs"
  std::string device;     // where it was mounted from, "/dev/sda2"
  std::string flags;      // its mount options, kept in the JSON metadata only
  uint64_t minsize = 0;   // bytes in use
  uint64_t initsize = 0;  // file system size
  std::filesystem::path squashfs;
};

// One partition as read back; offset and size locate its squashfs in the image, in bytes.
struct MultisquashRecord {
  std::string mount, fstype, device;
  std::string metadata;  // the JSON text, checked to parse
  uint64_t minsize = 0, initsize = 0;
  uint64_t offset = 0, size = 0;
};

// Writes `image` (through a temporary sibling, mode 0600) from `partitions`, in order. Each
// squashfs must be a squashfs whose size is a multiple of 4096 (mksquashfs pads so by
// default): the node-side reader does not skip padding after it. Progress counts squashfs
// bytes.
void write_multisquash(const std::filesystem::path& image, const std::vector<MultisquashPartition>& partitions,
                       const ImageProgress& progress = {});

// The records of `image`. Every length is checked against the file before it is used, so a
// corrupt or truncated image throws Invalid "<file>: corrupt multisquash image (...)".
std::vector<MultisquashRecord> read_multisquash(const std::filesystem::path& image);

// What confluent_imginfo prints for a multisquash image: the Format line, the header line,
// then per partition "minsize defsize offset size fstype origdev mount", tab-separated, with
// offset and size in 512-byte sectors.
std::string imginfo_text(const std::vector<MultisquashRecord>& records);

}  // namespace confluent::imgutil
