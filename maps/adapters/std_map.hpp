// std: std::unordered_map, the baseline and the oracle of every test and fuzzer.
//
// Deletion and reuse: erase unlinks and frees the node; there is no slot to
// reuse, only memory the allocator may hand out again. Rebuild: rehash to more
// buckets when size exceeds max_load_factor (1.0) * bucket_count; erase never
// rebuilds.
//
// What it reports: slots = bucket_count; probe length = position of the key in
// its bucket's chain (1 = first node), walked with the standard local
// iterators; tombstones are not a notion of this design (not available).
#pragma once

#include <functional>
#include <unordered_map>

#include "maps/adapters/container_adapter.hpp"

namespace slotlab {

template <class K, class V, class Hash, class Eq, class Alloc>
struct StdPolicy {
  using container_type = std::unordered_map<K, V, Hash, Eq, Alloc>;
  static constexpr bool kSeesSlotReuse = false;
  static constexpr std::string_view kProbeUnit = "nodes";

  static std::size_t watermark(const container_type& c) { return c.bucket_count(); }
  static std::size_t capacity(const container_type& c) { return c.bucket_count(); }
  static Count tombstones(const container_type&) { return std::nullopt; }
  static std::optional<std::uint32_t> probe_length(const container_type& c, const K& key) {
    const std::size_t b = c.bucket(key);
    std::uint32_t n = 0;
    for (auto it = c.begin(b); it != c.end(b); ++it) {
      ++n;
      if (c.key_eq()(it->first, key)) return n;
    }
    return n + 1;  // a miss walks the whole chain, then meets its end
  }
  template <class Pred>
  static std::size_t erase_if(container_type& c, Pred pred) {
    return std::erase_if(c, pred);
  }
};

template <class K, class V, class Hash, class Eq = std::equal_to<K>,
          class Alloc = CountingAllocator<std::pair<const K, V>>>
using StdMap = ContainerAdapter<StdPolicy<K, V, Hash, Eq, Alloc>>;

struct StdStrategy {
  static constexpr std::string_view name = "std";
  static constexpr std::string_view summary =
      "std::unordered_map: node freed on erase (baseline and oracle)";
  template <class K, class V, class Hash, class Eq = std::equal_to<K>>
  using map = StdMap<K, V, Hash, Eq>;
};

}  // namespace slotlab
