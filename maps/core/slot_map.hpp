// SlotMap: the adapter interface every strategy satisfies, in-house or
// third-party. Tests, fuzzers, benchmarks and the trace tool are written
// against this concept only, never against a concrete map.
//
// Semantics (std::unordered_map's, which is also the oracle):
//   insert(k, v)            new key -> true; existing key -> false, value unchanged
//                           (v is not moved from in that case)
//   insert_or_assign(k, v)  true when the key was new
//   find(k)                 pointer to the value, or nullptr; valid until the
//                           next mutation of the map
//   erase(k)                true when a key was removed
//   erase_if(pred)          erases while iterating; returns how many
//   erase_first()           erases the first entry in iteration order
//                           (the adversarial "erase(begin())" pattern)
//   reserve(n)              room for n keys without a rebuild, where the
//                           design has such a notion; otherwise a no-op
//   for_each(f)             f(key, value) over every live entry exactly once
//   probe_length(k)         probes a lookup of k costs (found or not), in the
//                           unit stats().probe_unit names; nullopt if the
//                           strategy cannot tell
//   stats()                 one MapStats snapshot (may walk the whole table)
//   check_invariants()      "" when the internal structure is consistent,
//                           else a description of the first violation
//
// Maps are movable, and copyable whenever their mapped type is.
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "maps/core/map_stats.hpp"

namespace slotlab {

template <class M>
concept SlotMap = std::movable<M> &&
    requires(M m, const M cm, const typename M::key_type& k, typename M::mapped_type v) {
      typename M::key_type;
      typename M::mapped_type;
      { m.insert(k, std::move(v)) } -> std::same_as<bool>;
      { m.insert_or_assign(k, std::move(v)) } -> std::same_as<bool>;
      { m.find(k) } -> std::same_as<typename M::mapped_type*>;
      { cm.find(k) } -> std::same_as<const typename M::mapped_type*>;
      { m.erase(k) } -> std::same_as<bool>;
      { m.erase_if([](const typename M::key_type&, const typename M::mapped_type&) { return true; }) }
          -> std::same_as<std::size_t>;
      { m.erase_first() } -> std::same_as<bool>;
      { cm.size() } -> std::same_as<std::size_t>;
      { m.clear() };
      { m.reserve(std::size_t{}) };
      { cm.for_each([](const typename M::key_type&, const typename M::mapped_type&) {}) };
      { cm.probe_length(k) } -> std::same_as<std::optional<std::uint32_t>>;
      { cm.stats() } -> std::same_as<MapStats>;
      { cm.check_invariants() } -> std::same_as<std::string>;
    };

}  // namespace slotlab
