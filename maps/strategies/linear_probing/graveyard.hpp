// graveyard: graveyard hashing, Bender, Kuszmaul and Kuszmaul, "Linear Probing
// Revisited: Tombstones Mark the Demise of Primary Clustering", FOCS 2021
// (arXiv 2107.01250).
//
// Deletion and reuse: as `tombstone` -- erase leaves a tombstone, an insert
// takes the first tombstone on its probe path after confirming the key absent.
// Rebuild: at a live load of 1 - 1/x the table is rebuilt in place every
// R = f/4 updates (inserts of new keys + erases), f = capacity - live keys at
// the last rebuild = capacity/x; the rebuild drops every tombstone and plants
// f/2 = capacity/(2x) tombstones at evenly spaced slots floor(k*capacity/t),
// laid out as if inserted before the keys (table.hpp, plant_tombstones).
//
// The constants are the paper's: rebuild every n/(4x) operations and plant
// n/(2x) tombstones, n the table size. With them, planted tombstones never use
// up more than half the free slots, and since at most R = f/4 updates pass
// between rebuilds, at least f/4 slots stay empty -- probes always end and no
// other rebuild trigger is needed. (An emergency in-place rebuild still runs
// if only one empty slot would be left; it needs f < 4.) Growth follows the
// shared sizing rules in table.hpp; a grown table gets its tombstones too.
// Counted: an insert onto a planted tombstone (control byte kPlanted) is a
// fresh-slot insert, not a reused one -- no erase freed that slot -- and is
// also counted in planted_tombstone_fills; an insert onto a tombstone an erase
// left is reused, as in `tombstone`.
// Metadata: ByteControl, 1 byte per slot (state or 7-bit hash tag).
#pragma once

#include <algorithm>
#include <functional>
#include <string_view>

#include "maps/strategies/linear_probing/byte_control.hpp"
#include "maps/strategies/linear_probing/table.hpp"

namespace slotlab::linear_probing {

// ControlLayout and kOrderedRuns: the layout the table probes (ordered_graveyard.hpp
// instantiates this policy on ordered runs of WordControl).
template <class ControlLayout, bool kOrderedRuns>
class GraveyardPolicyFor {
 public:
  using Control = ControlLayout;
  static constexpr bool kLeavesTombstones = true;
  static constexpr bool kOrdered = kOrderedRuns;
  template <class T, class Index>
  void erase_at(T& t, Index, std::size_t i) { t.leave_tombstone(i); }
  template <class T>
  bool wants_rebuild(const T& t) const {
    return updates_ >= interval_ || t.size_ + t.tombstones_ + 2 > t.capacity_;
  }
  template <class T>
  std::size_t tombstones_to_plant(const T& t) const {
    return (t.capacity_ - t.size_) / 2;
  }
  template <class T>
  void after_update(const T&) { ++updates_; }
  template <class T>
  void after_rebuild(const T& t) {
    updates_ = 0;
    // Counted from the free slots before planting: capacity - live = capacity/x.
    interval_ = std::max<std::size_t>(
        1, static_cast<std::size_t>(rebuild_constant_ * static_cast<double>(t.capacity_ - t.size_)));
  }
  // The rebuild interval is c * n/x updates; c = 1/4 is the paper's. Other
  // values exist for the interval sweep (bench/op_costs --rebuild-c): past
  // c = 1 the updates between rebuilds can use up the f/2 empty slots
  // planting leaves, and only the emergency rebuild keeps a probe end.
  void set_rebuild_constant(double c) { rebuild_constant_ = c; }

 private:
  std::size_t updates_ = 0;
  std::size_t interval_ = 1;
  double rebuild_constant_ = 0.25;
};
using GraveyardPolicy = GraveyardPolicyFor<ByteControl, false>;

}  // namespace slotlab::linear_probing

namespace slotlab {

template <class K, class V, class Hash, class Eq = std::equal_to<K>,
          class Alloc = CountingAllocator<std::pair<const K, V>>>
using GraveyardMap = linear_probing::Table<K, V, Hash, Eq, Alloc, linear_probing::GraveyardPolicy>;

struct GraveyardStrategy {
  static constexpr std::string_view name = "graveyard";
  static constexpr std::string_view summary =
      "graveyard hashing: tombstones + rebuilds every n/(4x) updates planting n/(2x) tombstones";
  template <class K, class V, class Hash, class Eq = std::equal_to<K>>
  using map = GraveyardMap<K, V, Hash, Eq>;
};

}  // namespace slotlab
