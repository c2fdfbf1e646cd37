// absl: absl::flat_hash_map (SwissTable), Debian's libabsl-dev 20220623.
//
// Deletion and reuse (raw_hash_set.h, erase_meta_only): the slot's control byte
// becomes kEmpty if the 16-wide probe window around it was never full -- no
// probe sequence can have passed through it -- and kDeleted (a tombstone)
// otherwise; only a kEmpty erase gives growth_left back. An insert takes the
// first empty-or-deleted slot on its probe path (find_first_non_full).
// Rebuild (rehash_and_grow_if_necessary): when growth_left reaches 0, tombstones
// are dropped in place (drop_deletes_without_resize) if size <= 25/32 of
// capacity, else the table doubles.
//
// What it reports, read through absl's own debug hooks (hashtable_debug.h and a
// specialisation of its friend HashtableDebugAccess, never a patched header):
// tombstones = kDeleted control bytes; probe length = absl's GetNumProbes + 1,
// i.e. groups stepped past plus H2 false matches, 1 = found by the first
// compare; fresh/reused inserts from growth_left (see container_adapter.hpp).
#pragma once

#include <functional>

#include <absl/container/flat_hash_map.h>
#include <absl/container/internal/hashtable_debug.h>

#include "maps/adapters/container_adapter.hpp"

namespace slotlab {
template <class Set>
struct AbslInternals;  // tag: selects the debug-access specialisation below
}

namespace absl {
ABSL_NAMESPACE_BEGIN
namespace container_internal {
namespace hashtable_debug_internal {
// raw_hash_set befriends every HashtableDebugAccess; this one reads the two
// private facts the public API hides.
template <class Set>
struct HashtableDebugAccess<slotlab::AbslInternals<Set>, void> {
  static std::size_t growth_left(const Set& set) {
    return set.settings_.template get<0>();
  }
  static std::size_t deleted_slots(const Set& set) {
    std::size_t n = 0;
    for (std::size_t i = 0; i < set.capacity_; ++i) n += IsDeleted(set.ctrl_[i]);
    return n;
  }
};
}  // namespace hashtable_debug_internal
}  // namespace container_internal
ABSL_NAMESPACE_END
}  // namespace absl

namespace slotlab {

template <class K, class V, class Hash, class Eq, class Alloc>
struct AbslPolicy {
  using container_type = absl::flat_hash_map<K, V, Hash, Eq, Alloc>;
  using internals = absl::container_internal::hashtable_debug_internal::HashtableDebugAccess<
      AbslInternals<container_type>, void>;
  static constexpr bool kSeesSlotReuse = true;
  static constexpr std::string_view kProbeUnit = "absl probes (groups + H2 false matches)";

  static std::size_t watermark(const container_type& c) { return internals::growth_left(c); }
  static std::size_t capacity(const container_type& c) { return c.capacity(); }
  static Count tombstones(const container_type& c) { return internals::deleted_slots(c); }
  static std::optional<std::uint32_t> probe_length(const container_type& c, const K& key) {
    return static_cast<std::uint32_t>(
        absl::container_internal::GetHashtableDebugNumProbes(c, key) + 1);
  }
  template <class Pred>
  static std::size_t erase_if(container_type& c, Pred pred) {
    return absl::erase_if(c, pred);
  }
};

template <class K, class V, class Hash, class Eq = std::equal_to<K>,
          class Alloc = CountingAllocator<std::pair<const K, V>>>
using AbslMap = ContainerAdapter<AbslPolicy<K, V, Hash, Eq, Alloc>>;

struct AbslStrategy {
  static constexpr std::string_view name = "absl";
  static constexpr std::string_view summary =
      "absl::flat_hash_map: kEmpty or kDeleted tombstone, in-place cleanup or doubling";
  template <class K, class V, class Hash, class Eq = std::equal_to<K>>
  using map = AbslMap<K, V, Hash, Eq>;
};

}  // namespace slotlab
