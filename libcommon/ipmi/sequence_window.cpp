#include "ipmi/sequence_window.h"

namespace confluent::ipmi {

bool SequenceWindow::accept(uint32_t sequence) {
  if (sequence == 0) return false;
  if (!started_) {
    started_ = true;
    highest_ = sequence;
    seen_ = 1;
    return true;
  }
  uint32_t ahead = sequence - highest_;  // modulo 2^32, so wrap-around counts as ahead
  if (ahead != 0 && ahead <= kAhead) {
    seen_ = ahead >= 32 ? 1 : (seen_ << ahead) | 1;
    highest_ = sequence;
    return true;
  }
  uint32_t behind = highest_ - sequence;
  if (behind >= kBehind) return false;
  uint32_t bit = 1u << behind;
  if (seen_ & bit) return false;
  seen_ |= bit;
  return true;
}

}  // namespace confluent::ipmi
