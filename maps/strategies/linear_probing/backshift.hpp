// backshift: linear probing with Knuth's Algorithm R (TAOCP vol. 3, 6.4,
// "deletion with linear probing").
//
// Deletion: the erased slot becomes a gap; the rest of the cluster is walked and
// every key whose home is not cyclically between the gap and its own slot moves
// back into the gap, which moves on. No tombstone ever exists, and the table is
// left exactly as if the erased key had never been inserted (so Knuth's
// probe-length formulas keep holding under any amount of churn).
// Reuse: the slot is free at once -- though the slot that ends up empty is the
// cluster's last moved one, not necessarily the erased key's (control word
// kFreed marks it, so stats can count inserts into once-used slots).
// Rebuild: only to grow (shared sizing rules in table.hpp).
// Metadata: WordControl, 2 bytes per slot -- tag and distance from home, so
// that the walk finds the keys to move from the metadata alone
// (word_control.hpp says why and what it costs).
// Counted: shifted_slots = keys moved back by erases.
#pragma once

#include <functional>
#include <string_view>

#include "maps/strategies/linear_probing/policy_hooks.hpp"
#include "maps/strategies/linear_probing/word_control.hpp"
#include "maps/strategies/linear_probing/table.hpp"

namespace slotlab::linear_probing {

struct BackshiftPolicy : NoScheduledRebuilds {
  using Control = WordControl;
  static constexpr bool kLeavesTombstones = false;
  template <class T, class Index>
  void erase_at(T& t, Index ix, std::size_t i) { t.shift_back_into(ix, i); }
  template <class T>
  bool wants_rebuild(const T&) const { return false; }
};

}  // namespace slotlab::linear_probing

namespace slotlab {

template <class K, class V, class Hash, class Eq = std::equal_to<K>,
          class Alloc = CountingAllocator<std::pair<const K, V>>>
using BackshiftMap = linear_probing::Table<K, V, Hash, Eq, Alloc, linear_probing::BackshiftPolicy>;

struct BackshiftStrategy {
  static constexpr std::string_view name = "backshift";
  static constexpr std::string_view summary =
      "linear probing, Knuth's Algorithm R: later cluster members shift back, no tombstones";
  template <class K, class V, class Hash, class Eq = std::equal_to<K>>
  using map = BackshiftMap<K, V, Hash, Eq>;
};

}  // namespace slotlab
