// Iteration of the Go model while a grow is in flight: every live key exactly
// once, whether the iterator reads old chains (not yet evacuated) or new
// buckets, and also when erase_if's erases evacuate buckets under the
// iterator and finish the grow before the iteration ends.
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>
#include <vector>

#include "maps/strategies/go/go_test_support.hpp"

namespace slotlab::go {
namespace {

using Map = GoMap<std::uint64_t, std::uint64_t, StrongHash>;

// A map in the middle of a doubling to B=`target_B`, with `writes` writes done since it began.
Map doubling_in_flight(unsigned target_B, int writes, std::set<std::uint64_t>& keys) {
  Map map{StrongHash{}};
  std::uint64_t next = 0;
  while (!(map.go_stats().growing && map.go_stats().B == target_B)) map.insert(next, next), keys.insert(next++);
  for (int i = 0; i < writes; ++i) map.insert(next, next), keys.insert(next++);
  return map;
}

void expect_each_key_once(const Map& map, const std::set<std::uint64_t>& keys) {
  std::multiset<std::uint64_t> seen;
  map.for_each([&](const std::uint64_t& k, const std::uint64_t& v) {
    EXPECT_EQ(k, v);
    seen.insert(k);
  });
  EXPECT_EQ(seen.size(), keys.size());
  EXPECT_EQ(std::set<std::uint64_t>(seen.begin(), seen.end()), keys);
}

TEST(GoIterationTest, ForEachDuringADoublingSeesEveryKeyOnce) {
  for (int writes : {0, 1, 10, 60}) {
    std::set<std::uint64_t> keys;
    const Map map = doubling_in_flight(8, writes, keys);
    ASSERT_TRUE(map.go_stats().growing) << writes;
    ASSERT_GT(map.go_stats().nevacuate, 0u);
    expect_each_key_once(map, keys);
  }
}

TEST(GoIterationTest, ForEachDuringASameSizeGrowSeesEveryKeyOnce) {
  Map map{StrongHash{}};
  std::vector<std::uint64_t> live;
  std::uint64_t next = 0;
  for (; next < 400; ++next) map.insert(next, next), live.push_back(next);
  std::mt19937_64 rng(3);
  while (!map.go_stats().same_size_grow) {
    const std::size_t i = rng() % live.size();
    map.erase(live[i]);
    live[i] = next++;
    map.insert(live[i], live[i]);
  }
  expect_each_key_once(map, std::set<std::uint64_t>(live.begin(), live.end()));
}

// Go's `for k, v := range m { if pred { delete(m, k) } }` while a doubling is in
// flight: the erases evacuate buckets under the iterator, and with a small
// table they finish the grow mid-iteration (its old array must outlive it).
TEST(GoIterationTest, EraseIfDuringADoublingOffersEveryKeyOnceAndFinishesTheGrow) {
  for (unsigned target_B : {4u, 6u, 9u}) {
    std::set<std::uint64_t> keys;
    Map map = doubling_in_flight(target_B, 1, keys);
    ASSERT_TRUE(map.go_stats().growing);
    std::map<std::uint64_t, int> offered;
    const std::size_t erased = map.erase_if([&](const std::uint64_t& k, const std::uint64_t& v) {
      EXPECT_EQ(k, v);
      ++offered[k];
      return k % 3 != 0;
    });
    ASSERT_EQ(offered.size(), keys.size()) << "B " << target_B;
    for (const auto& [k, n] : offered) ASSERT_EQ(n, 1) << "key " << k << " offered twice";
    std::set<std::uint64_t> kept;
    for (std::uint64_t k : keys)
      if (k % 3 == 0) kept.insert(k);
    EXPECT_EQ(erased, keys.size() - kept.size());
    EXPECT_EQ(map.size(), kept.size());
    EXPECT_EQ(map.check_invariants(), "");
    expect_each_key_once(map, kept);
    if (target_B <= 6) {
      EXPECT_FALSE(map.go_stats().growing) << "the erases finished the grow";
    }
  }
}

TEST(GoIterationTest, EraseFirstDuringGrowthEmptiesTheMapOneKeyAtATime) {
  std::set<std::uint64_t> keys;
  Map map = doubling_in_flight(7, 3, keys);
  const std::uint64_t redraws = map.go_stats().seed_redraws;
  while (!keys.empty()) {
    std::uint64_t first = 0;
    bool got = false;
    // erase_first removes some live key; find out which by what disappeared
    ASSERT_TRUE(map.erase_first());
    for (auto it = keys.begin(); it != keys.end() && !got; ++it)
      if (map.find(*it) == nullptr) first = *it, got = true;
    ASSERT_TRUE(got);
    keys.erase(first);
    ASSERT_EQ(map.size(), keys.size());
    if (keys.size() % 64 == 0) {
      ASSERT_EQ(map.check_invariants(), "");
    }
  }
  EXPECT_FALSE(map.erase_first());
  EXPECT_EQ(map.go_stats().seed_redraws, redraws + 1) << "count reached 0 once";
}

}  // namespace
}  // namespace slotlab::go
