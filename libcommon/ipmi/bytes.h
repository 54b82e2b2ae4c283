#pragma once
// Byte buffers and the little-endian fields IPMI uses everywhere on the wire.
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace confluent::ipmi {

using Bytes = std::vector<uint8_t>;

// A packet or message that does not decode. The engine drops such packets (anyone can send
// garbage to a UDP port), so this never reaches the user as is.
class DecodeError : public std::runtime_error {
 public:
  explicit DecodeError(const std::string& message) : std::runtime_error(message) {}
};

inline void put_u16(Bytes& out, uint16_t value) {
  out.push_back(static_cast<uint8_t>(value));
  out.push_back(static_cast<uint8_t>(value >> 8));
}

inline void put_u32(Bytes& out, uint32_t value) {
  for (int shift = 0; shift < 32; shift += 8) out.push_back(static_cast<uint8_t>(value >> shift));
}

inline void append(Bytes& out, const Bytes& more) { out.insert(out.end(), more.begin(), more.end()); }

inline uint16_t get_u16(const uint8_t* p) { return static_cast<uint16_t>(p[0] | (p[1] << 8)); }

inline uint32_t get_u32(const uint8_t* p) {
  return static_cast<uint32_t>(p[0]) | (static_cast<uint32_t>(p[1]) << 8) | (static_cast<uint32_t>(p[2]) << 16) |
         (static_cast<uint32_t>(p[3]) << 24);
}

inline void need(size_t have, size_t wanted, const char* what) {
  if (have < wanted) {
    throw DecodeError(std::string(what) + ": " + std::to_string(have) + " bytes, expected at least " +
                      std::to_string(wanted));
  }
}

}  // namespace confluent::ipmi
