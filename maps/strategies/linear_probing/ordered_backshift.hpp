// ordered_backshift: ordered linear probing with backward-shift deletion --
// robin-hood linear probing (Celis, Larson, Munro, "Robin Hood hashing", FOCS
// 1985; with linear probing and homes monotone in the slot, keeping a run
// sorted by home is robin hood's "rich give to the poor" rule, ties aside).
// The suite's `robin` (tsl::robin_map, /usr/include/tsl/robin_hash.h:
// insert_value's swap loop, erase_from_bucket) is the same design.
//
// Placement: a key goes to its ordered position in the run (table.hpp,
// ordered_room): before the first key homed past its home, the keys from
// there on shifting forward by one into the next empty slot.
// Queries stop at the first key homed past theirs or at an empty slot, so a
// miss costs about what a hit does (theory_test.cpp: 1 + a * hit).
// Deletion: the keys after the erased one move back by one, up to the first
// key already at home or the first empty slot (ordered_shift_back) -- where
// unordered Algorithm R (`backshift`) must walk to the end of the cluster.
// Reuse: the slot is free at once (kFreed marks the run's last moved slot).
// Rebuild: only to grow (shared sizing rules in table.hpp).
// Metadata: WordControl, 2 bytes per slot (tag and distance from home: both
// the probes' stop rule and the shifts read homes off the distances).
// Counted: shifted_slots = keys moved back by erases plus keys moved forward
// by inserts.
#pragma once

#include <functional>
#include <string_view>

#include "maps/strategies/linear_probing/policy_hooks.hpp"
#include "maps/strategies/linear_probing/table.hpp"
#include "maps/strategies/linear_probing/word_control.hpp"

namespace slotlab::linear_probing {

struct OrderedBackshiftPolicy : NoScheduledRebuilds {
  using Control = WordControl;
  static constexpr bool kLeavesTombstones = false;
  static constexpr bool kOrdered = true;
  template <class T, class Index>
  [[gnu::always_inline]] void erase_at(T& t, Index ix, std::size_t i) { t.ordered_shift_back(ix, i); }
  template <class T>
  bool wants_rebuild(const T&) const { return false; }
};

}  // namespace slotlab::linear_probing

namespace slotlab {

template <class K, class V, class Hash, class Eq = std::equal_to<K>,
          class Alloc = CountingAllocator<std::pair<const K, V>>>
using OrderedBackshiftMap =
    linear_probing::Table<K, V, Hash, Eq, Alloc, linear_probing::OrderedBackshiftPolicy>;

struct OrderedBackshiftStrategy {
  static constexpr std::string_view name = "ordered_backshift";
  static constexpr std::string_view summary =
      "robin-hood linear probing: runs sorted by home, backward shift up to the first key at home";
  template <class K, class V, class Hash, class Eq = std::equal_to<K>>
  using map = OrderedBackshiftMap<K, V, Hash, Eq>;
};

}  // namespace slotlab
