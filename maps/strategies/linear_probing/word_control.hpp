// WordControl: a 16-bit metadata word per slot -- the state or tag of
// control.hpp in the low byte, and for a full slot its key's distance from
// home in the high byte (saturating at 255: "255 or more, ask the hash").
// 8 slots per SSE2 group. The layout of `backshift` and of the ordered
// strategies (ordered_*.hpp), where a tombstone keeps the erased key's
// distance in its high byte, so a probe can tell it is homed past its own.
//
// Why the distance. Backward-shift deletion (Knuth's Algorithm R) walks the
// rest of the cluster and asks of every key there whether its home lies
// cyclically after the gap. Without the distance each question costs a rehash:
// at the default load (0.5 after growth) an erase passes ~4 full slots but
// moves only ~0.6 keys, and that walk was ~100 instructions per churn op
// (callgrind), leaving backshift 18% (2^16 keys) and 30% (2^20) slower than
// absl. With the distance, distance_at_least answers for 8 slots per compare
// and the walk touches only the keys that move: with table.hpp's per-operation
// index arithmetic, churn went 66.1 -> 55.7 ns/op at 2^16 (absl 55.6) and
// 222 -> 185 at 2^20 (absl 174), medians of 25 interleaved slotlab_bench runs.
// Measured and dropped (churn, strong hash, medians of 7 interleaved runs):
//   - 4 home bits inside the 8-bit byte (3-bit tag): false key compares per
//     op 0.02 -> 0.1, and the walk still cost ~19% over tombstone;
//   - one byte of full bit, 3-bit tag and 4-bit distance (a probe matching
//     tag and distance, the walk as here): 54.6 vs 55.6 ns/op at 2^16 but 241
//     vs 235 at 2^20 (absl's footprint did not buy the gap back), and past
//     distance 15 a probe compares one key in 8 it passes: churn at a fixed
//     load of 0.95 (trace, 2^16 keys) took 502-524 ns/op against 419-431;
//   - a separate distance array: a third cache line per op;
//   - 16 slots per group (two loads): backshift 57.6 -> 65.9 ns/op at 2^16;
//     its probes are short (no tombstones), so the wider group is pure cost;
//   - this layout for all three strategies: `tombstone` went 54.6 -> 66.7
//     ns/op at 2^16 (twice the metadata, and its tombstone-lengthened probes
//     take twice the groups), so the tombstone policies keep ByteControl.
#pragma once

#include <cstddef>
#include <cstdint>

#include "maps/strategies/linear_probing/control.hpp"

namespace slotlab::linear_probing {

struct WordControl {
  using Word = std::uint16_t;
  static constexpr std::size_t kGroupWidth = 8;
  static constexpr bool kStoresDistance = true;
  static constexpr std::size_t kDistanceCap = 255;

  static Word full(std::uint8_t tag, std::size_t distance) {
    const std::size_t d = distance < kDistanceCap ? distance : kDistanceCap;
    return static_cast<Word>(tag | (d << 8));
  }
  static std::uint8_t tag(Word w) { return static_cast<std::uint8_t>(w & 0xff); }
  // A non-full state (kTombstone, kPlanted) that keeps a distance from home.
  static Word marked(std::uint8_t state, std::size_t distance) { return full(state, distance); }
  // Exact below kDistanceCap; kDistanceCap means "that or more".
  static std::size_t distance(Word w) { return w >> 8; }
  // The word of the same key (or tombstone) one slot further from home: what
  // full(tag(w), distance(w) + 1) gives, without taking the word apart.
  static Word one_further(Word w) {
    return distance(w) < kDistanceCap ? static_cast<Word>(w + (1u << 8)) : w;
  }
  // ... and one slot closer, for a word below the cap (its distance is exact).
  static Word one_closer(Word w) { return static_cast<Word>(w - (1u << 8)); }
  // Masks: bit 2t describes slot t of the group (the byte movemask, read at
  // each word's low byte); odd bits are 0.
  static unsigned slot_at(std::uint32_t m) { return static_cast<unsigned>(__builtin_ctz(m)) >> 1; }

  class Group;
  // Ordered layouts: slot t of a group `offset` slots past a probe's home is
  // offset + t slots from it (saturating at kDistanceCap) -- the thresholds
  // Group::homed_past compares the stored distances with. A scan advances
  // them a group at a time (one saturating add) rather than building them
  // from the offset at every group; at the home, offset 0, they are a constant.
  // (With the other trims of the ordered churn path in table.hpp: 423 -> 402
  // instructions per churn op, callgrind, 2^16 keys, workload included.)
  class Offsets {
   public:
#if defined(__SSE2__)
    explicit Offsets(std::size_t offset) {
      const std::size_t o = offset < kDistanceCap ? offset : kDistanceCap;
      bytes_ = _mm_adds_epu8(
          _mm_set1_epi16(static_cast<short>(o << 8)),
          _mm_setr_epi16(0, 1 << 8, 2 << 8, 3 << 8, 4 << 8, 5 << 8, 6 << 8, 7 << 8));
    }
    void next_group() {
      bytes_ = _mm_adds_epu8(bytes_, _mm_set1_epi16(static_cast<short>(kGroupWidth << 8)));
    }

   private:
    friend class Group;
    __m128i bytes_;  // the high byte of word t: the threshold of slot t; low bytes 0
#else
    explicit Offsets(std::size_t offset) : offset_(offset) {}
    void next_group() { offset_ += kGroupWidth; }

   private:
    friend class Group;
    std::size_t offset_;
#endif
  };

  class Group {
   public:
#if defined(__SSE2__)
    explicit Group(const Word* p) : words_(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p))) {}
    std::uint32_t match(std::uint8_t tag) const { return bytes_equal(words_, tag) & kSlotBits; }
    std::uint32_t probe_ends() const { return bytes_ending_probes(words_) & kSlotBits; }
    std::uint32_t not_full() const { return ~bytes_full(words_) & kSlotBits; }
    // Full slots whose key sits at least offset + t slots from its home (slot
    // t of the group): the keys a backward shift moves into a gap `offset`
    // slots before the group. Saturates as the stored distance does, so a
    // slot at kDistanceCap always qualifies and the caller asks the hash.
    std::uint32_t distance_at_least(std::size_t offset) const {
      return (at_least(Offsets(offset)) >> 1) & bytes_full(words_) & kSlotBits;  // the distance byte's verdict
    }

    // Ordered layouts: slots holding a key or tombstone homed past the probe's
    // home, which is `offset` slots before the group -- stored distance below
    // offset + t. A saturated distance never qualifies (its home is unknown).
    std::uint32_t homed_past(const Offsets& offsets) const {
      return ~(at_least(offsets) >> 1) & ~bytes_ending_probes(words_) & kSlotBits;
    }
    // Full slots whose key sits at home (distance 0).
    std::uint32_t at_home() const {
      return (bytes_equal(words_, 0) >> 1) & bytes_full(words_) & kSlotBits;
    }

   private:
    static constexpr std::uint32_t kSlotBits = 0x5555;  // the state-or-tag bytes
    // Bit 2t+1: slot t's distance byte >= its threshold (offset + t, saturating at the cap).
    std::uint32_t at_least(const Offsets& offsets) const {
      return byte_mask(_mm_cmpeq_epi8(_mm_max_epu8(words_, offsets.bytes_), words_));
    }
    __m128i words_;
#else
    explicit Group(const Word* p) : p_(p) {}
    std::uint32_t match(std::uint8_t tag) const {
      return collect([tag](Word c) { return WordControl::tag(c) == tag; });
    }
    std::uint32_t probe_ends() const { return collect([](Word c) { return ends_probe(c); }); }
    std::uint32_t not_full() const { return collect([](Word c) { return !is_full(c); }); }
    std::uint32_t distance_at_least(std::size_t offset) const {
      return collect_at([offset](Word c, std::size_t t) {
        const std::size_t need = offset + t < kDistanceCap ? offset + t : kDistanceCap;
        return is_full(c) && WordControl::distance(c) >= need;
      });
    }
    std::uint32_t homed_past(const Offsets& offsets) const {
      return collect_at([offset = offsets.offset_](Word c, std::size_t t) {
        const std::size_t d = WordControl::distance(c);
        return !ends_probe(c) && d < kDistanceCap && d < offset + t;
      });
    }
    std::uint32_t at_home() const {
      return collect([](Word c) { return is_full(c) && WordControl::distance(c) == 0; });
    }

   private:
    template <class F>
    std::uint32_t collect(F f) const {
      return collect_at([&f](Word c, std::size_t) { return f(c); });
    }
    template <class F>
    std::uint32_t collect_at(F f) const {
      std::uint32_t m = 0;
      for (std::size_t t = 0; t < kGroupWidth; ++t) m |= std::uint32_t{f(p_[t], t)} << (2 * t);
      return m;
    }
    const Word* p_;
#endif
  };
};

}  // namespace slotlab::linear_probing
