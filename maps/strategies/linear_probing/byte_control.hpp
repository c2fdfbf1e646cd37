// ByteControl: one metadata byte per slot (control.hpp), 16 slots per SSE2
// group, as in SwissTable -- the layout of `tombstone` and `graveyard`, whose
// erase only marks a slot and so needs nothing beyond state and tag.
#pragma once

#include <cstddef>
#include <cstdint>

#include "maps/strategies/linear_probing/control.hpp"

namespace slotlab::linear_probing {

struct ByteControl {
  using Word = std::uint8_t;
  static constexpr std::size_t kGroupWidth = 16;
  static constexpr bool kStoresDistance = false;

  static Word full(std::uint8_t tag, std::size_t /*distance*/) { return tag; }
  static std::uint8_t tag(Word w) { return w; }
  // Masks: bit t describes slot t of the group.
  static unsigned slot_at(std::uint32_t m) { return static_cast<unsigned>(__builtin_ctz(m)); }

  class Group {
   public:
#if defined(__SSE2__)
    explicit Group(const Word* p) : bytes_(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p))) {}
    std::uint32_t match(std::uint8_t tag) const { return bytes_equal(bytes_, tag); }
    std::uint32_t probe_ends() const { return bytes_ending_probes(bytes_); }
    std::uint32_t not_full() const { return ~bytes_full(bytes_) & 0xffffu; }

   private:
    __m128i bytes_;
#else
    explicit Group(const Word* p) : p_(p) {}
    std::uint32_t match(std::uint8_t tag) const {
      return collect([tag](Word c) { return c == tag; });
    }
    std::uint32_t probe_ends() const { return collect([](Word c) { return ends_probe(c); }); }
    std::uint32_t not_full() const { return collect([](Word c) { return !is_full(c); }); }

   private:
    template <class F>
    std::uint32_t collect(F f) const {
      std::uint32_t m = 0;
      for (std::size_t t = 0; t < kGroupWidth; ++t) m |= std::uint32_t{f(p_[t])} << t;
      return m;
    }
    const Word* p_;
#endif
  };
};

}  // namespace slotlab::linear_probing
