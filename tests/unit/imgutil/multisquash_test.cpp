// The confluent_multisquash format: written from real squashfs images, checked byte by byte
// against the layout (and its padding rule), read back, listed as confluent_imginfo lists
// it, and corrupt or truncated images rejected cleanly.
#include "imgutil/multisquash.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>

#include "base/error.h"
#include "image_files.h"
#include "osdeploy/layout.h"

using namespace confluent;
using namespace confluent::imgutil;
using namespace imgtest;

namespace {

// The layout read independently of the code under test: one entry per record.
struct Raw {
  std::string mount, json, fstype, device;
  uint64_t minsize = 0, initsize = 0, pad = 0, pad_at = 0, offset = 0, size = 0;
};

uint64_t be(const std::string& b, uint64_t at, int n) {
  uint64_t v = 0;
  for (int i = 0; i < n; ++i) v = (v << 8) | static_cast<unsigned char>(b.at(at + i));
  return v;
}

std::vector<Raw> parse_raw(const std::string& b) {
  std::vector<Raw> out;
  uint64_t p = 32;
  auto text = [&](int n) {
    uint64_t len = be(b, p, n);
    std::string s = b.substr(p + n, len);
    p += n + len;
    return s;
  };
  while (p < b.size()) {
    Raw r;
    r.mount = text(2);
    r.json = text(4);
    r.minsize = be(b, p, 8);
    r.initsize = be(b, p + 8, 8);
    p += 16;
    r.fstype = text(2);
    r.device = text(2);
    r.pad_at = p;
    r.pad = be(b, p, 2);
    CHECK(b.substr(p + 2, r.pad) == std::string(r.pad, '\0'));
    p += 2 + r.pad;
    r.size = be(b, p, 8);
    r.offset = p + 8;
    p = (r.offset + r.size + 4095) / 4096 * 4096;
    out.push_back(r);
  }
  CHECK(p == b.size());
  return out;
}

MultisquashPartition partition(const std::string& mount, const fs::path& sfs) {
  MultisquashPartition p;
  p.mount = mount;
  p.fstype = "xfs";
  p.device = "/dev/sda" + std::to_string(mount.size() % 10);
  p.flags = "rw,relatime";
  p.minsize = 1000000 + mount.size();
  p.initsize = 5000000000;
  p.squashfs = sfs;
  return p;
}

struct Images {
  TempDir dir;
  fs::path root = make_squashfs(dir.path, "root", 1);
  fs::path boot = make_squashfs(dir.path, "boot", 2);
};

}  // namespace

TEST_CASE("imgutil multisquash: records and squashfs data land where the format says", "[imgutil]") {
  Images img;
  std::vector<MultisquashPartition> parts = {partition("/", img.root), partition("/boot/efi", img.boot)};
  uint64_t last = 0;
  write_multisquash(img.dir / "image", parts, [&](uint64_t done, uint64_t total) {
    CHECK(total == fs::file_size(img.root) + fs::file_size(img.boot));
    last = done;
  });
  CHECK(last == fs::file_size(img.root) + fs::file_size(img.boot));
  std::string bytes = slurp(img.dir / "image");
  CHECK(bytes.substr(0, 32) == std::string(kMultisquashSignature));
  CHECK(bytes.size() % 4096 == 0);
  auto raw = parse_raw(bytes);
  REQUIRE(raw.size() == 2);
  for (size_t i = 0; i < 2; ++i) {
    INFO("partition " << i);
    CHECK(raw[i].mount == parts[i].mount);
    CHECK(raw[i].fstype == "xfs");
    CHECK(raw[i].device == parts[i].device);
    CHECK(raw[i].minsize == parts[i].minsize);
    CHECK(raw[i].initsize == 5000000000);
    CHECK(raw[i].pad == 4096 - (raw[i].pad_at + 10) % 4096);
    CHECK(raw[i].offset % 4096 == 0);
    CHECK(bytes.substr(raw[i].offset, raw[i].size) == slurp(parts[i].squashfs));
    auto json = nlohmann::json::parse(raw[i].json);
    CHECK(json["mount"] == parts[i].mount);
    CHECK(json["filesystem"] == "xfs");
    CHECK(json["minsize"] == parts[i].minsize);
    CHECK(json["initsize"] == 5000000000);
    CHECK(json["flags"] == "rw,relatime");
    CHECK(json["device"] == parts[i].device);
    CHECK(json["compressed_size"] == fs::file_size(parts[i].squashfs));
  }
  CHECK(raw[0].json.rfind("{\"mount\":", 0) == 0);  // confluent's key order

  auto records = read_multisquash(img.dir / "image");
  REQUIRE(records.size() == 2);
  for (size_t i = 0; i < 2; ++i) {
    CHECK(records[i].mount == raw[i].mount);
    CHECK(records[i].metadata == raw[i].json);
    CHECK(records[i].fstype == "xfs");
    CHECK(records[i].device == raw[i].device);
    CHECK(records[i].minsize == raw[i].minsize);
    CHECK(records[i].initsize == raw[i].initsize);
    CHECK(records[i].offset == raw[i].offset);
    CHECK(records[i].size == raw[i].size);
  }
  CHECK(imginfo_text(records) ==
        "Format: confluent_multisquash\nminsize\tdefsize\toffset\tsize\tfstype\torigdev\tmount\n" +
            std::to_string(parts[0].minsize) + "\t5000000000\t" + std::to_string(raw[0].offset / 512) + "\t" +
            std::to_string(raw[0].size / 512) + "\txfs\t/dev/sda1\t/\n" + std::to_string(parts[1].minsize) +
            "\t5000000000\t" + std::to_string(raw[1].offset / 512) + "\t" + std::to_string(raw[1].size / 512) +
            "\txfs\t/dev/sda9\t/boot/efi\n");
}

TEST_CASE("imgutil multisquash: the pad is a whole 4096 when the record already ends aligned", "[imgutil]") {
  Images img;
  // Each mount character adds 2 bytes before the pad (the path and its copy in the JSON),
  // each mount-flags character 1 (JSON only): from a probe, pick both so (pos + 10) % 4096 == 0.
  write_multisquash(img.dir / "probe", {partition("aa", img.root)});
  const uint64_t probe = parse_raw(slurp(img.dir / "probe"))[0].pad_at;
  const uint64_t extra_flags = (probe + 10) % 2;
  const uint64_t missing = (4096 - (probe + extra_flags + 10) % 4096) % 4096;
  MultisquashPartition p = partition(std::string(2 + missing / 2, 'a'), img.root);
  p.device = "/dev/sda2";  // as the probe's, whatever the mount length
  p.minsize = 1000002;
  p.flags += std::string(extra_flags, 'x');
  write_multisquash(img.dir / "aligned", {p});
  auto raw = parse_raw(slurp(img.dir / "aligned"));
  REQUIRE(raw.size() == 1);
  CHECK((raw[0].pad_at + 10) % 4096 == 0);
  CHECK(raw[0].pad == 4096);
  CHECK(raw[0].offset == raw[0].pad_at + 2 + 4096 + 8);
  CHECK(read_multisquash(img.dir / "aligned")[0].offset == raw[0].offset);
}

TEST_CASE("imgutil multisquash: writing refuses what nodes could not map", "[imgutil]") {
  Images img;
  CHECK_THROWS_WITH(write_multisquash(img.dir / "x", {}), Catch::Contains("no partitions to write"));
  put(img.dir / "notsquash", std::string(4096, 'z'));
  CHECK_THROWS_WITH(write_multisquash(img.dir / "x", {partition("/", img.dir / "notsquash")}),
                    (img.dir / "notsquash").string() + ": not a squashfs");
  put(img.dir / "unpadded", slurp(img.root) + "tail");
  CHECK_THROWS_WITH(write_multisquash(img.dir / "x", {partition("/", img.dir / "unpadded")}),
                    Catch::Contains("is not a multiple of 4096"));
  CHECK_THROWS_WITH(write_multisquash(img.dir / "x", {partition(std::string(70000, 'm'), img.root)}),
                    "mount path is too long for a multisquash image");
  CHECK_THROWS_WITH(write_multisquash(img.dir / "x", {partition("/", img.dir / "missing")}),
                    Catch::Contains("missing: cannot read"));
  CHECK_FALSE(fs::exists(img.dir / "x"));
}

TEST_CASE("imgutil multisquash: a bogus length is rejected before anything is allocated", "[imgutil]") {
  Images img;
  write_multisquash(img.dir / "image", {partition("/", img.root)});
  std::string bytes = slurp(img.dir / "image");
  std::string huge = bytes;
  // The JSON length follows the 2-byte mount length and the 1-byte mount "/".
  for (int i = 0; i < 4; ++i) huge[35 + i] = '\xff';
  put(img.dir / "huge", huge);
  CHECK_THROWS_WITH(read_multisquash(img.dir / "huge"),
                    (img.dir / "huge").string() +
                        ": corrupt multisquash image (partition 1: JSON metadata runs past the end of the file, "
                        "truncated?)");
  std::string badjson = bytes;
  badjson[39] = '[';
  put(img.dir / "badjson", badjson);
  CHECK_THROWS_WITH(read_multisquash(img.dir / "badjson"), Catch::Contains("JSON metadata does not parse"));
  put(img.dir / "empty", std::string(kMultisquashSignature));
  CHECK_THROWS_WITH(read_multisquash(img.dir / "empty"), Catch::Contains("has no partitions"));
  CHECK_THROWS_WITH(read_multisquash(img.root), (img.root).string() + ": not a multisquash image");
}

TEST_CASE("imgutil multisquash: truncated and randomly damaged images fail cleanly or read sanely", "[imgutil]") {
  Images img;
  write_multisquash(img.dir / "image", {partition("/", img.root), partition("/boot", img.boot)});
  const std::string good = slurp(img.dir / "image");
  const auto raw = parse_raw(good);
  const uint64_t first_end = (raw[0].offset + raw[0].size + 4095) / 4096 * 4096;
  std::mt19937 rng(99);
  for (int round = 0; round < 60; ++round) {
    size_t cut = 32 + rng() % (good.size() - 32);
    put(img.dir / "cut", good.substr(0, cut));
    INFO("cut at " << cut);
    if (cut == first_end) {
      CHECK(read_multisquash(img.dir / "cut").size() == 1);
    } else {
      CHECK_THROWS_AS(read_multisquash(img.dir / "cut"), Error);
    }
  }
  int failed = 0;
  for (int round = 0; round < 150; ++round) {
    std::string bad = good;
    // Damage the record headers, where lengths and offsets live.
    uint64_t region = (round % 2 == 0) ? raw[0].offset : raw[1].offset;
    uint64_t start = (round % 2 == 0) ? 32 : first_end;
    for (int n = 0; n < 1 + static_cast<int>(rng() % 3); ++n) {
      size_t at = start + rng() % (region - start);
      bad[at] = static_cast<char>(bad[at] ^ (1 << (rng() % 8)));
    }
    put(img.dir / "bad", bad);
    try {
      for (const auto& r : read_multisquash(img.dir / "bad")) {
        CHECK(r.offset + r.size <= bad.size());
        CHECK(r.offset % 4096 == 0);
      }
    } catch (const Error& e) {
      ++failed;
      CHECK(std::string(e.what()).rfind((img.dir / "bad").string(), 0) == 0);
    }
  }
  CHECK(failed > 0);
}

// The diskless initramfs (initramfs-tools' scripts/confluent) reads the records with od and dd
// in POSIX sh: it must find each file system where the C++ reader does, and refuse a
// truncated image.
TEST_CASE("imgutil multisquash: the diskless initramfs script lists the records as the reader does", "[imgutil]") {
  Images img;
  write_multisquash(img.dir / "image", {partition("/", img.root), partition("/boot/efi", img.boot)});
  fs::path script = osdeploy::diskless_templates_dir("debian") / "initramfs-tools/scripts/confluent";
  REQUIRE(fs::is_regular_file(script));
  auto imginfo = [&](const fs::path& image, uint64_t size, std::string* out) {
    std::string command = "sh -c '. \"$0\" && confluent_imginfo \"$1\" \"$2\"' '" + script.string() + "' '" +
                          image.string() + "' " + std::to_string(size);
    FILE* pipe = ::popen(command.c_str(), "r");
    REQUIRE(pipe != nullptr);
    char buffer[4096];
    for (size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) out->append(buffer, n);
    return ::pclose(pipe);
  };
  std::string listed;
  uint64_t size = fs::file_size(img.dir / "image");
  CHECK(imginfo(img.dir / "image", size, &listed) == 0);
  std::string expected;
  for (const auto& r : read_multisquash(img.dir / "image"))
    expected += std::to_string(r.offset) + " " + std::to_string(r.size) + " " + r.fstype + " " +
                std::to_string(r.minsize) + " " + std::to_string(r.initsize) + " " + r.mount + "\n";
  CHECK(listed == expected);
  std::string truncated;
  CHECK(imginfo(img.dir / "image", size - 8192, &truncated) != 0);
}
