// boost: boost::unordered_flat_map (Boost 1.81, Debian's libboost1.81-dev).
//
// Deletion and reuse (unordered/detail/foa.hpp, erase and recover_slot): the
// slot's metadata byte is reset at once, so the slot is free for any insert into
// its group. A group whose 15 slots once filled sets a bit in its overflow byte
// for every hash that had to probe past it; erase never clears those bits, so
// long-lived tables drift towards longer unsuccessful probes. Boost's answer is
// "anti-drift": erasing an element that may have caused an overflow
// (maybe_caused_overflow) lowers max_load by one, so the table rehashes sooner
// and wipes the overflow bits. Rebuild: when size reaches max_load.
//
// What it reports: tombstones = 0 by construction (the stale overflow bits are
// the drift, and they are not visible through the API); rebuilds are seen as a
// rise of the public max_load(); probe lengths are not exposed by Boost 1.81
// (not available).
#pragma once

#include <functional>

#include <boost/unordered/unordered_flat_map.hpp>

#include "maps/adapters/container_adapter.hpp"

namespace slotlab {

template <class K, class V, class Hash, class Eq, class Alloc>
struct BoostPolicy {
  using container_type = boost::unordered_flat_map<K, V, Hash, Eq, Alloc>;
  static constexpr bool kSeesSlotReuse = false;
  static constexpr std::string_view kProbeUnit = "";

  static std::size_t watermark(const container_type& c) { return c.max_load(); }
  static std::size_t capacity(const container_type& c) { return c.bucket_count(); }
  static Count tombstones(const container_type&) { return 0; }
  static std::optional<std::uint32_t> probe_length(const container_type&, const K&) {
    return std::nullopt;
  }
  template <class Pred>
  static std::size_t erase_if(container_type& c, Pred pred) {
    return boost::unordered::erase_if(c, pred);
  }
};

template <class K, class V, class Hash, class Eq = std::equal_to<K>,
          class Alloc = CountingAllocator<std::pair<const K, V>>>
using BoostMap = ContainerAdapter<BoostPolicy<K, V, Hash, Eq, Alloc>>;

struct BoostStrategy {
  static constexpr std::string_view name = "boost";
  static constexpr std::string_view summary =
      "boost::unordered_flat_map: slot freed at once, anti-drift lowers max load";
  template <class K, class V, class Hash, class Eq = std::equal_to<K>>
  using map = BoostMap<K, V, Hash, Eq>;
};

}  // namespace slotlab
