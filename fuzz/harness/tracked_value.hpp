// TrackedValue: the mapped type the fuzzers store, built to make lifetime bugs
// loud. Each object knows its state (holding a payload, default-constructed,
// moved-from, destroyed) and the class counts live objects, so the harness sees
//   - a leak: objects still alive after every map is gone;
//   - double destruction: a destructor running on an already destroyed object;
//   - use of a moved-from value: reading, copying or moving a value whose
//     payload went elsewhere (e.g. an insert that consumed the caller's value
//     although the key existed, or a rehash that read a slot after moving it);
//   - a map keeping more payloads than keys (an erase that forgot to destroy).
// The counters are plain globals: a fuzz target runs one input at a time.
#pragma once

#include <cstdint>
#include <string>

#include "fuzz/harness/fail.hpp"

namespace slotlab::fuzz {

class TrackedValue {
 public:
  // Objects alive, and those of them holding a payload.
  static inline std::int64_t alive = 0;
  static inline std::int64_t holding = 0;

  TrackedValue() : state_(kEmpty) { ++alive; }
  explicit TrackedValue(std::uint64_t payload) : payload_(payload), state_(kHolding) {
    ++alive;
    ++holding;
  }
  TrackedValue(const TrackedValue& other) : payload_(other.payload()), state_(kHolding) {
    ++alive;
    ++holding;
  }
  TrackedValue(TrackedValue&& other) noexcept : state_(other.take_state()) {
    payload_ = other.payload_;
    ++alive;
  }
  TrackedValue& operator=(const TrackedValue& other) {
    if (this == &other) return *this;
    const std::uint64_t p = other.payload();
    check_assignable();
    if (state_ != kHolding) ++holding;
    payload_ = p;
    state_ = kHolding;
    return *this;
  }
  TrackedValue& operator=(TrackedValue&& other) noexcept {
    if (this == &other) return *this;
    check_assignable();
    if (state_ == kHolding) --holding;  // the old payload is gone, the new one is moved in
    state_ = other.take_state();
    payload_ = other.payload_;
    return *this;
  }
  ~TrackedValue() {
    if (state_ == kDestroyed) fail("a value was destroyed twice");
    if (state_ == kHolding) --holding;
    state_ = kDestroyed;
    --alive;
  }

  bool has_payload() const { return state_ == kHolding; }
  std::uint64_t payload() const {
    if (state_ == kMovedFrom) fail("use of a moved-from value");
    if (state_ == kDestroyed) fail("use of a destroyed value");
    if (state_ == kEmpty) fail("use of a default-constructed value a map never filled");
    if (state_ != kHolding) fail("use of a value with a corrupt state (never constructed?)");
    return payload_;
  }

 private:
  // Odd magic numbers, so uninitialised or scribbled memory is unlikely to pass.
  enum State : std::uint32_t {
    kHolding = 0x600dcafe,
    kEmpty = 0x0e3917f1,
    kMovedFrom = 0x30bedf0f,
    kDestroyed = 0xdeadbeef,
  };

  State take_state() {
    if (state_ == kMovedFrom) fail("a moved-from value was moved again");
    if (state_ == kDestroyed) fail("a destroyed value was moved");
    if (state_ != kHolding && state_ != kEmpty) fail("a value with a corrupt state was moved");
    const State s = state_;
    state_ = kMovedFrom;
    return s;
  }
  void check_assignable() const {
    if (state_ == kDestroyed) fail("assignment to a destroyed value");
    if (state_ != kHolding && state_ != kEmpty && state_ != kMovedFrom)
      fail("assignment to a value with a corrupt state (never constructed?)");
  }

  std::uint64_t payload_ = 0;
  State state_;
};

}  // namespace slotlab::fuzz
