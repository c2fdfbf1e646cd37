// Test-only view into the Go model: reads tophash states of a chain and
// corrupts a table on purpose (the checker must notice). GoMap befriends this.
#pragma once

#include <cstdint>
#include <vector>

#include "maps/core/hashers.hpp"
#include "maps/strategies/go/go_map.hpp"

namespace slotlab::go {

struct GoMapTestAccess {
  // tophash states of bucket j's chain in the current array, one row per bucket.
  template <class M>
  static std::vector<std::vector<int>> chain(const M& m, std::uint64_t j) {
    std::vector<std::vector<int>> rows;
    for (auto* b = m.buckets_ + j; b != nullptr; b = b->overflow)
      rows.emplace_back(b->tophash, b->tophash + kBucketCnt);
    return rows;
  }
  // The bucket a key hashes to now (the seed is part of the hash).
  template <class M>
  static std::uint64_t bucket_of(const M& m, const typename M::key_type& key) {
    return m.hash_of(key) & M::bucket_mask(m.B_);
  }
  template <class M>
  static void set_tophash(M& m, std::uint64_t j, unsigned depth, unsigned i, std::uint8_t v) {
    auto* b = m.buckets_ + j;
    while (depth-- > 0) b = b->overflow;
    b->tophash[i] = v;
  }
  template <class M>
  static std::uint8_t tophash(const M& m, std::uint64_t j, unsigned depth, unsigned i) {
    auto* b = m.buckets_ + j;
    while (depth-- > 0) b = b->overflow;
    return b->tophash[i];
  }
  template <class M>
  static void set_noverflow(M& m, std::uint16_t v) { m.noverflow_ = v; }
  template <class M>
  static void set_count(M& m, std::uint64_t v) { m.count_ = v; }
};

// Every key in one bucket (for B <= 16): the low 16 bits of the hash are zero,
// the top bits still vary, so tophash values differ.
struct OneBucketHash {
  std::size_t operator()(std::uint64_t key) const noexcept {
    return fmix64(key + 1) & ~std::uint64_t{0xFFFF};
  }
};

}  // namespace slotlab::go
