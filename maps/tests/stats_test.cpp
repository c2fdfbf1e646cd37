// stats() must be consistent with what the map holds and with the counting
// allocator, and must never invent a number: fields a strategy cannot observe
// stay empty, fields it can must move the way the design says they do.
#include <gtest/gtest.h>

#include "maps/tests/strategy_test_types.hpp"

namespace slotlab::testing {
namespace {

template <class S>
class StatsTest : public ::testing::Test {};
TYPED_TEST_SUITE(StatsTest, AllStrategies, StrategyName);

TYPED_TEST(StatsTest, SizeMatchesIterationAndBytesReturnToZero) {
  using Map = typename TypeParam::template map<std::uint64_t, std::uint64_t, StrongHash>;
  auto ledger = std::make_shared<AllocationLedger>();
  {
    Map map{StrongHash{}, typename Map::allocator_type(ledger)};
    for (std::uint64_t i = 0; i < 5000; ++i) map.insert(i, i);
    for (std::uint64_t i = 0; i < 5000; i += 3) map.erase(i);
    const MapStats s = map.stats();
    std::size_t walked = 0;
    map.for_each([&](const auto&, const auto&) { ++walked; });
    EXPECT_EQ(s.size, walked);
    EXPECT_EQ(s.size, map.size());
    ASSERT_TRUE(s.bytes && s.peak_bytes && s.slots);
    EXPECT_EQ(*s.bytes, ledger->bytes);
    EXPECT_GT(*s.bytes, s.size * 16) << "every live entry holds at least its key and value";
    EXPECT_GE(*s.peak_bytes, *s.bytes);
    EXPECT_GE(*s.slots * (TypeParam::name == "std" ? 2 : 1), s.size);
    ASSERT_TRUE(s.rehashes);
    EXPECT_GE(*s.rehashes, 5u) << "5000 inserts into an empty map must have grown it";
    if (s.mean_probe) {
      EXPECT_GE(*s.mean_probe, 1.0);
      EXPECT_GE(static_cast<double>(*s.max_probe), *s.mean_probe);
      EXPECT_FALSE(s.probe_unit.empty());
    }
  }
  EXPECT_EQ(ledger->bytes, 0u) << "the map must give back every byte it took";
  EXPECT_GT(ledger->peak_bytes, 0u);
  EXPECT_EQ(ledger->allocations, ledger->deallocations);
}

TYPED_TEST(StatsTest, ProbeLengthOfAbsentKeysIsAtLeastOne) {
  using Map = typename TypeParam::template map<std::uint64_t, std::uint64_t, StrongHash>;
  Map map{StrongHash{}};
  for (std::uint64_t i = 0; i < 3000; ++i) map.insert(i, i);
  for (std::uint64_t i = 1u << 20; i < (1u << 20) + 100; ++i) {
    auto p = map.probe_length(i);
    if (p) {
      EXPECT_GE(*p, 1u);
    }
  }
}

TEST(AbslStatsTest, TombstonesAppearAndInsertsReuseThem) {
  using Map = AbslStrategy::map<std::uint64_t, std::uint64_t, CollideHash>;
  Map map{CollideHash{}};
  // Colliding keys fill whole groups, so their erasure must leave kDeleted.
  for (std::uint64_t i = 0; i < 64; ++i) map.insert(i, i);
  for (std::uint64_t i = 0; i < 64; i += 2) map.erase(i);
  const MapStats after_erase = map.stats();
  ASSERT_TRUE(after_erase.tombstones);
  EXPECT_GT(*after_erase.tombstones, 0u);
  for (std::uint64_t i = 0; i < 64; i += 2) map.insert(i, i);
  const MapStats after_reinsert = map.stats();
  EXPECT_LT(*after_reinsert.tombstones, *after_erase.tombstones);
  ASSERT_TRUE(after_reinsert.reused_slot_inserts);
  EXPECT_EQ(*after_reinsert.reused_slot_inserts,
            *after_erase.tombstones - *after_reinsert.tombstones);
}

TEST(RobinStatsTest, ProbeLengthCountsBucketsFromHome) {
  using Map = RobinStrategy::map<std::uint64_t, std::uint64_t, CollideHash>;
  Map map{CollideHash{}};
  // 16 keys with one hash form one run: the i-th inserted sits i buckets from home.
  for (std::uint64_t i = 0; i < 16; ++i) map.insert(i, i);
  const MapStats s = map.stats();
  ASSERT_TRUE(s.mean_probe);
  EXPECT_DOUBLE_EQ(*s.mean_probe, 8.5);
  EXPECT_EQ(*s.max_probe, 16u);
}

TEST(StdStatsTest, ProbeLengthIsChainPosition) {
  using Map = StdStrategy::map<std::uint64_t, std::uint64_t, CollideHash>;
  Map map{CollideHash{}};
  for (std::uint64_t i = 0; i < 16; ++i) map.insert(i, i);
  const MapStats s = map.stats();
  EXPECT_DOUBLE_EQ(*s.mean_probe, 8.5);
  EXPECT_FALSE(s.tombstones) << "std::unordered_map has no tombstones to count";
}

TEST(BoostStatsTest, ProbeLengthIsReportedAsNotAvailable) {
  using Map = BoostStrategy::map<std::uint64_t, std::uint64_t, StrongHash>;
  Map map{StrongHash{}};
  map.insert(1, 1);
  const MapStats s = map.stats();
  EXPECT_FALSE(s.mean_probe);
  EXPECT_FALSE(s.max_probe);
  EXPECT_FALSE(s.fresh_slot_inserts);
}

}  // namespace
}  // namespace slotlab::testing
