// Families over a map's life beyond steady churn:
//   grow_shrink  fill n, then erase random keys to n/10 and refill to n, over
//                and over (at least two cycles); one op = one erase or insert
//   same_key     erase a random live key and insert the same key again
//   iterate      for_each over every live key after 4 turnovers of churn;
//                one op = one key visited (the counter ns_per_op is per key)
#include "bench/families/family.hpp"
#include "bench/workloads/live_keys.hpp"

namespace slotlab::bench {
namespace {

void register_grow_shrink(const Cell& cell) {
  for_cell_maps(cell, cell.profile.hashes, [&](auto strategy, auto hash, const std::string& h) {
    using Map = MapOf<decltype(strategy), decltype(hash)>;
    for (unsigned lg : cell.profile.log2) {
      const std::uint64_t n = 1ull << lg, seed = cell.seed;
      const std::uint64_t ops = std::max<std::uint64_t>(cell.profile.ops(n), 4 * n);
      add(bench_name("grow_shrink", cell.map, h, n), ops, [=](benchmark::State& st) {
        Map map(hash);
        LiveKeys<> keys(seed, colliding(h));
        keys.fill(map, n);
        GrowShrink cycle(n);
        measure(st, map, ops, h, [&] { cycle.op(keys, map); }, "op = 1 erase or 1 insert");
      });
    }
  });
}

void register_same_key(const Cell& cell) {
  for_cell_maps(cell, cell.profile.hashes, [&](auto strategy, auto hash, const std::string& h) {
    using Map = MapOf<decltype(strategy), decltype(hash)>;
    for (unsigned lg : cell.profile.log2) {
      const std::uint64_t n = 1ull << lg, ops = cell.profile.ops(n), seed = cell.seed;
      add(bench_name("same_key", cell.map, h, n), ops, [=](benchmark::State& st) {
        Map map(hash);
        LiveKeys<> keys(seed, colliding(h));
        keys.fill(map, n);
        measure(st, map, ops, h, [&] { keys.same_key(map); }, "op = erase k + insert k");
      });
    }
  });
}

void register_iterate(const Cell& cell) {
  for_cell_maps(cell, cell.profile.hashes, [&](auto strategy, auto hash, const std::string& h) {
    using Map = MapOf<decltype(strategy), decltype(hash)>;
    for (unsigned lg : cell.profile.log2) {
      const std::uint64_t n = 1ull << lg, seed = cell.seed;
      const std::uint64_t passes = std::max<std::uint64_t>(1, cell.profile.ops(n) / n);
      add(bench_name("iterate", cell.map, h, n), passes, [=](benchmark::State& st) {
        Map map(hash);
        LiveKeys<> keys(seed, colliding(h));
        keys.fill(map, n);
        for (std::uint64_t i = 0; i < 4 * n; ++i) keys.churn(map);
        const MapStats before = map.stats();
        OpClock clock;
        clock.start();
        for (auto _ : st) {
          std::uint64_t sum = 0;
          map.for_each([&](const auto& k, const auto&) { sum += k; });
          benchmark::DoNotOptimize(sum);
        }
        clock.stop();
        report_counters(st, before, map.stats(), clock, passes * n, h,
                        "after 4 turnovers; op = 1 key visited; iterations = passes");
      });
    }
  });
}

const FamilyRegistrar grow_shrink("grow_shrink", "fill n, erase to n/10, refill, repeat",
                                  register_grow_shrink);
const FamilyRegistrar same_key("same_key", "erase a live key and insert it again",
                               register_same_key);
const FamilyRegistrar iterate("iterate", "full iteration after 4 turnovers of churn",
                              register_iterate);

}  // namespace
}  // namespace slotlab::bench
