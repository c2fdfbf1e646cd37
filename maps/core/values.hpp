// Value types the harness stores: plain uint64 (the common benchmark case) and
// a move-only value, which proves a strategy never copies a mapped value behind
// the caller's back (it would not compile) and owns a heap object whose leak or
// double free the sanitizers see.
#pragma once

#include <cstdint>
#include <memory>

namespace slotlab {

class MoveOnlyValue {
 public:
  MoveOnlyValue() = default;
  explicit MoveOnlyValue(std::uint64_t v) : box_(std::make_unique<std::uint64_t>(v)) {}
  MoveOnlyValue(MoveOnlyValue&&) noexcept = default;
  MoveOnlyValue& operator=(MoveOnlyValue&&) noexcept = default;
  MoveOnlyValue(const MoveOnlyValue&) = delete;
  MoveOnlyValue& operator=(const MoveOnlyValue&) = delete;

  bool has_value() const { return box_ != nullptr; }
  std::uint64_t value() const { return box_ ? *box_ : ~std::uint64_t{0}; }
  friend bool operator==(const MoveOnlyValue& a, const MoveOnlyValue& b) {
    return a.value() == b.value();
  }

 private:
  std::unique_ptr<std::uint64_t> box_;
};

}  // namespace slotlab
