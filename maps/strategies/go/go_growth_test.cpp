// Growth of the Go model: when it starts (doubling at load 6.5, same-size
// grow at noverflow >= 2^min(B,15), only on an insert of a new key), how it
// proceeds (at most two old buckets evacuated per write, none per read), and
// that every operation stays correct while it is in flight.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <unordered_map>
#include <vector>

#include "maps/strategies/go/go_test_support.hpp"

namespace slotlab::go {
namespace {

using Map = GoMap<std::uint64_t, std::uint64_t, StrongHash>;

TEST(GoGrowthTest, DoublingStartsOnTheInsertThatWouldPassLoadFactor6Point5) {
  Map map{StrongHash{}};
  for (std::uint64_t k = 0; k < 7000; ++k) {  // up to B = 10
    const GoStats before = map.go_stats();
    ASSERT_TRUE(map.insert(k, k));
    const GoStats after = map.go_stats();
    const bool doubled = after.doubling_grows != before.doubling_grows;
    EXPECT_EQ(doubled, !before.growing && over_load_factor(before.count + 1, before.B))
        << "at count " << before.count << ", B " << before.B;
    if (doubled) {
      EXPECT_EQ(after.B, before.B + 1);
      EXPECT_EQ(before.count, before.B == 0 ? 8u : 13u << (before.B - 1))
          << "the map was exactly full (8 keys at B=0, 6.5 * 2^B above)";
    }
  }
  EXPECT_EQ(map.check_invariants(), "");
}

TEST(GoGrowthTest, GrowthStartsOnlyOnAnInsertOfANewKey) {
  // Identity hash, consecutive keys: every bucket holds 6 or 7, no overflow.
  GoMap<std::uint64_t, std::uint64_t, WeakHash> map{WeakHash{}};
  std::uint64_t k = 0;
  // Full at B = 4 (104 keys): the next new key would grow it to 32 buckets,
  // 16 old ones to evacuate, so the grow stays in flight after that insert.
  while (map.go_stats().B < 4 || !over_load_factor(map.size() + 1, map.go_stats().B)) map.insert(k, k), ++k;
  ASSERT_FALSE(map.go_stats().growing);
  const GoStats full = map.go_stats();
  EXPECT_FALSE(map.insert(0, 7)) << "an existing key";
  EXPECT_FALSE(map.insert_or_assign(1, 7));
  EXPECT_NE(map.find(2), nullptr);
  EXPECT_TRUE(map.erase(3));
  EXPECT_TRUE(map.insert(3, 3)) << "back to full, into the freed slot";
  EXPECT_FALSE(map.go_stats().growing);
  EXPECT_EQ(map.go_stats().doubling_grows, full.doubling_grows);
  EXPECT_TRUE(map.insert(k, k));
  EXPECT_TRUE(map.go_stats().growing);
  EXPECT_EQ(map.go_stats().doubling_grows, full.doubling_grows + 1);
}

// Churn on a small map until noverflow reaches 2^B: the next insert of a new
// key must start a same-size grow (and no insert before may).
TEST(GoGrowthTest, SameSizeGrowStartsWhenNoverflowReachesTwoToTheB) {
  Map map{StrongHash{}};
  std::vector<std::uint64_t> live;
  std::uint64_t next = 0;
  for (; next < 100; ++next) map.insert(next, next), live.push_back(next);
  ASSERT_EQ(map.go_stats().B, 4u);
  std::mt19937_64 rng(5);
  int same_size_grows = 0;
  for (int op = 0; op < 20000 && same_size_grows < 3; ++op) {
    const std::size_t i = rng() % live.size();
    ASSERT_TRUE(map.erase(live[i]));
    const GoStats before = map.go_stats();
    live[i] = next++;
    ASSERT_TRUE(map.insert(live[i], live[i]));
    const GoStats after = map.go_stats();
    const bool started = after.same_size_grows != before.same_size_grows;
    EXPECT_EQ(started, !before.growing && before.noverflow >= (1u << before.B)) << "op " << op;
    if (started) {
      ++same_size_grows;
      EXPECT_EQ(after.B, before.B) << "same size";
      EXPECT_LE(after.noverflow, 2u) << "noverflow restarts at 0 with the new array";
      EXPECT_EQ(map.check_invariants(), "");
    }
  }
  EXPECT_EQ(same_size_grows, 3) << "churn at constant size must keep triggering same-size grows";
  EXPECT_EQ(map.go_stats().doubling_grows, 4u) << "and never a doubling";
}

// Random operations while a grow is in flight, checked against an oracle and
// the invariant checker after every one; reads never evacuate, writes move at
// most two old buckets.
void exercise_growth_in_flight(Map& map, std::unordered_map<std::uint64_t, std::uint64_t>& oracle,
                               std::uint64_t& next, std::uint64_t seed) {
  ASSERT_TRUE(map.go_stats().growing);
  std::mt19937_64 rng(seed);
  int ops = 0;
  while (map.go_stats().growing) {
    ASSERT_LT(++ops, 100000) << "the grow must finish";
    const GoStats before = map.go_stats();
    std::vector<std::uint64_t> keys;
    const std::uint64_t existing = next - 1 - rng() % std::min<std::uint64_t>(next, 500);
    const std::uint64_t v = rng();
    bool write = true;
    switch (rng() % 6) {
      case 0:
        ASSERT_EQ(map.insert(next, v), true);
        oracle[next++] = v;
        break;
      case 1:
        ASSERT_EQ(map.erase(existing), oracle.erase(existing) == 1);
        break;
      case 2:
        ASSERT_EQ(map.insert_or_assign(existing, v), !oracle.count(existing));
        oracle[existing] = v;
        break;
      case 3:
        ASSERT_EQ(map.insert(existing, v), !oracle.count(existing));
        oracle.try_emplace(existing, v);
        break;
      default: {
        write = false;
        const std::uint64_t* found = map.find(existing);
        ASSERT_EQ(found != nullptr, oracle.count(existing) == 1);
        if (found) {
          ASSERT_EQ(*found, oracle[existing]);
        }
        ASSERT_EQ(map.find(~existing), nullptr);
      }
    }
    const std::uint64_t evacuated = map.go_stats().buckets_evacuated - before.buckets_evacuated;
    if (write) {
      ASSERT_LE(evacuated, 2u);
    } else {
      ASSERT_EQ(evacuated, 0u) << "a lookup reads the old bucket, it does not move it";
    }
    ASSERT_EQ(map.size(), oracle.size());
    ASSERT_EQ(map.check_invariants(), "") << "op " << ops;
  }
  for (const auto& [k, v] : oracle) {
    const std::uint64_t* found = map.find(k);
    ASSERT_NE(found, nullptr);
    ASSERT_EQ(*found, v);
  }
}

TEST(GoGrowthTest, LookupsInsertsAndErasesDuringADoubling) {
  Map map{StrongHash{}};
  std::unordered_map<std::uint64_t, std::uint64_t> oracle;
  std::uint64_t next = 0;
  while (!(map.go_stats().growing && map.go_stats().B == 9)) map.insert(next, next), oracle[next] = next, ++next;
  exercise_growth_in_flight(map, oracle, next, 1);
  EXPECT_EQ(map.go_stats().B, 9u);
}

TEST(GoGrowthTest, LookupsInsertsAndErasesDuringASameSizeGrow) {
  Map map{StrongHash{}};
  std::unordered_map<std::uint64_t, std::uint64_t> oracle;
  std::vector<std::uint64_t> live;
  std::uint64_t next = 0;
  for (; next < 800; ++next) map.insert(next, next), oracle[next] = next, live.push_back(next);
  std::mt19937_64 rng(9);
  while (map.go_stats().same_size_grows == 0) {
    const std::size_t i = rng() % live.size();
    map.erase(live[i]);
    oracle.erase(live[i]);
    live[i] = next++;
    map.insert(live[i], live[i]);
    oracle[live[i]] = live[i];
  }
  ASSERT_TRUE(map.go_stats().same_size_grow);
  exercise_growth_in_flight(map, oracle, next, 2);
}

// Above B=15 noverflow is a sample: each new overflow bucket counts with
// probability 1/2^(B-15). At B=16 that is a fair coin per bucket.
TEST(GoGrowthTest, NoverflowIsSampledAboveB15) {
  Map map{StrongHash{}};
  for (std::uint64_t k = 0; k < 400000; ++k) map.insert(k, k);
  const GoStats s = map.go_stats();
  ASSERT_EQ(s.B, 16u);
  ASSERT_FALSE(s.growing);
  // Every overflow bucket in use was taken after the last grow began.
  const double expected = s.overflow_buckets_in_use / 2.0;
  const double sd = std::sqrt(s.overflow_buckets_in_use / 4.0);
  EXPECT_GT(s.overflow_buckets_in_use, 1000u);
  EXPECT_NEAR(s.noverflow, expected, 5 * sd)
      << s.overflow_buckets_in_use << " overflow buckets, noverflow " << s.noverflow;
  EXPECT_NE(s.noverflow, s.overflow_buckets_in_use) << "not an exact count any more";
}

}  // namespace
}  // namespace slotlab::go
