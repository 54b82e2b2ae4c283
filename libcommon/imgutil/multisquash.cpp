#include "imgutil/multisquash.h"

#include <algorithm>
#include <memory>
#include <nlohmann/json.hpp>

#include "base/error.h"
#include "base/files.h"

namespace confluent::imgutil {

namespace fs = std::filesystem;

namespace {

constexpr uint64_t kAlign = 4096;
constexpr size_t kCopyBuffer = size_t{8} << 20;

void put_be(std::string& out, uint64_t value, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out += static_cast<char>((value >> (8 * i)) & 0xff);
}

void put_string(std::string& out, const std::string& text, int length_bytes, const char* what) {
  if (text.size() > 0xffff) throw Error(ErrorKind::Invalid, std::string(what) + " is too long for a multisquash image");
  put_be(out, text.size(), length_bytes);
  out += text;
}

// The metadata capture keeps beside each squashfs, keys in confluent's order.
std::string metadata_json(const MultisquashPartition& p, uint64_t compressed_size) {
  nlohmann::ordered_json j;
  j["mount"] = p.mount;
  j["filesystem"] = p.fstype;
  j["minsize"] = p.minsize;
  j["initsize"] = p.initsize;
  j["flags"] = p.flags;
  j["device"] = p.device;
  j["compressed_size"] = compressed_size;
  return j.dump();
}

void check_squashfs(const InputFile& in) {
  char magic[4] = {};
  in.read_at(0, magic, sizeof magic);
  if (!looks_like_squashfs(std::string_view(magic, sizeof magic))) {
    throw Error(ErrorKind::Invalid, in.path().string() + ": not a squashfs");
  }
  if (in.size() % kAlign != 0) {
    throw Error(ErrorKind::Invalid, in.path().string() + ": squashfs size " + std::to_string(in.size()) +
                                        " is not a multiple of 4096 (made with -nopad?)");
  }
}

// Reads the record fields in order, each checked against the end of the file first.
class Cursor {
 public:
  Cursor(const InputFile& in, uint64_t pos) : in_(in), pos_(pos) {}
  uint64_t pos() const { return pos_; }
  uint64_t remaining() const { return in_.size() - pos_; }

  uint64_t number(int bytes, const char* what) {
    unsigned char raw[8];
    need(static_cast<uint64_t>(bytes), what);
    in_.read_exact_at(pos_, raw, static_cast<size_t>(bytes));
    pos_ += static_cast<uint64_t>(bytes);
    uint64_t value = 0;
    for (int i = 0; i < bytes; ++i) value = (value << 8) | raw[i];
    return value;
  }
  std::string text(int length_bytes, const char* what) {
    uint64_t length = number(length_bytes, what);
    need(length, what);  // before allocating: a corrupt length must not become a huge buffer
    std::string out(static_cast<size_t>(length), '\0');
    in_.read_exact_at(pos_, out.data(), out.size());
    pos_ += length;
    return out;
  }
  void skip(uint64_t bytes, const char* what) {
    need(bytes, what);
    pos_ += bytes;
  }
  [[noreturn]] void corrupt(const std::string& why) const {
    throw Error(ErrorKind::Invalid, in_.path().string() + ": corrupt multisquash image (partition " +
                                        std::to_string(partition_) + ": " + why + ")");
  }
  void next_partition() { ++partition_; }

 private:
  void need(uint64_t bytes, const char* what) const {
    if (bytes > remaining()) corrupt(std::string(what) + " runs past the end of the file, truncated?");
  }

  const InputFile& in_;
  uint64_t pos_;
  int partition_ = 0;
};

MultisquashRecord read_record(Cursor& c, const InputFile& in) {
  MultisquashRecord r;
  r.mount = c.text(2, "mount path");
  r.metadata = c.text(4, "JSON metadata");
  if (!nlohmann::json::accept(r.metadata)) c.corrupt("its JSON metadata does not parse");
  r.minsize = c.number(8, "minsize");
  r.initsize = c.number(8, "initsize");
  r.fstype = c.text(2, "fstype");
  r.device = c.text(2, "device");
  uint64_t pad = c.number(2, "padding length");
  c.skip(pad, "padding");
  r.size = c.number(8, "squashfs length");
  r.offset = c.pos();
  if (r.offset % kAlign != 0) c.corrupt("squashfs data at " + std::to_string(r.offset) + " is not 4096-aligned");
  c.skip(r.size, "squashfs data");
  char magic[4] = {};
  if (in.read_at(r.offset, magic, sizeof magic) < sizeof magic ||
      !looks_like_squashfs(std::string_view(magic, sizeof magic))) {
    c.corrupt("its data is not a squashfs");
  }
  uint64_t end = r.offset + r.size;
  c.skip((kAlign - end % kAlign) % kAlign, "padding after the squashfs");
  return r;
}

}  // namespace

void write_multisquash(const fs::path& image, const std::vector<MultisquashPartition>& partitions,
                       const ImageProgress& progress) {
  if (partitions.empty()) throw Error(ErrorKind::Invalid, image.string() + ": no partitions to write");
  std::vector<std::unique_ptr<InputFile>> inputs;
  uint64_t total = 0;
  for (const auto& p : partitions) {
    inputs.push_back(std::make_unique<InputFile>(p.squashfs));
    check_squashfs(*inputs.back());
    total += inputs.back()->size();
  }
  AtomicOutputFile out(image, fs::perms::owner_read | fs::perms::owner_write);
  out.write(kMultisquashSignature);
  std::vector<char> buffer(static_cast<size_t>(std::min<uint64_t>(kCopyBuffer, total)));
  uint64_t done = 0;
  for (size_t i = 0; i < partitions.size(); ++i) {
    const auto& p = partitions[i];
    const InputFile& in = *inputs[i];
    std::string record;
    put_string(record, p.mount, 2, "mount path");
    std::string json = metadata_json(p, in.size());
    put_be(record, json.size(), 4);
    record += json;
    put_be(record, p.minsize, 8);
    put_be(record, p.initsize, 8);
    put_string(record, p.fstype, 2, "fstype");
    put_string(record, p.device, 2, "device");
    // The pad length (2 bytes) and the squashfs length (8) count towards the alignment.
    uint64_t pad = kAlign - ((out.size() + record.size() + 10) % kAlign);
    put_be(record, pad, 2);
    record.append(static_cast<size_t>(pad), '\0');
    put_be(record, in.size(), 8);
    out.write(record);
    for (uint64_t copied = 0; copied < in.size();) {
      size_t chunk = static_cast<size_t>(std::min<uint64_t>(buffer.size(), in.size() - copied));
      in.read_exact_at(copied, buffer.data(), chunk);
      out.write(buffer.data(), chunk);
      copied += chunk;
      done += chunk;
      if (progress) progress(done, total);
    }
    out.extend_to((out.size() + kAlign - 1) / kAlign * kAlign);
  }
  out.commit();
}

std::vector<MultisquashRecord> read_multisquash(const fs::path& image) {
  if (detect_image_format(image) != ImageFormat::Multisquash) {
    throw Error(ErrorKind::Invalid, image.string() + ": not a multisquash image");
  }
  InputFile in(image);
  Cursor cursor(in, kMultisquashSignature.size());
  std::vector<MultisquashRecord> records;
  while (cursor.remaining() > 0) {
    cursor.next_partition();
    records.push_back(read_record(cursor, in));
  }
  if (records.empty()) throw Error(ErrorKind::Invalid, image.string() + ": multisquash image has no partitions");
  return records;
}

std::string imginfo_text(const std::vector<MultisquashRecord>& records) {
  std::string out = "Format: confluent_multisquash\nminsize\tdefsize\toffset\tsize\tfstype\torigdev\tmount\n";
  for (const auto& r : records) {
    out += std::to_string(r.minsize) + "\t" + std::to_string(r.initsize) + "\t" + std::to_string(r.offset / 512) +
           "\t" + std::to_string(r.size / 512) + "\t" + r.fstype + "\t" + r.device + "\t" + r.mount + "\n";
  }
  return out;
}

}  // namespace confluent::imgutil
