// KeyStream: fresh keys "never seen before", without remembering them.
//
// The i-th key is a bijective scramble of i (fmix64 is invertible, and so is
// xor with the seed), so distinct indices give distinct keys, the sequence
// looks uniformly random to every hasher, and a run is reproducible from its
// seed. Absent keys for unsuccessful lookups come from the upper half of the
// index space, which the insert stream never reaches.
//
// Under the `collide` hasher the stream emits whole blocks of 16 keys that
// share one hash (see maps/core/hashers.hpp): key = scramble(i / 16) * 16 + i % 16.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "maps/core/hashers.hpp"

namespace slotlab::bench {

class KeyStream {
 public:
  KeyStream(std::uint64_t seed, bool colliding_blocks)
      : seed_(fmix64(seed ^ 0x5EED5EED5EED5EEDull)), blocks_(colliding_blocks) {}

  std::uint64_t next() { return key_at(next_index_++); }
  // The j-th key that next() will never return.
  std::uint64_t absent(std::uint64_t j) const { return key_at((1ull << 63) + j); }
  std::uint64_t issued() const { return next_index_; }

 private:
  std::uint64_t key_at(std::uint64_t i) const {
    if (!blocks_) return fmix64(i ^ seed_);
    constexpr unsigned b = CollideHash::kBlockBits;
    return (fmix64((i >> b) ^ seed_) << b) | (i & ((1u << b) - 1));
  }

  std::uint64_t seed_;
  bool blocks_;
  std::uint64_t next_index_ = 0;
};

}  // namespace slotlab::bench
