// Go's bucket (runtime/map.go, bmap) and its tophash states, as Go 1.19 lays
// them out: 8 tophash bytes, then the 8 keys, then the 8 values, then the
// overflow pointer. Keys and values packed apart (not key/value pairs) is
// Go's choice to avoid padding; for map[uint64]uint64 a bucket is
// 8 + 64 + 64 + 8 = 144 bytes in both Go and this model.
//
// Also here: the SWAR helpers that scan the 8 tophash bytes of a bucket as one
// 64-bit word. They compute exactly what Go's byte-by-byte loops compute (first
// emptyRest, first empty slot, slots whose tophash equals the key's); they are
// the model's fast path, as mapaccess1_fast64 is Go's.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace slotlab::go {

inline constexpr unsigned kBucketCnt = 8;  // bucketCnt
inline constexpr unsigned kLoadFactorNum = 13;  // loadFactorNum / loadFactorDen = 6.5
inline constexpr unsigned kLoadFactorDen = 2;

// Tophash states (map.go). A slot's tophash below kMinTopHash is a state, not a hash.
inline constexpr std::uint8_t kEmptyRest = 0;       // empty, and nothing live after it in the chain
inline constexpr std::uint8_t kEmptyOne = 1;        // empty; live slots may follow
inline constexpr std::uint8_t kEvacuatedX = 2;      // moved to the first half of the new array
inline constexpr std::uint8_t kEvacuatedY = 3;      // moved to the second half
inline constexpr std::uint8_t kEvacuatedEmpty = 4;  // was empty when its bucket was evacuated
inline constexpr std::uint8_t kMinTopHash = 5;

constexpr bool is_empty(std::uint8_t top) { return top <= kEmptyOne; }

// Top 8 bits of the hash, bumped clear of the state values (tophash()).
constexpr std::uint8_t tophash_of(std::uint64_t hash) {
  auto top = static_cast<std::uint8_t>(hash >> 56);
  if (top < kMinTopHash) top += kMinTopHash;
  return top;
}

// overLoadFactor: more than 6.5 keys per bucket on average (and more than one bucket's worth).
constexpr bool over_load_factor(std::uint64_t count, unsigned B) {
  return count > kBucketCnt &&
         count > kLoadFactorNum * ((std::uint64_t{1} << B) / kLoadFactorDen);
}

// tooManyOverflowBuckets: "as many overflow buckets as buckets", capped at 2^15.
constexpr bool too_many_overflow_buckets(std::uint16_t noverflow, unsigned B) {
  if (B > 15) B = 15;
  return noverflow >= (std::uint16_t{1} << B);
}

template <class K, class V>
struct Bucket {
  std::uint8_t tophash[kBucketCnt];
  alignas(K) unsigned char key_bytes[kBucketCnt * sizeof(K)];
  alignas(V) unsigned char value_bytes[kBucketCnt * sizeof(V)];
  Bucket* overflow;

  K* key(unsigned i) { return std::launder(reinterpret_cast<K*>(key_bytes) + i); }
  const K* key(unsigned i) const { return std::launder(reinterpret_cast<const K*>(key_bytes) + i); }
  V* value(unsigned i) { return std::launder(reinterpret_cast<V*>(value_bytes) + i); }
  const V* value(unsigned i) const {
    return std::launder(reinterpret_cast<const V*>(value_bytes) + i);
  }
  void* key_slot(unsigned i) { return key_bytes + i * sizeof(K); }
  void* value_slot(unsigned i) { return value_bytes + i * sizeof(V); }

  // evacuated(): the first tophash holds an evacuation state.
  bool evacuated() const {
    return tophash[0] > kEmptyOne && tophash[0] < kMinTopHash;
  }

  std::uint64_t tophash_word() const {
    std::uint64_t w;
    std::memcpy(&w, tophash, sizeof w);
    return w;  // little-endian: slot i is byte i
  }
};

// --- SWAR over the 8 tophash bytes (slot i = byte i, little-endian) ---------
inline constexpr std::uint64_t kLsbs = 0x0101010101010101ull;
inline constexpr std::uint64_t kMsbs = 0x8080808080808080ull;

// High bit of byte i set when byte i is zero. Exact for the lowest zero byte;
// a byte 0x01 right after a zero byte can also be flagged (borrow), which the
// callers tolerate: they use only the lowest flag, or verify by key compare.
constexpr std::uint64_t zero_bytes(std::uint64_t w) { return (w - kLsbs) & ~w & kMsbs; }

// Slots before the first emptyRest (all 8 when there is none), as a byte mask.
constexpr std::uint64_t before_first_rest(std::uint64_t w) {
  const std::uint64_t z = zero_bytes(w);
  if (z == 0) return ~std::uint64_t{0};
  return (z & (~z + 1)) - 1;  // bits below the lowest flagged byte's high bit
}

// Slots whose tophash is `top` (>= kMinTopHash); may include a false positive
// right after a true match, never misses one.
constexpr std::uint64_t match_top(std::uint64_t w, std::uint8_t top) {
  return zero_bytes(w ^ (kLsbs * top));
}

// Slots that are empty (emptyOne or emptyRest); exact, since masking the low
// bit leaves no byte equal to 0x01 to trigger a borrow false positive.
constexpr std::uint64_t empty_slots(std::uint64_t w) {
  return zero_bytes(w & ~kLsbs);
}

// Index of the slot whose flag is the lowest set bit of a byte mask.
constexpr unsigned first_slot(std::uint64_t mask) {
  return static_cast<unsigned>(std::countr_zero(mask)) / 8;
}

}  // namespace slotlab::go
