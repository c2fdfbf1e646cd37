// Go's Swiss-table group (Go 1.24+, internal/runtime/maps/group.go) and the
// probe sequence over groups (table.go, probeSeq / makeProbeSeq / next).
//
// A group is one control word of 8 bytes, then 8 slots; each slot holds a key
// and its value side by side (Go interleaves them: typ.SlotSize, typ.ElemOff).
// Control byte i describes slot i:
//   0b1000_0000 (ctrlEmpty)    never used since the table was built, or freed
//                              by a delete in a group that still had an empty
//                              slot, or by pruneTombstones
//   0b1111_1110 (ctrlDeleted)  a tombstone: freed by a delete in a full group
//   0b0hhh_hhhh                full; the low 7 bits of the hash (H2)
// For map[uint64]uint64 a group is 8 + 8 x 16 = 136 bytes, in Go and here. A
// std::string key is 32 bytes here (16 in Go), so a string group is larger.
//
// The bitset helpers compute what group.go's ctrlGroup.match* compute: one
// flag (bit 7 of byte i) per matching slot. matchEmpty, matchEmptyOrDeleted
// and matchFull are group.go's portable formulas verbatim. matchH2 is exact
// here -- no false positive after a true match -- which is what the SIMD
// intrinsic Go uses on amd64 returns (group.go's portable fallback may flag
// an extra slot, which only costs a key compare); no slot choice depends on it.
#pragma once

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <new>

namespace slotlab::goswiss {

inline constexpr unsigned kGroupSlots = 8;         // abi.MapGroupSlots
inline constexpr unsigned kMaxAvgGroupLoad = 7;    // maxAvgGroupLoad: 7 of 8 slots
inline constexpr unsigned kMaxTableCapacity = 1024;  // maxTableCapacity (slots)

inline constexpr std::uint8_t kCtrlEmpty = 0x80;    // ctrlEmpty
inline constexpr std::uint8_t kCtrlDeleted = 0xFE;  // ctrlDeleted

inline constexpr std::uint64_t kBitsetLsb = 0x0101010101010101ull;  // bitsetLSB
inline constexpr std::uint64_t kBitsetMsb = 0x8080808080808080ull;  // bitsetMSB
inline constexpr std::uint64_t kBitsetEmpty = kBitsetLsb * kCtrlEmpty;

// H1: the upper 57 bits (probe start); H2: the low 7 bits (control byte).
constexpr std::uint64_t h1(std::uint64_t hash) { return hash >> 7; }
constexpr std::uint8_t h2(std::uint64_t hash) { return static_cast<std::uint8_t>(hash & 0x7f); }

// --- bitset: bit 7 of byte i set = slot i selected ---------------------------
constexpr std::uint64_t match_h2(std::uint64_t ctrl, std::uint8_t h) {
  const std::uint64_t v = ctrl ^ (kBitsetLsb * h);
  constexpr std::uint64_t kLow7 = ~kBitsetMsb;
  return ~(((v & kLow7) + kLow7) | v) & kBitsetMsb;  // exactly the zero bytes of v
}
constexpr std::uint64_t match_empty(std::uint64_t ctrl) { return (ctrl & ~(ctrl << 6)) & kBitsetMsb; }
constexpr std::uint64_t match_empty_or_deleted(std::uint64_t ctrl) { return ctrl & kBitsetMsb; }
constexpr std::uint64_t match_full(std::uint64_t ctrl) { return ~ctrl & kBitsetMsb; }
constexpr unsigned first(std::uint64_t bitset) {
  return static_cast<unsigned>(std::countr_zero(bitset)) >> 3;
}
constexpr std::uint64_t remove_first(std::uint64_t bitset) { return bitset & (bitset - 1); }
constexpr std::uint64_t remove_below(std::uint64_t bitset, unsigned i) {
  return bitset & ~((std::uint64_t{1} << (8 * i)) - 1);
}
constexpr unsigned count(std::uint64_t bitset) { return static_cast<unsigned>(std::popcount(bitset)); }
constexpr bool is_full(std::uint8_t c) { return (c & kCtrlEmpty) == 0; }

// probeSeq: groups hash, hash+1, hash+1+2, ... (mod groups), a triangular walk
// that visits every group exactly once when the group count is a power of two.
struct ProbeSeq {
  std::uint64_t mask;
  std::uint64_t offset;
  std::uint64_t index = 0;
  ProbeSeq(std::uint64_t hash_h1, std::uint64_t length_mask)
      : mask(length_mask), offset(hash_h1 & length_mask) {}
  void next() {
    ++index;
    offset = (offset + index) & mask;
  }
};

// Go's slot layout: the key at offset 0, the value at ElemOff, slots SlotSize apart.
template <class K, class V>
struct SlotLayout {
  static constexpr std::size_t kAlign = std::max(alignof(K), alignof(V));
  static constexpr std::size_t kElemOff = (sizeof(K) + alignof(V) - 1) / alignof(V) * alignof(V);
  static constexpr std::size_t kSlotSize = (kElemOff + sizeof(V) + kAlign - 1) / kAlign * kAlign;
};

template <class K, class V>
struct Group {
  using Layout = SlotLayout<K, V>;
  std::uint8_t ctrl[kGroupSlots];  // ctrlGroup; little-endian word: slot i = byte i
  alignas(Layout::kAlign) unsigned char slots[kGroupSlots * Layout::kSlotSize];

  std::uint64_t ctrl_word() const {
    std::uint64_t w;
    std::memcpy(&w, ctrl, sizeof w);
    return w;
  }
  void set_empty() { std::memset(ctrl, kCtrlEmpty, sizeof ctrl); }  // setEmpty

  void* key_slot(unsigned i) { return slots + i * Layout::kSlotSize; }
  void* value_slot(unsigned i) { return slots + i * Layout::kSlotSize + Layout::kElemOff; }
  K* key(unsigned i) { return std::launder(static_cast<K*>(key_slot(i))); }
  const K* key(unsigned i) const {
    return std::launder(reinterpret_cast<const K*>(slots + i * Layout::kSlotSize));
  }
  V* value(unsigned i) { return std::launder(static_cast<V*>(value_slot(i))); }
  const V* value(unsigned i) const {
    return std::launder(reinterpret_cast<const V*>(slots + i * Layout::kSlotSize + Layout::kElemOff));
  }
};

}  // namespace slotlab::goswiss
