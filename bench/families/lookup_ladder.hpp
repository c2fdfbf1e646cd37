// Lookups after drift: a map is filled with n keys and churned for d turnovers
// (d from the profile: 0, 1, 4, 16); successful and unsuccessful lookups are
// timed at each d, then on a map freshly filled with the same live keys (the
// "fresh" variant), which shows what the drift itself costs.
//
// One DriftLadder per (map, hash, n) carries the map up the drifts in
// registration order, so the 16-turnover state is reached once, not once per
// variant; a benchmark run out of order rebuilds it.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "bench/families/family.hpp"
#include "bench/workloads/live_keys.hpp"

namespace slotlab::bench {

template <class Map, class Codec>
struct DriftLadder {
  template <class Hash>
  DriftLadder(Hash hash, std::uint64_t seed, bool collide, std::uint64_t n)
      : map(hash), keys(seed, collide), n(n) {
    keys.fill(map, n);
  }
  void advance_to(unsigned d) {
    for (; drift < d; ++drift)
      for (std::uint64_t i = 0; i < n; ++i) keys.churn(map);
  }
  Map map;
  LiveKeys<Codec> keys;
  std::uint64_t n;
  unsigned drift = 0;
};

template <class Map, class Codec>
void time_lookups(benchmark::State& st, Map& map, LiveKeys<Codec>& keys, bool hit,
                  std::uint64_t ops, const std::string& h, const std::string& label) {
  auto& codec = keys.codec();
  std::uint64_t j = 0;
  if (hit)
    measure(st, map, ops, h, [&] { benchmark::DoNotOptimize(map.find(codec(keys.random_live()))); },
            label);
  else
    measure(st, map, ops, h, [&] { benchmark::DoNotOptimize(map.find(codec(keys.absent(j++)))); },
            label);
}

// Registers `<hit_family>/map/hash/n/drift<d>` and the miss twin for each drift,
// then (with_fresh) the `/fresh` pair, for the cell's map over hashes x sizes.
template <class Key, class Codec>
void register_lookup_ladder(const Cell& cell, const std::string& hit_family,
                            const std::string& miss_family, const std::vector<unsigned>& sizes,
                            const std::vector<unsigned>& drifts, bool with_fresh) {
  for_cell_maps(cell, cell.profile.hashes, [&](auto strategy, auto hash, const std::string& h) {
    using Map = MapOf<decltype(strategy), decltype(hash), Key>;
    using Ladder = DriftLadder<Map, Codec>;
    for (unsigned lg : sizes) {
      const std::uint64_t n = 1ull << lg, ops = cell.profile.ops(n), seed = cell.seed;
      auto ladder = std::make_shared<std::unique_ptr<Ladder>>();
      auto climb = [=](unsigned d) -> Ladder& {
        if (!*ladder || (*ladder)->drift > d)
          *ladder = std::make_unique<Ladder>(hash, seed, colliding(h), n);
        (*ladder)->advance_to(d);
        return **ladder;
      };
      for (unsigned d : drifts) {
        const std::string variant = "drift" + std::to_string(d);
        const std::string label = "after " + std::to_string(d) + " turnovers of churn";
        for (bool hit : {true, false})
          add(bench_name(hit ? hit_family : miss_family, cell.map, h, n, variant), ops,
              [=](benchmark::State& st) {
                Ladder& l = climb(d);
                time_lookups(st, l.map, l.keys, hit, ops, h, label);
              });
      }
      if (!with_fresh || drifts.empty()) continue;
      const unsigned top = drifts.back();
      const std::string label =
          "fresh fill of the live keys after " + std::to_string(top) + " turnovers";
      for (bool hit : {true, false})
        add(bench_name(hit ? hit_family : miss_family, cell.map, h, n, "fresh"), ops,
            [=](benchmark::State& st) {
              Ladder& l = climb(top);
              Map fresh(hash);
              for (std::uint64_t id : l.keys.live()) fresh.insert(l.keys.codec()(id), id);
              time_lookups(st, fresh, l.keys, hit, ops, h, label);
              if (!hit) ladder->reset();  // the last user: give the memory back
            });
    }
  });
}

}  // namespace slotlab::bench
