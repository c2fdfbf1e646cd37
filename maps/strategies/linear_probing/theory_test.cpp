// Linear probing against its theory. Keys are distinct 64-bit values through
// the strong hash, tables are built with with_live_load, so the load is exact.
//
// 1. Knuth (TAOCP vol. 3, 6.4): after n random inserts at load a, a successful
//    search costs 1/2 (1 + 1/(1-a)) slots and an unsuccessful one
//    1/2 (1 + 1/(1-a)^2). Checked for a in {0.5, 0.7, 0.8, 0.9}, n = 2^16, on
//    the shared core (backshift and tombstone insert identically).
//    On ordered runs (ordered_backshift; ordered_tombstone fills the same way)
//    the successful search is Knuth's too -- the total displacement of linear
//    probing does not depend on which key yields -- while an unsuccessful one
//    stops at the first key homed past its home: it inspects 1 + Q slots, Q
//    the keys homed at or before h stored at or after h, and summing Q over
//    all h counts every key's displacement + 1, so E[miss] = 1 + a * E[hit]
//    = 1 + a/2 (1 + 1/(1-a)) (Amble and Knuth, "Ordered hash tables", 1974:
//    an ordered table's unsuccessful search costs about a successful one).
// 2. Bender, Kuszmaul, Kuszmaul (FOCS 2021): under steady churn at load
//    1 - 1/x, classic linear probing pays Theta(x^2) per insert, graveyard
//    hashing O(x). Checked at x = 10 and x = 20 (loads 0.9 and 0.95), 8
//    turnovers each: backshift follows Knuth's x^2/2 (Algorithm R keeps the
//    random-insertion distribution), graveyard's cost grows about linearly in
//    x and is several times smaller at 0.95 -- for the insertion cost as the
//    paper counts it (slots from home to where the key lands, place_probes).
// The statistics run in the release build; under ASan they would only be slow.
#include <gtest/gtest.h>

#include <cstdio>
#include <random>
#include <vector>

#include "maps/core/asan.hpp"
#include "maps/core/hashers.hpp"
#include "maps/strategies/linear_probing/backshift.hpp"
#include "maps/strategies/linear_probing/graveyard.hpp"
#include "maps/strategies/linear_probing/ordered_backshift.hpp"
#include "maps/strategies/linear_probing/ordered_tombstone.hpp"
#include "maps/strategies/linear_probing/tombstone.hpp"

namespace slotlab::linear_probing {
namespace {

constexpr std::uint64_t kSeed = 0x1234;
std::uint64_t key_at(std::uint64_t i) { return fmix64(i ^ kSeed); }
std::uint64_t absent_key(std::uint64_t j) { return key_at((1ull << 63) | j); }

double knuth_hit(double a) { return 0.5 * (1.0 + 1.0 / (1.0 - a)); }
double knuth_miss(double a) { return 0.5 * (1.0 + 1.0 / ((1.0 - a) * (1.0 - a))); }
double ordered_miss(double a) { return 1.0 + a * knuth_hit(a); }

template <class Map>
double mean_miss_probe(const Map& map, std::uint64_t first, std::uint64_t count) {
  std::uint64_t sum = 0;
  for (std::uint64_t j = first; j < first + count; ++j) sum += *map.probe_length(absent_key(j));
  return static_cast<double>(sum) / static_cast<double>(count);
}

#define SKIP_UNDER_ASAN() \
  if (kAsanPoisoning) GTEST_SKIP() << "statistics are checked in the release build"

template <class Map>
void expect_knuth_after_fill(const char* name, double (*expected_miss)(double) = knuth_miss) {
  const std::uint64_t n = 1u << 16;
  for (const double load : {0.5, 0.7, 0.8, 0.9}) {
    Map map = Map::with_live_load(n, load, StrongHash{});
    for (std::uint64_t i = 0; i < n; ++i) map.insert(key_at(i), i);
    const MapStats s = map.stats();
    const double a = static_cast<double>(n) / static_cast<double>(*s.slots);
    const double hit = *s.mean_probe;
    const double miss = mean_miss_probe(map, 0, 1u << 17);
    std::printf("%s load %.4f: hit %.3f (Knuth %.3f), miss %.3f (expected %.3f)\n", name, a, hit,
                knuth_hit(a), miss, expected_miss(a));
    EXPECT_NEAR(hit, knuth_hit(a), 0.05 * knuth_hit(a)) << name << " load " << a;
    EXPECT_NEAR(miss, expected_miss(a), 0.10 * expected_miss(a)) << name << " load " << a;
  }
}

TEST(KnuthFormulaTest, FreshFillMatchesKnuthOnTheBackshiftCore) {
  SKIP_UNDER_ASAN();
  expect_knuth_after_fill<BackshiftMap<std::uint64_t, std::uint64_t, StrongHash>>("backshift");
}
TEST(KnuthFormulaTest, FreshFillMatchesKnuthOnTheTombstoneCore) {
  SKIP_UNDER_ASAN();
  expect_knuth_after_fill<TombstoneMap<std::uint64_t, std::uint64_t, StrongHash>>("tombstone");
}

TEST(KnuthFormulaTest, FreshFillOnOrderedRunsMatchesKnuthAndTheOrderedMissFormula) {
  SKIP_UNDER_ASAN();
  expect_knuth_after_fill<OrderedBackshiftMap<std::uint64_t, std::uint64_t, StrongHash>>(
      "ordered_backshift", ordered_miss);
  expect_knuth_after_fill<OrderedTombstoneMap<std::uint64_t, std::uint64_t, StrongHash>>(
      "ordered_tombstone", ordered_miss);
}

struct ChurnProbes {
  double x;             // 1 / (1 - live load)
  double insert_probe;  // slots inspected per insert, turnovers 2..8
  double place_probe;   // slots from home to where the new key landed, + 1
  double miss_probe;    // absent-key lookups sampled after each turnover 2..8
};

// The trace tool's churn: fill n, then each op erases a uniformly random live key
// and inserts a fresh one; the first turnover is a warm-up.
template <class Map>
ChurnProbes churn_probes(double load, std::uint64_t n, int turnovers) {
  Map map = Map::with_live_load(n, load, StrongHash{});
  std::vector<std::uint64_t> live;
  std::uint64_t next = 0;
  for (; next < n; ++next) live.push_back(key_at(next)), map.insert(live.back(), next);
  std::mt19937_64 rng(kSeed);
  MapStats warm;
  double miss_sum = 0;
  for (int t = 1; t <= turnovers; ++t) {
    for (std::uint64_t op = 0; op < n; ++op) {
      const std::uint64_t i = (static_cast<unsigned __int128>(rng()) * live.size()) >> 64;
      map.erase(live[i]);
      live[i] = key_at(next++);
      map.insert(live[i], next);
    }
    if (t == 1) warm = map.stats();
    else miss_sum += mean_miss_probe(map, t * 4096, 4096);
  }
  const MapStats s = map.stats();
  const double x = 1.0 / (1.0 - static_cast<double>(n) / static_cast<double>(*s.slots));
  const auto inserts = static_cast<double>(*s.inserts - *warm.inserts);
  return {x, static_cast<double>(*s.insert_probes - *warm.insert_probes) / inserts,
          static_cast<double>(*s.place_probes - *warm.place_probes) / inserts,
          miss_sum / (turnovers - 1)};
}

TEST(GraveyardTheoryTest, InsertCostGrowsLinearlyInXForGraveyardQuadraticallyForClassic) {
  SKIP_UNDER_ASAN();
  using Backshift = BackshiftMap<std::uint64_t, std::uint64_t, StrongHash>;
  using Tombstone = TombstoneMap<std::uint64_t, std::uint64_t, StrongHash>;
  using Graveyard = GraveyardMap<std::uint64_t, std::uint64_t, StrongHash>;
  const std::uint64_t n = 1u << 15;
  const int turnovers = 8;
  ChurnProbes b[2], t[2], g[2];
  const double loads[2] = {0.9, 0.95};
  for (int i = 0; i < 2; ++i) {
    b[i] = churn_probes<Backshift>(loads[i], n, turnovers);
    t[i] = churn_probes<Tombstone>(loads[i], n, turnovers);
    g[i] = churn_probes<Graveyard>(loads[i], n, turnovers);
    std::printf("load %.2f (x = %.2f): insert_probe backshift %.2f tombstone %.2f graveyard %.2f; "
                "place_probe %.2f %.2f %.2f; miss_probe %.2f %.2f %.2f\n",
                loads[i], b[i].x, b[i].insert_probe, t[i].insert_probe, g[i].insert_probe,
                b[i].place_probe, t[i].place_probe, g[i].place_probe,
                b[i].miss_probe, t[i].miss_probe, g[i].miss_probe);
  }
  for (int i = 0; i < 2; ++i) {
    const double knuth = 0.5 * (1.0 + b[i].x * b[i].x);
    EXPECT_NEAR(b[i].insert_probe, knuth, 0.15 * knuth) << "backshift at load " << loads[i];
    EXPECT_DOUBLE_EQ(b[i].place_probe, b[i].insert_probe) << "no tombstones: lands where the scan ends";
    EXPECT_LT(g[i].place_probe, 2.0 * g[i].x) << "graveyard at load " << loads[i] << ": O(x)";
  }
  // Doubling x: Theta(x^2) quadruples the cost, O(x) doubles it.
  EXPECT_GT(b[1].place_probe / b[0].place_probe, 3.2);
  EXPECT_LT(g[1].place_probe / g[0].place_probe, 2.5);
  EXPECT_LT(g[1].place_probe, b[1].place_probe / 4);
  // The scan that confirms absence is a negative query: unordered linear probing
  // must run it to an empty slot, past every tombstone, so graveyard's planted
  // tombstones make it longer, not shorter (see graveyard.hpp).
  EXPECT_GT(g[1].insert_probe, b[1].insert_probe);
}

}  // namespace
}  // namespace slotlab::linear_probing
