// The hooks a deletion policy may leave alone. A policy (backshift.hpp,
// tombstone.hpp, graveyard.hpp) tells the shared table in table.hpp what erase
// does and when to rebuild; only graveyard schedules rebuilds of its own and
// plants tombstones, so the others inherit these no-ops.
#pragma once

#include <cstddef>

namespace slotlab::linear_probing {

struct NoScheduledRebuilds {
  template <class T>
  std::size_t tombstones_to_plant(const T&) const { return 0; }
  template <class T>
  void after_update(const T&) {}
  template <class T>
  void after_rebuild(const T&) {}
};

}  // namespace slotlab::linear_probing
