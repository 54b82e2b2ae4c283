// Telling image formats apart from their first bytes, as the node's confluent_imginfo does,
// with clear errors for truncated, corrupt and unknown files.
#include "imgutil/image_format.h"

#include <catch2/catch.hpp>

#include "base/error.h"
#include "image_files.h"

using namespace confluent;
using namespace confluent::imgutil;
using namespace imgtest;

namespace {

std::string crypted_header() {
  std::string h(4096, '\0');
  h.replace(0, kCryptedSignature.size(), kCryptedSignature);
  return h;
}

}  // namespace

TEST_CASE("imgutil image format: squashfs of either byte order, crypted and multisquash", "[imgutil]") {
  TempDir dir;
  put(dir / "le", "hsqs" + std::string(200, '\0'));
  put(dir / "be", "sqsh" + std::string(200, '\0'));
  put(dir / "crypted", crypted_header() + std::string(512, 'x'));
  put(dir / "multi", std::string(kMultisquashSignature) + std::string(100, '\0'));
  CHECK(detect_image_format(dir / "le") == ImageFormat::Squashfs);
  CHECK(detect_image_format(dir / "be") == ImageFormat::Squashfs);
  CHECK(detect_image_format(dir / "crypted") == ImageFormat::Crypted);
  CHECK(detect_image_format(dir / "multi") == ImageFormat::Multisquash);
  CHECK(format_name(ImageFormat::Squashfs) == "squashfs");
  CHECK(format_name(ImageFormat::Crypted) == "confluent_crypted");
  CHECK(format_name(ImageFormat::Multisquash) == "confluent_multisquash");
}

TEST_CASE("imgutil image format: a real mksquashfs image is squashfs", "[imgutil]") {
  TempDir dir;
  CHECK(detect_image_format(make_squashfs(dir.path, "real", 1)) == ImageFormat::Squashfs);
}

TEST_CASE("imgutil image format: anything else is unrecognized, naming the file", "[imgutil]") {
  TempDir dir;
  put(dir / "text", "#!/bin/sh\necho this is no image\n");
  CHECK_THROWS_WITH(detect_image_format(dir / "text"), "Unrecognized image format: " + (dir / "text").string());
  put(dir / "near", std::string(kCryptedSignature.substr(0, 15)) + "Z" + std::string(5000, '\0'));
  CHECK_THROWS_WITH(detect_image_format(dir / "near"), "Unrecognized image format: " + (dir / "near").string());
  put(dir / "x", "x");
  CHECK_THROWS_WITH(detect_image_format(dir / "x"), "Unrecognized image format: " + (dir / "x").string());
  CHECK_THROWS_WITH(detect_image_format(dir / "missing"), Catch::Contains("missing: cannot read"));
  CHECK_THROWS_WITH(detect_image_format(dir.path), Catch::Contains("is a directory"));
}

TEST_CASE("imgutil image format: files cut inside their header are reported truncated", "[imgutil]") {
  TempDir dir;
  auto error = [&](const std::string& bytes) {
    put(dir / "img", bytes);
    try {
      detect_image_format(dir / "img");
    } catch (const Error& e) {
      CHECK(e.kind() == ErrorKind::Invalid);
      return std::string(e.what());
    }
    return std::string("no error");
  };
  const std::string name = (dir / "img").string();
  CHECK(error("") == name + ": truncated image (0 bytes, too short to tell its format)");
  CHECK(error("hs") == name + ": truncated image (2 bytes, too short to tell its format)");
  CHECK(error(std::string(kCryptedSignature.substr(0, 10))) ==
        name + ": truncated image (10 bytes, too short to tell its format)");
  CHECK(error("hsqs" + std::string(40, '\0')) == name + ": truncated image (44 bytes, a squashfs superblock needs 96)");
  CHECK(error(crypted_header().substr(0, 1000)) ==
        name + ": truncated image (1000 bytes, a crypted image header needs 4096)");
  CHECK(error(std::string(kMultisquashSignature.substr(0, 20))) ==
        name + ": truncated image (20 bytes, a multisquash header needs 32)");
}

TEST_CASE("imgutil image format: a confluent magic with the wrong tag is a corrupt header", "[imgutil]") {
  TempDir dir;
  std::string crypted = crypted_header();
  crypted[16] = 0x15;
  put(dir / "c", crypted);
  CHECK_THROWS_WITH(detect_image_format(dir / "c"), (dir / "c").string() + ": corrupt confluent_crypted header");
  std::string multi = std::string(kMultisquashSignature) + std::string(64, '\0');
  multi[20] = 'x';
  put(dir / "m", multi);
  CHECK_THROWS_WITH(detect_image_format(dir / "m"), (dir / "m").string() + ": corrupt confluent_multisquash header");
}

TEST_CASE("imgutil image format: decrypted first sectors are recognised as plain images", "[imgutil]") {
  CHECK(looks_like_plain_image("hsqs...."));
  CHECK(looks_like_plain_image("sqsh"));
  CHECK(looks_like_plain_image(std::string(kMultisquashSignature)));
  CHECK_FALSE(looks_like_plain_image(kMultisquashSignature.substr(0, 8)));
  CHECK_FALSE(looks_like_plain_image("hsq"));
  CHECK_FALSE(looks_like_plain_image(std::string(512, '\0')));
  CHECK(looks_like_squashfs("hsqs"));
  CHECK_FALSE(looks_like_squashfs(std::string(kMultisquashSignature)));
}
