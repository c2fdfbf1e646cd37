// tombstone: classic linear probing with deletion markers (Knuth, TAOCP vol. 3,
// 6.4; the textbook alternative to Algorithm R).
//
// Deletion: the slot's control byte becomes a tombstone; lookups pass over it.
// Reuse: an insert first confirms the key is absent (its scan runs to the slot
// that ends the probe), then takes the first tombstone on its probe path, or
// the empty slot if it met none.
// Rebuild: when live keys + tombstones would pass the occupancy limit (7/8 of
// the slots, or n + f/2 under with_live_load; see table.hpp), the table is
// rebuilt in place at the same capacity -- all tombstones dropped -- unless the
// live keys alone call for growth.
// Metadata: ByteControl, 1 byte per slot (state or 7-bit hash tag).
#pragma once

#include <functional>
#include <string_view>

#include "maps/strategies/linear_probing/policy_hooks.hpp"
#include "maps/strategies/linear_probing/byte_control.hpp"
#include "maps/strategies/linear_probing/table.hpp"

namespace slotlab::linear_probing {

// ControlLayout and kOrderedRuns: the layout the table probes (ordered_tombstone.hpp
// instantiates this policy on ordered runs of WordControl).
template <class ControlLayout, bool kOrderedRuns>
struct TombstonePolicyFor : NoScheduledRebuilds {
  using Control = ControlLayout;
  static constexpr bool kLeavesTombstones = true;
  static constexpr bool kOrdered = kOrderedRuns;
  template <class T, class Index>
  void erase_at(T& t, Index, std::size_t i) { t.leave_tombstone(i); }
  template <class T>
  bool wants_rebuild(const T& t) const {
    return t.size_ + t.tombstones_ + 1 > t.occupancy_limit_;
  }
};
using TombstonePolicy = TombstonePolicyFor<ByteControl, false>;

}  // namespace slotlab::linear_probing

namespace slotlab {

template <class K, class V, class Hash, class Eq = std::equal_to<K>,
          class Alloc = CountingAllocator<std::pair<const K, V>>>
using TombstoneMap = linear_probing::Table<K, V, Hash, Eq, Alloc, linear_probing::TombstonePolicy>;

struct TombstoneStrategy {
  static constexpr std::string_view name = "tombstone";
  static constexpr std::string_view summary =
      "linear probing, erase leaves a tombstone; insert reuses the first on its path";
  template <class K, class V, class Hash, class Eq = std::equal_to<K>>
  using map = TombstoneMap<K, V, Hash, Eq>;
};

}  // namespace slotlab
