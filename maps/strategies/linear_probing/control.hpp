// Per-slot metadata shared by the linear-probing table (table.hpp): the slot
// states and the 7-bit hash tag. Two layouts carry them (a policy picks one):
//   byte_control.hpp  one byte per slot: state or tag. `tombstone`, `graveyard`.
//   word_control.hpp  two bytes per slot: state or tag, plus the key's distance
//                     from its home slot. `backshift`, whose erase needs homes,
//                     and the ordered layouts (ordered_*.hpp), whose probes stop
//                     by homes -- there a tombstone keeps its key's distance too.
// Metadata lives apart from the key/value array so that a probe walks a dense
// array and touches a slot only when the tag matches (a miss usually reads no
// slot at all). Linear probing's probe sequence is contiguous, so a group of
// consecutive slots is examined per SSE2 compare; probe lengths are still
// counted in slots (the distance from home), exactly as in a slot-at-a-time
// scan -- the groups are a speed-up, not a different probe sequence.
// Both metadata arrays are capacity + group-width long: the tail mirrors the
// first group, so a group read at any position sees the wrapped continuation.
#pragma once

#include <cstddef>
#include <cstdint>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace slotlab::linear_probing {

// The state, in the low byte of either layout (a non-full slot's other byte is
// 0, except an ordered layout's tombstone, which keeps its key's distance):
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

// The home slot comes from the low bits (power-of-two tables) or the high bits
// (other sizes, Lemire's multiply-shift) of the hash; folding both ends into the
// tag keeps it independent of the home in either case.
inline std::uint8_t tag_of(std::size_t hash) {
  return static_cast<std::uint8_t>(kFullBit | ((hash ^ (hash >> 57)) & 0x7f));
}
// On either layout's word (a byte or a 16-bit word).
inline bool is_full(unsigned c) { return (c & kFullBit) != 0; }
inline bool ends_probe(unsigned c) { return c <= kFreed; }
inline bool is_tombstone(unsigned c) { return (c & 0xfeu) == kTombstone; }  // either kind
inline bool is_planted(unsigned c) { return (c & 0xffu) == kPlanted; }

// The bits strictly below the lowest set bit of m; all bits when m == 0.
inline std::uint32_t below_lowest(std::uint32_t m) { return (m & (0u - m)) - 1u; }

#if defined(__SSE2__)
// The state tests on 16 metadata bytes read at once, for both layouts: bit i
// of each mask describes byte i (a slot per byte for ByteControl, a slot per
// two bytes, state or tag first, for WordControl).
inline std::uint32_t byte_mask(__m128i v) {
  return static_cast<std::uint32_t>(_mm_movemask_epi8(v));
}
inline std::uint32_t bytes_equal(__m128i v, std::uint8_t b) {
  return byte_mask(_mm_cmpeq_epi8(v, _mm_set1_epi8(static_cast<char>(b))));
}
// kEmpty or kFreed: byte <= 1, unsigned.
inline std::uint32_t bytes_ending_probes(__m128i v) {
  return byte_mask(_mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(kFreed)), v));
}
inline std::uint32_t bytes_full(__m128i v) { return byte_mask(v); }  // the full bit
#endif

}  // namespace slotlab::linear_probing
