// One metadata byte per slot, kept apart from the key/value array so that a
// probe walks a dense byte array and touches a slot only when the byte's 7-bit
// hash tag matches (a miss usually reads no slot at all). Linear probing's probe
// sequence is contiguous, so 16 control bytes are examined per SSE2 compare;
// the probe length is still counted in slots (the distance from home), exactly
// as in a byte-at-a-time scan -- the groups are a speed-up, not a different
// probe sequence.
//
// The byte array is capacity + 16 long: the last 16 bytes mirror the first 16,
// so a 16-byte load at any position sees the wrapped-around continuation.
#pragma once

#include <cstddef>
#include <cstdint>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace slotlab::linear_probing {

// kEmpty: never held a key since the array was (re)built.
// kFreed: empty, but held a key that a backward-shift erase moved away or
//         removed (only `backshift` writes it; it ends a probe like kEmpty and
//         lets the stats tell fresh slots from reused ones).
// kTombstone: erased; a probe passes it, an insert may take it.
// kPlanted: a tombstone a graveyard rebuild planted (only `graveyard` writes
//         it). Probes and inserts treat it exactly as kTombstone, but no erase
//         freed it -- it is room the rebuild set aside -- so an insert into it
//         counts as fresh, not reused (see MapStats).
// full: 0x80 | 7-bit tag of the hash.
inline constexpr std::uint8_t kEmpty = 0x00;
inline constexpr std::uint8_t kFreed = 0x01;
inline constexpr std::uint8_t kTombstone = 0x02;
inline constexpr std::uint8_t kPlanted = 0x03;
inline constexpr std::uint8_t kFullBit = 0x80;
inline constexpr std::size_t kGroupWidth = 16;

// The home slot comes from the low bits (power-of-two tables) or the high bits
// (other sizes, Lemire's multiply-shift) of the hash; folding both ends into the
// tag keeps it independent of the home in either case.
inline std::uint8_t tag_of(std::size_t hash) {
  return static_cast<std::uint8_t>(kFullBit | ((hash ^ (hash >> 57)) & 0x7f));
}
inline bool is_full(std::uint8_t c) { return (c & kFullBit) != 0; }
inline bool ends_probe(std::uint8_t c) { return c <= kFreed; }
inline bool is_tombstone(std::uint8_t c) { return (c & 0xfe) == kTombstone; }  // either kind

// Bit i of each mask describes byte i of the 16 bytes starting at `p`.
class ControlGroup {
 public:
#if defined(__SSE2__)
  explicit ControlGroup(const std::uint8_t* p)
      : bytes_(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p))) {}
  std::uint32_t match(std::uint8_t tag) const {
    return mask(_mm_cmpeq_epi8(bytes_, _mm_set1_epi8(static_cast<char>(tag))));
  }
  // kEmpty or kFreed: byte <= 1, unsigned.
  std::uint32_t probe_ends() const {
    return mask(_mm_cmpeq_epi8(_mm_min_epu8(bytes_, _mm_set1_epi8(kFreed)), bytes_));
  }
  std::uint32_t not_full() const { return ~mask(bytes_) & 0xffffu; }

 private:
  static std::uint32_t mask(__m128i v) { return static_cast<std::uint32_t>(_mm_movemask_epi8(v)); }
  __m128i bytes_;
#else
  explicit ControlGroup(const std::uint8_t* p) : p_(p) {}
  std::uint32_t match(std::uint8_t tag) const {
    return collect([tag](std::uint8_t c) { return c == tag; });
  }
  std::uint32_t probe_ends() const { return collect(ends_probe); }
  std::uint32_t not_full() const { return collect([](std::uint8_t c) { return !is_full(c); }); }

 private:
  template <class F>
  std::uint32_t collect(F f) const {
    std::uint32_t m = 0;
    for (std::size_t i = 0; i < kGroupWidth; ++i) m |= std::uint32_t{f(p_[i])} << i;
    return m;
  }
  const std::uint8_t* p_;
#endif
};

// The bits strictly below the lowest set bit of m; all bits when m == 0.
inline std::uint32_t below_lowest(std::uint32_t m) { return (m & (0u - m)) - 1u; }

}  // namespace slotlab::linear_probing
