// Small maps (map.go: putSlotSmall, deleteSmall, growToSmall, growToTable):
// up to 8 entries in one group and no table (dirLen == 0), a delete empties
// its slot at once, and the insert that finds the group full moves
// everything into one table of 16 slots.
#include <gtest/gtest.h>

#include "maps/strategies/go_swiss/goswiss_test_support.hpp"

namespace slotlab::goswiss {
namespace {

using Access = GoSwissMapTestAccess;
using Map = GoSwissMap<std::uint64_t, std::uint64_t, IdentityHash>;

class GoSwissSmallTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Access::zero_seed(map);
    for (std::uint64_t k = 1; k <= 8; ++k) ASSERT_TRUE(map.insert(key_at(0, static_cast<std::uint8_t>(k)), k));
    ASSERT_EQ(map.check_invariants(), "");
  }
  Map map{IdentityHash{}};
};

TEST_F(GoSwissSmallTest, EightEntriesAreOneGroupAndNoTable) {
  const MapStats s = map.stats();
  EXPECT_EQ(s.slots, 8u);
  EXPECT_EQ(s.tables, 0u);
  EXPECT_EQ(s.directory_len, 0u);
  EXPECT_EQ(s.tombstones, 0u);
  EXPECT_EQ(s.rehashes, 0u);
  EXPECT_EQ(Access::small_ctrl(map), "########");
  EXPECT_TRUE(map.goswiss_stats().small);
  EXPECT_EQ(map.probe_length(key_at(0, 3)), 1u) << "one group, whatever the key";
}

TEST_F(GoSwissSmallTest, DeleteEmptiesTheSlotAndTheNextInsertTakesTheFirstFreeSlot) {
  ASSERT_TRUE(map.erase(key_at(0, 6)));
  ASSERT_TRUE(map.erase(key_at(0, 3)));
  EXPECT_EQ(Access::small_ctrl(map), "##.##.##") << "no tombstones in a small map";
  EXPECT_EQ(map.stats().tombstones, 0u);
  ASSERT_TRUE(map.insert(key_at(0, 100), 100));
  EXPECT_EQ(Access::small_ctrl(map), "#####.##") << "matchEmptyOrDeleted().first(): the lowest free slot";
  EXPECT_EQ(map.stats().fresh_slot_inserts, 9u);
  EXPECT_EQ(map.stats().reused_slot_inserts, 0u);
  EXPECT_EQ(map.stats().slots, 8u);
  EXPECT_EQ(map.check_invariants(), "");
}

TEST_F(GoSwissSmallTest, TheNinthKeyMovesEverythingIntoOneTableOfSixteen) {
  ASSERT_TRUE(map.insert(key_at(0, 9), 9));
  const MapStats s = map.stats();
  EXPECT_EQ(s.slots, 16u);
  EXPECT_EQ(s.tables, 1u);
  EXPECT_EQ(s.directory_len, 1u);
  EXPECT_EQ(s.rehashes, 1u);
  EXPECT_EQ(map.goswiss_stats().grows_to_table, 1u);
  // All nine keys have home group 0 of 2: the eight moved keys fill it
  // (uncheckedPutSlot, in slot order), the ninth probes on to group 1.
  EXPECT_EQ(Access::group_ctrl(map, 0, 0), "########");
  EXPECT_EQ(Access::group_ctrl(map, 0, 1), "#.......");
  EXPECT_EQ(map.goswiss_stats().per_table.at(0).growth_left, 14u - 9u);
  EXPECT_EQ(map.probe_length(key_at(0, 9)), 2u);
  EXPECT_EQ(map.check_invariants(), "");
}

TEST_F(GoSwissSmallTest, AFullSmallMapGrowsEvenForAKeyItHolds) {
  EXPECT_FALSE(map.insert(key_at(0, 4), 44)) << "the key exists";
  EXPECT_EQ(map.stats().tables, 1u) << "Go grows before looking (map.go: 'TODO ... an update to an existing key')";
  EXPECT_EQ(*map.find(key_at(0, 4)), 4u);
  EXPECT_EQ(map.check_invariants(), "");
}

TEST_F(GoSwissSmallTest, EmptyingTheMapRedrawsTheSeed) {
  const auto before = map.goswiss_stats().seed_redraws;
  for (std::uint64_t k = 1; k <= 8; ++k) ASSERT_TRUE(map.erase(key_at(0, static_cast<std::uint8_t>(k))));
  EXPECT_EQ(map.goswiss_stats().seed_redraws, before + 1) << "go.dev/issue/25237";
  EXPECT_EQ(map.stats().slots, 8u) << "the group stays";
  EXPECT_EQ(map.check_invariants(), "");
}

TEST(GoSwissSmall, AnEmptyMapHasNoGroupAndClearKeepsTheTables) {
  GoSwissMap<std::uint64_t, std::uint64_t, StrongHash> map{StrongHash{}};
  EXPECT_EQ(map.stats().slots, 0u);
  EXPECT_EQ(map.probe_length(5), 0u) << "used == 0: Go returns before hashing";
  for (std::uint64_t k = 0; k < 3000; ++k) map.insert(k, k);
  const MapStats full = map.stats();
  map.clear();
  const MapStats s = map.stats();
  EXPECT_EQ(s.size, 0u);
  EXPECT_EQ(s.slots, full.slots) << "Clear keeps the directory and every table (TODO: shrink directory?)";
  EXPECT_EQ(s.tables, full.tables);
  EXPECT_EQ(s.tombstones, 0u);
  EXPECT_EQ(map.check_invariants(), "");
}

}  // namespace
}  // namespace slotlab::goswiss
