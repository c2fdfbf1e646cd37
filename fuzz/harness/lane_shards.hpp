// The registry's strategies split into kLaneShards translation units: shard s
// builds the lanes of the strategies at registry index i with i % kLaneShards
// == s (lane_shard.cpp, compiled once per shard with SLOTLAB_FUZZ_SHARD=s).
// A newly registered strategy lands in a shard by its index; nothing here
// changes. More strategies than shards simply share shards.
#pragma once

#include <cstddef>
#include <memory>
#include <vector>

#include "fuzz/harness/lane.hpp"

namespace slotlab::fuzz {

inline constexpr std::size_t kLaneShards = 8;

template <class K>
using Lanes = std::vector<std::unique_ptr<LaneBase<K>>>;

// Defined and explicitly instantiated in lane_shard.cpp, one shard per object.
template <std::size_t Shard, class K, class Hash>
void add_shard_lanes(Lanes<K>& lanes);

template <class K, class Hash, std::size_t... Shard>
Lanes<K> make_lanes_impl(std::index_sequence<Shard...>) {
  Lanes<K> lanes;
  (add_shard_lanes<Shard, K, Hash>(lanes), ...);
  return lanes;
}

// One lane per registered strategy.
template <class K, class Hash>
Lanes<K> make_lanes() {
  return make_lanes_impl<K, Hash>(std::make_index_sequence<kLaneShards>{});
}

}  // namespace slotlab::fuzz
