// churn: steady erase-random + insert-fresh at constant size n, after one
// untimed turnover (n pairs) so every map is past its first-fill layout.
// churn_lookup: the same churn mixed with lookups; one op = one erase+insert
// pair, two successful lookups of random live keys, one unsuccessful lookup.
#include "bench/families/family.hpp"
#include "bench/workloads/live_keys.hpp"

namespace slotlab::bench {
namespace {

void register_churn(const Cell& cell) {
  for_cell_maps(cell, cell.profile.hashes, [&](auto strategy, auto hash, const std::string& h) {
    using Map = MapOf<decltype(strategy), decltype(hash)>;
    for (unsigned lg : cell.profile.churn_log2) {
      const std::uint64_t n = 1ull << lg, ops = cell.profile.ops(n), seed = cell.seed;
      add(bench_name("churn", cell.map, h, n), ops, [=](benchmark::State& st) {
        Map map(hash);
        LiveKeys<> keys(seed, colliding(h));
        keys.fill(map, n);
        for (std::uint64_t i = 0; i < n; ++i) keys.churn(map);
        measure(st, map, ops, h, [&] { keys.churn(map); }, "after 1 turnover");
      });
    }
  });
}

void register_churn_lookup(const Cell& cell) {
  for_cell_maps(cell, cell.profile.hashes, [&](auto strategy, auto hash, const std::string& h) {
    using Map = MapOf<decltype(strategy), decltype(hash)>;
    for (unsigned lg : cell.profile.log2) {
      const std::uint64_t n = 1ull << lg, ops = cell.profile.ops(n), seed = cell.seed;
      add(bench_name("churn_lookup", cell.map, h, n), ops, [=](benchmark::State& st) {
        Map map(hash);
        LiveKeys<> keys(seed, colliding(h));
        keys.fill(map, n);
        for (std::uint64_t i = 0; i < n; ++i) keys.churn(map);
        std::uint64_t miss = 0;
        measure(st, map, ops, h, [&] {
          keys.churn(map);
          benchmark::DoNotOptimize(map.find(keys.random_live()));
          benchmark::DoNotOptimize(map.find(keys.random_live()));
          benchmark::DoNotOptimize(map.find(keys.absent(miss++)));
        }, "op = 1 erase+insert, 2 hits, 1 miss");
      });
    }
  });
}

const FamilyRegistrar churn("churn", "steady churn: erase random + insert fresh, n constant",
                            register_churn);
const FamilyRegistrar churn_lookup("churn_lookup",
                                   "churn mixed with lookups: 1 churn pair + 2 hits + 1 miss per op",
                                   register_churn_lookup);

}  // namespace
}  // namespace slotlab::bench
