// One shard of lanes (see lane_shards.hpp): compiled kLaneShards times with
// -DSLOTLAB_FUZZ_SHARD=0..kLaneShards-1, for every key type and hasher the
// input format offers.
//
// Mutant builds (fuzz/CMakeLists.txt, SLOTLAB_FUZZ_LANES) name the strategies
// to build lanes for; the named ones are dealt out over the first shards in
// registry order and the remaining shards are compiled with
// SLOTLAB_FUZZ_SHARD_EMPTY, which skips the registry's headers altogether
// (parsing them was a second per shard, most of an empty shard's build).
#include <string>

#include "fuzz/harness/lane_shards.hpp"
#include "maps/core/hashers.hpp"

#ifndef SLOTLAB_FUZZ_SHARD
#error "compile with -DSLOTLAB_FUZZ_SHARD=<shard index>"
#endif
#ifndef SLOTLAB_FUZZ_LANES
#define SLOTLAB_FUZZ_LANES ""
#endif

#ifndef SLOTLAB_FUZZ_SHARD_EMPTY
#include <string_view>
#include <tuple>
#include <utility>

#include "maps/registry.hpp"
#endif

namespace slotlab::fuzz {

#ifndef SLOTLAB_FUZZ_SHARD_EMPTY
namespace {
// SLOTLAB_FUZZ_LANES: comma-separated strategy names, or empty for all.
constexpr bool lane_selected(std::string_view name) {
  return name_in_list(SLOTLAB_FUZZ_LANES, name);
}

// The shard of the strategy at registry index `index`: its position among the
// selected strategies (all of them by default), modulo the shard count.
template <std::size_t... J>
constexpr std::size_t shard_of(std::size_t index, std::index_sequence<J...>) {
  const std::size_t selected_before =
      ((J < index && lane_selected(std::tuple_element_t<J, Strategies>::name) ? 1 : 0) + ... + 0);
  return selected_before % kLaneShards;
}

template <class K, class Hash, std::size_t... I>
void add_lanes_of(Lanes<K>& lanes, std::index_sequence<I...> all) {
  auto add = [&]<std::size_t Index>(std::integral_constant<std::size_t, Index>) {
    using Strategy = std::tuple_element_t<Index, Strategies>;
    if constexpr (lane_selected(Strategy::name) && shard_of(Index, all) == SLOTLAB_FUZZ_SHARD)
      lanes.push_back(std::make_unique<Lane<Strategy, K, Hash>>());
  };
  (add(std::integral_constant<std::size_t, I>{}), ...);
}
}  // namespace
#endif

template <std::size_t Shard, class K, class Hash>
void add_shard_lanes([[maybe_unused]] Lanes<K>& lanes) {
  static_assert(Shard == SLOTLAB_FUZZ_SHARD);
#ifndef SLOTLAB_FUZZ_SHARD_EMPTY
  add_lanes_of<K, Hash>(lanes, std::make_index_sequence<std::tuple_size_v<Strategies>>{});
#endif
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
