#include "imgutil/image_format.h"

#include <algorithm>
#include <string>

#include "base/error.h"
#include "base/files.h"

namespace confluent::imgutil {

namespace {

constexpr std::string_view kSquashLittle = "hsqs";
constexpr std::string_view kSquashBig = "sqsh";

bool starts_with(std::string_view data, std::string_view prefix) {
  return data.size() >= prefix.size() && data.substr(0, prefix.size()) == prefix;
}

// `data` is a proper, non-empty-or-empty prefix of `magic`: the file ends inside it.
bool is_prefix_of(std::string_view data, std::string_view magic) {
  return data.size() < magic.size() && magic.substr(0, data.size()) == data;
}

[[noreturn]] void truncated(const std::filesystem::path& file, uint64_t size, const std::string& what) {
  throw Error(ErrorKind::Invalid,
              file.string() + ": truncated image (" + std::to_string(size) + " bytes, " + what + ")");
}

}  // namespace

std::string_view format_name(ImageFormat format) {
  switch (format) {
    case ImageFormat::Squashfs:
      return "squashfs";
    case ImageFormat::Crypted:
      return "confluent_crypted";
    case ImageFormat::Multisquash:
      return "confluent_multisquash";
  }
  return "unknown";
}

bool looks_like_squashfs(std::string_view data) {
  return starts_with(data, kSquashLittle) || starts_with(data, kSquashBig);
}

bool looks_like_plain_image(std::string_view data) {
  return looks_like_squashfs(data) || starts_with(data, kMultisquashSignature.substr(0, kMagicSize));
}

ImageFormat detect_image_format(const std::filesystem::path& file) {
  InputFile in(file);
  std::string head(std::min<uint64_t>(in.size(), kCryptedSignature.size() + 1), '\0');
  head.resize(in.read_at(0, head.data(), head.size()));
  const uint64_t size = in.size();
  auto magic = [](std::string_view signature) { return signature.substr(0, kMagicSize); };

  if (looks_like_squashfs(head)) {
    if (size < kSquashfsSuperblockSize) truncated(file, size, "a squashfs superblock needs 96");
    return ImageFormat::Squashfs;
  }
  if (starts_with(head, magic(kCryptedSignature))) {
    if (size < kCryptHeaderSize) truncated(file, size, "a crypted image header needs 4096");
    if (!starts_with(head, kCryptedSignature) || head[kCryptedSignature.size()] != '\0') {
      throw Error(ErrorKind::Invalid, file.string() + ": corrupt confluent_crypted header");
    }
    return ImageFormat::Crypted;
  }
  if (starts_with(head, magic(kMultisquashSignature))) {
    if (size < kMultisquashSignature.size()) truncated(file, size, "a multisquash header needs 32");
    if (!starts_with(head, kMultisquashSignature)) {
      throw Error(ErrorKind::Invalid, file.string() + ": corrupt confluent_multisquash header");
    }
    return ImageFormat::Multisquash;
  }
  for (std::string_view m : {kSquashLittle, kSquashBig, magic(kCryptedSignature), magic(kMultisquashSignature)}) {
    if (is_prefix_of(head, m)) truncated(file, size, "too short to tell its format");
  }
  throw Error(ErrorKind::Invalid, "Unrecognized image format: " + file.string());
}

}  // namespace confluent::imgutil
