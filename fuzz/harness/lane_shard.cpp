// One shard of lanes (see lane_shards.hpp): compiled kLaneShards times with
// -DSLOTLAB_FUZZ_SHARD=0..kLaneShards-1, for every key type and hasher the
// input format offers.
#include <string>
#include <string_view>
#include <tuple>
#include <utility>

#include "fuzz/harness/lane_shards.hpp"
#include "maps/core/hashers.hpp"
#include "maps/registry.hpp"

#ifndef SLOTLAB_FUZZ_SHARD
#error "compile with -DSLOTLAB_FUZZ_SHARD=<shard index>"
#endif

namespace slotlab::fuzz {

#ifndef SLOTLAB_FUZZ_LANES
#define SLOTLAB_FUZZ_LANES ""
#endif

namespace {
// SLOTLAB_FUZZ_LANES: comma-separated strategy names, or empty for all (mutant
// builds, see fuzz/CMakeLists.txt).
constexpr bool lane_selected(std::string_view name) {
  std::string_view list = SLOTLAB_FUZZ_LANES;
  if (list.empty()) return true;
  while (!list.empty()) {
    const std::size_t comma = list.find(',');
    if (list.substr(0, comma) == name) return true;
    list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
  }
  return false;
}

template <class K, class Hash, std::size_t... I>
void add_lanes_of(Lanes<K>& lanes, std::index_sequence<I...>) {
  auto add = [&]<std::size_t Index>(std::integral_constant<std::size_t, Index>) {
    using Strategy = std::tuple_element_t<Index, Strategies>;
    if constexpr (Index % kLaneShards == SLOTLAB_FUZZ_SHARD && lane_selected(Strategy::name))
      lanes.push_back(std::make_unique<Lane<Strategy, K, Hash>>());
  };
  (add(std::integral_constant<std::size_t, I>{}), ...);
}
}  // namespace

template <std::size_t Shard, class K, class Hash>
void add_shard_lanes(Lanes<K>& lanes) {
  static_assert(Shard == SLOTLAB_FUZZ_SHARD);
  add_lanes_of<K, Hash>(lanes, std::make_index_sequence<std::tuple_size_v<Strategies>>{});
}

#define SLOTLAB_SHARD_FOR(K, Hash) \
  template void add_shard_lanes<SLOTLAB_FUZZ_SHARD, K, Hash>(Lanes<K>&);
SLOTLAB_SHARD_FOR(std::uint64_t, WeakHash)
SLOTLAB_SHARD_FOR(std::uint64_t, CollideHash)
SLOTLAB_SHARD_FOR(std::uint64_t, StrongHash)
SLOTLAB_SHARD_FOR(std::string, WeakHash)
SLOTLAB_SHARD_FOR(std::string, CollideHash)
SLOTLAB_SHARD_FOR(std::string, StrongHash)
#undef SLOTLAB_SHARD_FOR

}  // namespace slotlab::fuzz
