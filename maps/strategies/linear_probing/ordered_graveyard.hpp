// ordered_graveyard: graveyard hashing as Bender, Kuszmaul and Kuszmaul
// define it ("Linear Probing Revisited: Tombstones Mark the Demise of Primary
// Clustering", FOCS 2021, arXiv 2107.01250, section 4): ordered linear
// probing with tombstones, rebuilt every n/(4x) updates at load 1 - 1/x,
// each rebuild planting n/(2x) tombstones with evenly spaced hashes. Their
// result: every operation -- insert, successful and unsuccessful query,
// delete -- costs O(x) expected at load 1 - 1/x.
//
// Placement, queries, deletion, reuse: as `ordered_tombstone`.
// Rebuild: GraveyardPolicyFor (graveyard.hpp), the constants shared with the
// unordered `graveyard`, which are the paper's: rebuild in place every
// R = f/4 updates (inserts of new keys + erases), f = capacity - live keys at
// the last rebuild = capacity/x, i.e. n/(4x); plant f/2 = n/(2x) tombstones.
// Why these: R = f/4 updates can use up at most f/4 free slots, and planted
// tombstones take f/2, so at least f/4 slots stay empty between rebuilds and
// every probe ends; f/2 planted tombstones are one per 2x slots, so an insert
// meets one within O(x) slots of its position, which is what keeps primary
// clustering away. Planting here is ordered (table.hpp, plant_ordered): the
// k-th tombstone is inserted as an element homed at slot floor(k*capacity/t)
// at its ordered position -- a hash evenly spaced, as the paper places them --
// so queries stop at planted tombstones just as at keys.
// Counted: as `graveyard` (an insert onto a planted tombstone is fresh and
// counted in planted_tombstone_fills).
// Metadata: WordControl, 2 bytes per slot (tag or state, plus the distance).
#pragma once

#include <functional>
#include <string_view>

#include "maps/strategies/linear_probing/graveyard.hpp"
#include "maps/strategies/linear_probing/table.hpp"
#include "maps/strategies/linear_probing/word_control.hpp"

namespace slotlab {

template <class K, class V, class Hash, class Eq = std::equal_to<K>,
          class Alloc = CountingAllocator<std::pair<const K, V>>>
using OrderedGraveyardMap =
    linear_probing::Table<K, V, Hash, Eq, Alloc,
                          linear_probing::GraveyardPolicyFor<linear_probing::WordControl, true>>;

struct OrderedGraveyardStrategy {
  static constexpr std::string_view name = "ordered_graveyard";
  static constexpr std::string_view summary =
      "graveyard hashing on ordered runs: tombstones + rebuilds every n/(4x) updates planting n/(2x)";
  template <class K, class V, class Hash, class Eq = std::equal_to<K>>
  using map = OrderedGraveyardMap<K, V, Hash, Eq>;
};

}  // namespace slotlab
