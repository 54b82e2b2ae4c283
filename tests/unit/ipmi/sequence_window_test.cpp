#include "ipmi/sequence_window.h"

#include <catch2/catch.hpp>

using confluent::ipmi::SequenceWindow;

TEST_CASE("sequence window: each number is accepted once, zero never", "[ipmi]") {
  SequenceWindow w;
  CHECK_FALSE(w.accept(0));
  CHECK(w.accept(1));
  CHECK_FALSE(w.accept(1));
  CHECK(w.accept(2));
  CHECK(w.accept(3));
  CHECK_FALSE(w.accept(2));
}

TEST_CASE("sequence window: reordered packets a little behind still count, once", "[ipmi]") {
  SequenceWindow w;
  CHECK(w.accept(10));
  CHECK(w.accept(14));
  CHECK(w.accept(12));
  CHECK_FALSE(w.accept(12));
  CHECK(w.accept(11));
  CHECK_FALSE(w.accept(10));
}

TEST_CASE("sequence window: far behind or far ahead is out of the window", "[ipmi]") {
  SequenceWindow w;
  CHECK(w.accept(100));
  CHECK_FALSE(w.accept(100 - SequenceWindow::kBehind));
  CHECK(w.accept(100 - SequenceWindow::kBehind + 1));
  CHECK_FALSE(w.accept(100 + SequenceWindow::kAhead + 1));
  CHECK(w.accept(100 + SequenceWindow::kAhead));
  CHECK_FALSE(w.accept(101));  // now 31 behind the highest
}

TEST_CASE("sequence window: the count wraps past 2^32 without stalling", "[ipmi]") {
  SequenceWindow w;
  CHECK(w.accept(0xfffffffe));
  CHECK(w.accept(0xffffffff));
  CHECK(w.accept(1));
  CHECK_FALSE(w.accept(0xffffffff));
}
