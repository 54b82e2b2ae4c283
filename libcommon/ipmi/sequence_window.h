#pragma once
// Inbound session sequence numbers: accepts each number once, a little behind the highest
// seen (packets reordered) or a bounded distance ahead (packets lost), and rejects replays
// and anything further away.
#include <cstdint>

namespace confluent::ipmi {

class SequenceWindow {
 public:
  static constexpr uint32_t kBehind = 16;
  static constexpr uint32_t kAhead = 32;

  // True, and remembered, when `sequence` is new and inside the window. Zero never is.
  bool accept(uint32_t sequence);

 private:
  uint32_t highest_ = 0;
  uint32_t seen_ = 0;  // bit i: highest_ - i has been accepted
  bool started_ = false;
};

}  // namespace confluent::ipmi
