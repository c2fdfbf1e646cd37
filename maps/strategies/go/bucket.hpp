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

// Go 1.19's malloc size classes (runtime/sizeclasses.go, class_to_size) and
// roundupsize (msize.go): a small request gets the smallest class that fits,
// a large one whole 8 KiB pages. makeBucketArray rounds its array up this way
// and keeps the slack as extra spare overflow buckets.
inline constexpr std::uint16_t kGoSizeClasses[] = {
    8,     16,    24,    32,    48,    64,    80,    96,    112,   128,   144,   160,
    176,   192,   208,   224,   240,   256,   288,   320,   352,   384,   416,   448,
    480,   512,   576,   640,   704,   768,   896,   1024,  1152,  1280,  1408,  1536,
    1792,  2048,  2304,  2688,  3072,  3200,  3456,  4096,  4864,  5376,  6144,  6528,
    6784,  6912,  8192,  9472,  9728,  10240, 10880, 12288, 13568, 14336, 16384, 18432,
    19072, 20480, 21760, 24576, 27264, 28672, 32768};

constexpr std::size_t go_roundupsize(std::size_t size) {
  constexpr std::size_t kMaxSmallSize = 32768, kPageSize = 8192;
  if (size < kMaxSmallSize)
    for (std::size_t c : kGoSizeClasses)
      if (c >= size) return c;
  return (size + kPageSize - 1) & ~(kPageSize - 1);
}

// makeBucketArray's length: 2^B buckets, plus 2^(B-4) spare overflow buckets
// when B >= 4, plus whatever fits in the size-class slack.
constexpr std::size_t bucket_array_length(unsigned B, std::size_t bucket_size) {
  std::size_t n = std::size_t{1} << B;
  if (B >= 4) {
    n += std::size_t{1} << (B - 4);
    const std::size_t size = bucket_size * n;
    const std::size_t up = go_roundupsize(size);
    if (up != size) n = up / bucket_size;
  }
  return n;
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
