#pragma once
// What a diskless image file is, told by its first bytes as the node-side confluent_imginfo
// tells it: a plain squashfs, a confluent_crypted image (dm-crypt payload after a 4 KiB
// header) or a confluent_multisquash image (several squashfs, one per captured file system).
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string_view>

namespace confluent::imgutil {

enum class ImageFormat { Squashfs, Crypted, Multisquash };

// "squashfs", "confluent_crypted", "confluent_multisquash": the names confluent_imginfo prints.
std::string_view format_name(ImageFormat format);

// The 16-byte magic, the tag length byte and the tag; a crypted header then has a 0x00 byte
// (offset 37) and zeros up to kCryptHeaderSize.
inline constexpr std::string_view kCryptedSignature{
    "\xaa\xd5\x0f\x7e\x5d\xfb\x4b\x7c\xa1\x2a\xf4\x0b\x6d\x94\xf7\xfc\x14"
    "CONFLUENT_CRYPTIMAGE",
    37};
inline constexpr std::string_view kMultisquashSignature{
    "\x63\x7b\x9d\x26\xb7\xfd\x48\x30\x89\xf9\x11\xcf\x18\xfd\xff\xa1\x0f"
    "CONFLUENT_IMAGE",
    32};
inline constexpr size_t kMagicSize = 16;
inline constexpr size_t kCryptHeaderSize = 4096;
inline constexpr size_t kSquashfsSuperblockSize = 96;

// The format of `file`. Throws Invalid "Unrecognized image format: <file>", or
// "<file>: truncated image (...)" when the file is too short for the header it starts with
// (an empty file included), or "<file>: corrupt ... header" when a confluent magic is
// followed by the wrong tag.
ImageFormat detect_image_format(const std::filesystem::path& file);

// Progress of a long copy: (bytes done, bytes in all), after each buffer.
using ImageProgress = std::function<void(uint64_t done, uint64_t total)>;

// True when `data` starts with a squashfs magic, either byte order.
bool looks_like_squashfs(std::string_view data);

// True when `data` starts like a plain image (squashfs either byte order, or multisquash):
// what a correctly decrypted first sector looks like.
bool looks_like_plain_image(std::string_view data);

}  // namespace confluent::imgutil
