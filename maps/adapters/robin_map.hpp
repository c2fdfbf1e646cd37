// robin: tsl::robin_map (Debian's robin-map-dev 1.2.1), robin hood hashing.
//
// Deletion and reuse (robin_hash.h, erase_from_bucket): the erased bucket is
// emptied and the following entries with dist_from_ideal_bucket > 0 shift back
// one bucket each -- a backward-shift delete, so no tombstone ever exists and
// the slot is free at once. Rebuild: growth only, when size reaches
// max_load_factor (0.5 by default) * bucket_count.
//
// What it reports: tombstones = 0 by construction; probe length = buckets a
// lookup visits (1 = home). tsl exposes no probe hook, but with StoreHash off
// its lookup compares the key in every bucket it visits while
// dist <= bucket.dist, so the adapter counts key comparisons through a wrapper
// around the equality (one thread-local increment per compare, paid in every
// operation, not only when measuring). A miss visits one bucket more than it
// compares: the one whose smaller distance stops the search.
#pragma once

#include <functional>

#include <tsl/robin_map.h>

#include "maps/adapters/container_adapter.hpp"

namespace slotlab {

inline thread_local std::uint64_t robin_key_compares = 0;

template <class Eq>
struct ComparisonCountingEqual : Eq {
  template <class A, class B>
  bool operator()(const A& a, const B& b) const {
    ++robin_key_compares;
    return Eq::operator()(a, b);
  }
};

template <class K, class V, class Hash, class Eq, class Alloc>
struct RobinPolicy {
  using container_type = tsl::robin_map<K, V, Hash, ComparisonCountingEqual<Eq>, Alloc>;
  static constexpr bool kSeesSlotReuse = false;
  static constexpr std::string_view kProbeUnit = "buckets";

  static std::size_t watermark(const container_type& c) { return c.bucket_count(); }
  static std::size_t capacity(const container_type& c) { return c.bucket_count(); }
  static Count tombstones(const container_type&) { return 0; }
  static std::optional<std::uint32_t> probe_length(const container_type& c, const K& key) {
    if (c.bucket_count() == 0 || c.empty()) return 1;
    const std::uint64_t before = robin_key_compares;
    const bool found = c.find(key) != c.end();
    const auto compares = static_cast<std::uint32_t>(robin_key_compares - before);
    return found ? compares : compares + 1;
  }
  template <class Pred>
  static std::size_t erase_if(container_type& c, Pred pred) {
    return erase_if_by_iteration(c, pred);
  }
};

template <class K, class V, class Hash, class Eq = std::equal_to<K>,
          class Alloc = CountingAllocator<std::pair<K, V>>>
using RobinMap = ContainerAdapter<RobinPolicy<K, V, Hash, Eq, Alloc>>;

struct RobinStrategy {
  static constexpr std::string_view name = "robin";
  static constexpr std::string_view summary =
      "tsl::robin_map: robin hood, backward-shift erase, no tombstones";
  template <class K, class V, class Hash, class Eq = std::equal_to<K>>
  using map = RobinMap<K, V, Hash, Eq>;
};

}  // namespace slotlab
