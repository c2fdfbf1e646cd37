// Deletion and reuse inside a table (table.go: Delete, PutSlot,
// pruneTombstones): a delete empties its slot when the group still has an
// empty one (growthLeft back) and leaves a tombstone in a full group; an
// insert checks absence to the end of the probe sequence and takes the first
// tombstone on the way without consuming growthLeft; at growthLeft 0 it
// prunes tombstones no probe sequence needs -- or grows.
//
// Keys are placed by hand: IdentityHash and a zero seed make the key its own
// hash (key_at: home group, H2 tag). A table of 16 slots has 2 groups.
#include <gtest/gtest.h>

#include "maps/strategies/go_swiss/goswiss_test_support.hpp"

namespace slotlab::goswiss {
namespace {

using Access = GoSwissMapTestAccess;
using Map = GoSwissMap<std::uint64_t, std::uint64_t, IdentityHash>;

class GoSwissTombstoneTest : public ::testing::Test {
 protected:
  // Group 0 full of keys at home there (tags 1..8), then `in_group1` keys with
  // home group 1 (tags 11..), and `spill` keys with home group 0 that probe
  // on to group 1 (tags 31..).
  void build(unsigned in_group1, unsigned spill) {
    Access::zero_seed(map);
    for (unsigned t = 1; t <= 8; ++t) insert(key_at(0, static_cast<std::uint8_t>(t)));
    for (unsigned t = 0; t < spill; ++t) insert(key_at(0, static_cast<std::uint8_t>(31 + t)));
    for (unsigned t = 0; t < in_group1; ++t) insert(key_at(1, static_cast<std::uint8_t>(11 + t)));
    ASSERT_EQ(map.stats().slots, 16u);
  }
  void insert(std::uint64_t k) {
    ASSERT_TRUE(map.insert(k, k));
    ASSERT_EQ(map.check_invariants(), "") << "after inserting " << k;
  }
  void erase(std::uint64_t k) {
    ASSERT_TRUE(map.erase(k));
    ASSERT_EQ(map.check_invariants(), "") << "after erasing " << k;
  }
  std::string groups() const { return Access::group_ctrl(map, 0, 0) + "|" + Access::group_ctrl(map, 0, 1); }
  TableStats table() const { return map.goswiss_stats().per_table.at(0); }
  Map map{IdentityHash{}};
};

TEST_F(GoSwissTombstoneTest, DeleteInAFullGroupLeavesATombstoneElseAnEmptySlot) {
  build(3, 0);
  ASSERT_EQ(groups(), "########|###.....");
  ASSERT_EQ(table().growth_left, 14u - 11u);
  erase(key_at(0, 4));
  EXPECT_EQ(groups(), "###D####|###.....");
  EXPECT_EQ(table().growth_left, 3u) << "a tombstone keeps consuming growth";
  EXPECT_EQ(map.stats().tombstones, 1u);
  erase(key_at(1, 12));
  EXPECT_EQ(groups(), "###D####|#.#.....");
  EXPECT_EQ(table().growth_left, 4u) << "an emptied slot gives its growth back";
  EXPECT_EQ(map.stats().tombstones, 1u);
}

TEST_F(GoSwissTombstoneTest, AnInsertReusesTheFirstTombstoneWithoutConsumingGrowth) {
  build(3, 0);
  erase(key_at(0, 2));
  erase(key_at(0, 7));
  ASSERT_EQ(groups(), "#D####D#|###.....");
  const MapStats before = map.stats();
  insert(key_at(1, 90));  // home group 1 ends the probe at once: no tombstone on its way
  EXPECT_EQ(groups(), "#D####D#|####....");
  insert(key_at(0, 91));  // group 0 first (tombstone remembered), group 1 ends the probe
  EXPECT_EQ(groups(), "######D#|####....") << "the first tombstone, not the empty slot";
  const MapStats after = map.stats();
  EXPECT_EQ(*after.reused_slot_inserts - *before.reused_slot_inserts, 1u);
  EXPECT_EQ(*after.fresh_slot_inserts - *before.fresh_slot_inserts, 1u);
  EXPECT_EQ(table().growth_left, 14u - 11u - 1u) << "only the fresh insert consumed growth";
  EXPECT_EQ(*after.insert_probes - *before.insert_probes, 1u + 2u) << "groups read: 1, then 2";
}

TEST_F(GoSwissTombstoneTest, TheAbsenceCheckRunsPastATombstone) {
  build(3, 1);  // key_at(0, 31) lives in group 1
  erase(key_at(0, 5));
  ASSERT_EQ(groups(), "####D###|####....");
  EXPECT_FALSE(map.insert(key_at(0, 31), 0)) << "found beyond the tombstone: no duplicate";
  EXPECT_EQ(groups(), "####D###|####....");
  EXPECT_EQ(*map.find(key_at(0, 31)), key_at(0, 31));
  EXPECT_EQ(map.probe_length(key_at(0, 31)), 2u);
}

TEST_F(GoSwissTombstoneTest, AtZeroGrowthUnneededTombstonesArePrunedInsteadOfGrowing) {
  build(6, 0);
  ASSERT_EQ(table().growth_left, 0u);
  erase(key_at(0, 1));
  erase(key_at(0, 8));
  ASSERT_EQ(groups(), "D######D|######..");
  insert(key_at(1, 77));  // no tombstone on its probe; growthLeft 0 -> prune
  const GoSwissStats g = map.goswiss_stats();
  EXPECT_EQ(g.prune_calls, 1u);
  EXPECT_EQ(g.prunes, 1u);
  EXPECT_EQ(g.tombstones_pruned, 2u) << "2 of 16 slots: both 10% thresholds met";
  EXPECT_EQ(groups(), ".######.|#######.");
  EXPECT_EQ(map.stats().slots, 16u) << "no grow";
  EXPECT_EQ(table().growth_left, 1u);
}

TEST_F(GoSwissTombstoneTest, ATombstoneOnSomeKeysProbeSequenceIsNeeded) {
  build(5, 1);  // key_at(0, 31) probes through group 0 to group 1
  ASSERT_EQ(table().growth_left, 0u);
  erase(key_at(0, 1));
  erase(key_at(0, 8));
  insert(key_at(1, 77));
  const GoSwissStats g = map.goswiss_stats();
  EXPECT_EQ(g.prune_calls, 1u);
  EXPECT_EQ(g.prunes, 0u) << "group 0's tombstones keep key 31 reachable";
  EXPECT_EQ(g.grows, 1u) << "so the table grows instead";
  EXPECT_EQ(map.stats().slots, 32u);
  EXPECT_EQ(map.stats().tombstones, 0u) << "a rebuild leaves no tombstone";
}

TEST_F(GoSwissTombstoneTest, BelowTenPercentTombstonesPruningIsNotTried) {
  build(6, 0);
  erase(key_at(0, 3));  // 1 tombstone of 16 slots: under 10%
  insert(key_at(1, 77));
  const GoSwissStats g = map.goswiss_stats();
  EXPECT_EQ(g.prune_calls, 1u);
  EXPECT_EQ(g.prunes, 0u);
  EXPECT_EQ(g.tombstones_pruned, 0u);
  EXPECT_EQ(g.grows, 1u);
}

TEST(GoSwissTombstones, ChurnAtConstantSizeRaisesAndPrunesTombstones) {
  GoSwissMap<std::uint64_t, std::uint64_t, StrongHash> map{StrongHash{}};
  for (std::uint64_t k = 0; k < 700; ++k) map.insert(k, k);
  std::uint64_t next = 700, oldest = 0, peak = 0;
  bool fell = false;
  std::uint64_t last = 0;
  for (int op = 0; op < 40000; ++op) {
    map.erase(oldest++);
    map.insert(next, next);
    ++next;
    const std::uint64_t t = *map.stats().tombstones;
    fell |= t < last;
    last = t;
    peak = std::max(peak, t);
  }
  EXPECT_TRUE(fell);
  EXPECT_GT(peak, 50u);
  EXPECT_GT(map.goswiss_stats().prunes, 0u);
  EXPECT_GT(map.goswiss_stats().tombstones_pruned, 0u);
  EXPECT_EQ(map.check_invariants(), "");
}

}  // namespace
}  // namespace slotlab::goswiss
