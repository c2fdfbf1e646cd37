// ordered_tombstone: ordered linear probing with tombstones -- the "classic"
// table of Bender, Kuszmaul and Kuszmaul, "Linear Probing Revisited:
// Tombstones Mark the Demise of Primary Clustering", FOCS 2021 (arXiv
// 2107.01250), section 2: ordered linear probing, deletions leave tombstones,
// rebuilt when they fill the table's slack. Without planting, its claim is
// the anti-clustering one: tombstones left by a steady churn already spread
// out and make inserts cost O~(x) amortized at load 1 - 1/x, against
// Theta(x^2) for an unordered table that never reuses them for queries.
//
// Placement and queries: the ordered layout of table.hpp -- a run sorted by
// home, tombstones included; a query stops at the first slot homed past its
// own (a tombstone keeps its erased key's distance, hence its place in the
// order, so it stops queries too).
// Deletion: the slot becomes a tombstone that keeps the key's distance.
// Reuse: an insert takes the tombstone just before its ordered position, or
// the one at it; else it shifts the keys at its position forward into the
// next free slot, which may be a tombstone (the first one past its position).
// Rebuild: as `tombstone` (tombstone.hpp), in place, dropping every tombstone.
// Metadata: WordControl, 2 bytes per slot (tag or state, plus the distance).
#pragma once

#include <functional>
#include <string_view>

#include "maps/strategies/linear_probing/table.hpp"
#include "maps/strategies/linear_probing/tombstone.hpp"
#include "maps/strategies/linear_probing/word_control.hpp"

namespace slotlab {

template <class K, class V, class Hash, class Eq = std::equal_to<K>,
          class Alloc = CountingAllocator<std::pair<const K, V>>>
using OrderedTombstoneMap =
    linear_probing::Table<K, V, Hash, Eq, Alloc,
                          linear_probing::TombstonePolicyFor<linear_probing::WordControl, true>>;

struct OrderedTombstoneStrategy {
  static constexpr std::string_view name = "ordered_tombstone";
  static constexpr std::string_view summary =
      "ordered linear probing, tombstones keep their key's place in the run's order";
  template <class K, class V, class Hash, class Eq = std::equal_to<K>>
  using map = OrderedTombstoneMap<K, V, Hash, Eq>;
};

}  // namespace slotlab
