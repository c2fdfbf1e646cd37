// The empty-slot state machine of Go's mapdelete/mapassign, across overflow
// buckets: an erase leaves emptyOne unless nothing live follows, in which case
// the trailing run (walking back into earlier buckets of the chain) becomes
// emptyRest; an insert takes the first empty slot of either kind before the
// first emptyRest; overflow buckets are never unlinked.
#include <gtest/gtest.h>

#include <string>

#include "maps/strategies/go/go_test_support.hpp"

namespace slotlab::go {
namespace {

using Map = GoMap<std::uint64_t, std::uint64_t, OneBucketHash>;

// The chain all keys share (OneBucketHash), one character per slot: '#' live, '1' emptyOne, 'R' emptyRest; '|' between buckets.
std::string states(const Map& m) {
  std::string s;
  for (const auto& bucket : GoMapTestAccess::chain(m, GoMapTestAccess::bucket_of(m, 0))) {
    if (!s.empty()) s += '|';
    for (int t : bucket) s += t == kEmptyRest ? 'R' : t == kEmptyOne ? '1' : t >= kMinTopHash ? '#' : '?';
  }
  return s;
}

class GoStateMachineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    map.reserve(26);  // B = 2: 20 keys in one bucket stay below the load factor
    ASSERT_EQ(map.go_stats().B, 2u);
    for (std::uint64_t k = 0; k < 20; ++k) ASSERT_TRUE(map.insert(k, k));
    ASSERT_EQ(states(map), "########|########|####RRRR");
    ASSERT_EQ(map.go_stats().noverflow, 2u);
  }
  void erase(std::uint64_t k) {
    ASSERT_TRUE(map.erase(k));
    ASSERT_EQ(map.check_invariants(), "") << "after erasing " << k;
  }
  Map map{OneBucketHash{}};
};

TEST_F(GoStateMachineTest, EraseBeforeALiveSlotLeavesEmptyOne) {
  erase(3);
  EXPECT_EQ(states(map), "###1####|########|####RRRR");
  EXPECT_EQ(map.stats().tombstones, 1u);
}

TEST_F(GoStateMachineTest, EraseOfTheLastLiveSlotTurnsTheTrailingRunIntoEmptyRest) {
  erase(16);
  erase(17);
  EXPECT_EQ(states(map), "########|########|11##RRRR");
  erase(19);  // the last live slot: it becomes emptyRest at once
  EXPECT_EQ(states(map), "########|########|11#RRRRR");
  erase(18);  // the run 16,17,18 converts, and the walk stops at key 15 in the bucket before
  EXPECT_EQ(states(map), "########|########|RRRRRRRR");
  EXPECT_EQ(map.stats().tombstones, 0u);
}

TEST_F(GoStateMachineTest, TheBackwardWalkCrossesIntoThePreviousBucket) {
  for (std::uint64_t k = 16; k < 20; ++k) erase(k);
  erase(15);  // slot 7, and the next bucket starts with emptyRest
  EXPECT_EQ(states(map), "########|#######R|RRRRRRRR");
  for (std::uint64_t k = 9; k < 14; ++k) erase(k);
  EXPECT_EQ(states(map), "########|#11111#R|RRRRRRRR");
  erase(14);
  EXPECT_EQ(states(map), "########|#RRRRRRR|RRRRRRRR");
  erase(7);  // slot 7 of the first bucket: key 8 still follows in the overflow bucket
  EXPECT_EQ(states(map), "#######1|#RRRRRRR|RRRRRRRR");
  erase(8);  // the walk goes back from the overflow bucket into the first one
  EXPECT_EQ(states(map), "#######R|RRRRRRRR|RRRRRRRR");
  EXPECT_EQ(map.go_stats().overflow_buckets_in_use, 2u) << "overflow buckets are never unlinked";
  EXPECT_EQ(map.go_stats().noverflow, 2u);
}

TEST_F(GoStateMachineTest, InsertTakesTheFirstEmptySlotOfEitherKindAndStopsAtEmptyRest) {
  erase(3);
  for (std::uint64_t k = 8; k < 20; ++k) erase(k);
  erase(7);
  ASSERT_EQ(states(map), "###1###R|RRRRRRRR|RRRRRRRR");
  const GoStats before = map.go_stats();
  ASSERT_TRUE(map.insert(100, 100));  // emptyOne at slot 3 comes first
  EXPECT_EQ(states(map), "#######R|RRRRRRRR|RRRRRRRR");
  EXPECT_EQ(map.go_stats().inserts_into_empty_one, before.inserts_into_empty_one + 1);
  ASSERT_TRUE(map.insert(101, 101));  // then the emptyRest at slot 7: an emptyRest slot is reusable
  EXPECT_EQ(states(map), "########|RRRRRRRR|RRRRRRRR");
  EXPECT_EQ(map.go_stats().inserts_into_empty_rest, before.inserts_into_empty_rest + 1);
  ASSERT_TRUE(map.insert(102, 102));  // the existing overflow bucket, no new one
  EXPECT_EQ(states(map), "########|#RRRRRRR|RRRRRRRR");
  EXPECT_EQ(map.go_stats().inserts_into_new_overflow, before.inserts_into_new_overflow);
  EXPECT_EQ(map.go_stats().noverflow, 2u);
  EXPECT_EQ(map.check_invariants(), "");
}

TEST_F(GoStateMachineTest, AnEmptyOneHoleIsFilledBeforeLaterSpace) {
  erase(12);  // a hole in the middle of the chain
  ASSERT_TRUE(map.insert(200, 200));
  EXPECT_EQ(states(map), "########|########|####RRRR");
  EXPECT_EQ(*map.find(200), 200u);
  EXPECT_EQ(map.stats().reused_slot_inserts, 1u);
}

TEST_F(GoStateMachineTest, AFullChainGetsANewOverflowBucketCountedInNoverflow) {
  for (std::uint64_t k = 20; k < 24; ++k) ASSERT_TRUE(map.insert(k, k));
  ASSERT_EQ(states(map), "########|########|########");
  ASSERT_TRUE(map.insert(24, 24));
  EXPECT_EQ(states(map), "########|########|########|#RRRRRRR");
  EXPECT_EQ(map.go_stats().noverflow, 3u);
  EXPECT_EQ(map.go_stats().inserts_into_new_overflow, 3u);
  EXPECT_EQ(map.check_invariants(), "");
}

TEST(GoOverflowTest, BucketArraysAreAsLongAsMakeBucketArrayMakesThem) {
  static_assert(sizeof(Bucket<std::uint64_t, std::uint64_t>) == 144, "Go's bmap for uint64 -> uint64");
  EXPECT_EQ(bucket_array_length(3, 144), 8u) << "no spares below B=4";
  // B=5: 32 + 2 buckets = 4896 bytes, size class 5376 -> 37 buckets
  EXPECT_EQ(bucket_array_length(5, 144), 37u);
  // B=10: 1024 + 64 buckets = 156672 bytes, 20 pages = 163840 -> 1137 buckets
  EXPECT_EQ(bucket_array_length(10, 144), 1137u);
}

TEST(GoOverflowTest, PreallocatedOverflowBucketsAreTakenFirstWithoutAllocating) {
  auto ledger = std::make_shared<AllocationLedger>();
  GoMap<std::uint64_t, std::uint64_t, OneBucketHash> map{
      OneBucketHash{}, CountingAllocator<std::pair<const std::uint64_t, std::uint64_t>>(ledger)};
  map.reserve(200);  // B = 5: 37 buckets, 5 of them spare
  ASSERT_EQ(map.go_stats().B, 5u);
  ASSERT_EQ(map.go_stats().preallocated_overflow_left, 5u);
  const std::size_t allocations = ledger->allocations;
  for (std::uint64_t k = 0; k < 48; ++k) map.insert(k, k);  // one chain of 6: five overflow buckets
  EXPECT_EQ(map.go_stats().preallocated_overflow_left, 0u);
  EXPECT_EQ(ledger->allocations, allocations) << "spare buckets come from the array";
  map.insert(48, 48);
  EXPECT_EQ(ledger->allocations, allocations + 1) << "spares exhausted: newobject";
  EXPECT_EQ(map.go_stats().noverflow, 6u);
  EXPECT_EQ(map.check_invariants(), "");
}

}  // namespace
}  // namespace slotlab::go
