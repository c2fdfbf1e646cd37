// The rest of the Go model's contract: the seed re-draw when count reaches 0,
// clear(), string keys and move-only values through growth without leaks,
// and an invariant checker that notices a corrupted table.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "maps/core/values.hpp"
#include "maps/strategies/go/go_test_support.hpp"

namespace slotlab::go {
namespace {

using Map = GoMap<std::uint64_t, std::uint64_t, StrongHash>;

TEST(GoSeedTest, TheSeedIsRedrawnWhenTheLastKeyIsErased) {
  Map map{StrongHash{}};
  for (std::uint64_t k = 0; k < 10; ++k) map.insert(k, k);
  const GoStats start = map.go_stats();
  for (std::uint64_t k = 0; k < 9; ++k) map.erase(k);
  EXPECT_EQ(map.go_stats().hash0, start.hash0) << "count 1: same seed";
  map.erase(9);
  EXPECT_NE(map.go_stats().hash0, start.hash0) << "count 0: new seed";
  EXPECT_EQ(map.go_stats().seed_redraws, start.seed_redraws + 1);
  EXPECT_FALSE(map.erase(9)) << "erasing from an empty map draws nothing";
  EXPECT_EQ(map.go_stats().seed_redraws, start.seed_redraws + 1);
  // The new seed moves keys to other buckets; the map must still work.
  for (std::uint64_t k = 0; k < 500; ++k) map.insert(k, k + 1);
  for (std::uint64_t k = 0; k < 500; ++k) ASSERT_EQ(*map.find(k), k + 1);
  EXPECT_EQ(map.check_invariants(), "");
}

TEST(GoSeedTest, TheNewSeedPlacesKeysInOtherBuckets) {
  Map map{StrongHash{}};
  map.reserve(2000);  // B = 9: the xor-ed seed picks among 512 buckets
  auto buckets_of_keys = [&] {
    std::vector<std::uint64_t> b;
    for (std::uint64_t k = 0; k < 50; ++k) b.push_back(GoMapTestAccess::bucket_of(map, k));
    return b;
  };
  const auto before = buckets_of_keys();
  map.insert(1, 1);
  map.erase(1);
  EXPECT_NE(buckets_of_keys(), before);
}

TEST(GoSeedTest, ClearKeepsBAndRedrawsTheSeed) {
  Map map{StrongHash{}};
  for (std::uint64_t k = 0; k < 3000; ++k) map.insert(k, k);
  const GoStats before = map.go_stats();
  map.clear();
  const GoStats after = map.go_stats();
  EXPECT_EQ(map.size(), 0u);
  EXPECT_EQ(after.B, before.B) << "mapclear keeps the bucket array";
  EXPECT_EQ(after.noverflow, 0u);
  EXPECT_EQ(after.overflow_buckets_in_use, 0u);
  EXPECT_NE(after.hash0, before.hash0);
  EXPECT_EQ(map.check_invariants(), "");
  for (std::uint64_t k = 0; k < 100; ++k) map.insert(k, k);
  EXPECT_EQ(map.check_invariants(), "");
}

TEST(GoStringKeyTest, ChurnThroughGrowthWithMoveOnlyValuesLeavesNothingBehind) {
  auto ledger = std::make_shared<AllocationLedger>();
  {
    using StringMap = GoMap<std::string, MoveOnlyValue, StrongHash>;
    StringMap map{StrongHash{}, CountingAllocator<std::pair<const std::string, MoveOnlyValue>>(ledger)};
    std::unordered_map<std::string, std::uint64_t> oracle;
    std::mt19937_64 rng(17);
    auto key = [](std::uint64_t i) { return "a fairly long string key #" + std::to_string(i); };
    std::uint64_t next = 0;
    for (int op = 0; op < 30000; ++op) {
      if (oracle.size() < 2000 || rng() % 2) {
        ASSERT_TRUE(map.insert(key(next), MoveOnlyValue(next)));
        oracle[key(next)] = next;
        ++next;
      } else {
        const std::string k = key(rng() % next);
        ASSERT_EQ(map.erase(k), oracle.erase(k) == 1);
      }
      if (op % 1000 == 0) {
        ASSERT_EQ(map.check_invariants(), "") << "op " << op;
      }
    }
    ASSERT_GT(map.go_stats().doubling_grows, 5u);
    for (const auto& [k, v] : oracle) ASSERT_EQ(map.find(k)->value(), v);
    const std::size_t erased = map.erase_if([](const std::string& k, const MoveOnlyValue&) {
      return k.back() % 2 == 0;
    });
    EXPECT_GT(erased, 0u);
    EXPECT_EQ(map.check_invariants(), "");
    StringMap moved = std::move(map);
    EXPECT_EQ(moved.size(), oracle.size() - erased);
  }
  EXPECT_EQ(ledger->bytes, 0u);
  EXPECT_EQ(ledger->allocations, ledger->deallocations);
}

class GoCheckerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    map.reserve(26);
    for (std::uint64_t k = 0; k < 20; ++k) map.insert(k, k);  // one chain: 8 | 8 | 4
    ASSERT_EQ(map.check_invariants(), "");
    chain = GoMapTestAccess::bucket_of(map, 0);
  }
  GoMap<std::uint64_t, std::uint64_t, OneBucketHash> map{OneBucketHash{}};
  std::uint64_t chain = 0;
};

TEST_F(GoCheckerTest, AWrongTophashIsReported) {
  const std::uint8_t t = GoMapTestAccess::tophash(map, chain, 1, 2);
  GoMapTestAccess::set_tophash(map, chain, 1, 2, static_cast<std::uint8_t>(t == 255 ? 254 : t + 1));
  EXPECT_NE(map.check_invariants().find("tophash"), std::string::npos) << map.check_invariants();
}

TEST_F(GoCheckerTest, ALiveSlotAfterEmptyRestIsReported) {
  GoMapTestAccess::set_tophash(map, chain, 1, 0, kEmptyRest);
  EXPECT_NE(map.check_invariants().find("after an emptyRest"), std::string::npos)
      << map.check_invariants();
}

TEST_F(GoCheckerTest, AnUnconvertedTrailingEmptyOneIsReported) {
  map.erase(19);
  GoMapTestAccess::set_tophash(map, chain, 2, 3, kEmptyOne);  // Go would have made it emptyRest
  EXPECT_NE(map.check_invariants().find("emptyOne"), std::string::npos) << map.check_invariants();
}

TEST_F(GoCheckerTest, AnEvacuationStateInALiveChainIsReported) {
  GoMapTestAccess::set_tophash(map, chain, 0, 4, kEvacuatedX);
  EXPECT_NE(map.check_invariants().find("evacuation state"), std::string::npos)
      << map.check_invariants();
}

TEST_F(GoCheckerTest, AWrongCountOrNoverflowIsReported) {
  GoMapTestAccess::set_count(map, 21);
  EXPECT_NE(map.check_invariants().find("count"), std::string::npos) << map.check_invariants();
  GoMapTestAccess::set_count(map, 20);
  GoMapTestAccess::set_noverflow(map, 3);
  EXPECT_NE(map.check_invariants().find("noverflow"), std::string::npos) << map.check_invariants();
}

TEST(GoStatsTest, InsertCountersAddUpAndNameTheirUnits) {
  Map map{StrongHash{}};
  std::vector<std::uint64_t> live;
  std::mt19937_64 rng(2);
  for (std::uint64_t k = 0; k < 6000; ++k) map.insert(k, k), live.push_back(k);
  for (std::uint64_t k = 6000; k < 30000; ++k) {
    const std::size_t i = rng() % live.size();
    map.erase(live[i]);
    live[i] = k;
    map.insert(k, k);
  }
  const MapStats s = map.stats();
  const GoStats g = map.go_stats();
  EXPECT_EQ(*s.inserts, 30000u);
  EXPECT_EQ(g.inserts_into_empty_one + g.inserts_into_empty_rest + g.inserts_into_new_overflow, 30000u);
  EXPECT_GT(g.inserts_into_empty_one, 0u);
  EXPECT_GT(g.inserts_into_empty_rest, 0u);
  EXPECT_EQ(*s.tombstones, g.empty_one_slots);
  EXPECT_EQ(*s.overflow_buckets, g.noverflow);
  EXPECT_EQ(*s.buckets_log2, 10u);
  EXPECT_GE(*s.insert_probes, *s.inserts);
  EXPECT_GE(*s.mean_probe, 1.0);
  EXPECT_NE(s.probe_unit.find("slots"), std::string_view::npos);
}

}  // namespace
}  // namespace slotlab::go
