// What only the ordered layout promises (table.hpp, "Ordered layout"): runs
// sorted by home, queries that stop at the first slot homed past theirs,
// inserts that shift a run forward to keep it sorted, tombstones that keep
// their key's place, robin hood's backward shift that stops at a key at home,
// and exact answers where distances saturate at 255. Homes are set by hand
// (HomeIs: the hash is key / 1000, the home of a 2048-slot table).
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "maps/core/hashers.hpp"
#include "maps/strategies/linear_probing/ordered_backshift.hpp"
#include "maps/strategies/linear_probing/ordered_graveyard.hpp"
#include "maps/strategies/linear_probing/ordered_tombstone.hpp"

namespace slotlab::linear_probing {
namespace {

struct HomeIs {
  std::size_t operator()(std::uint64_t key) const noexcept { return key / 1000; }
};
constexpr std::uint64_t key(std::uint64_t home, std::uint64_t i) { return home * 1000 + i; }

template <class S>
class OrderedTest : public ::testing::Test {};
using Ordered =
    ::testing::Types<OrderedBackshiftStrategy, OrderedTombstoneStrategy, OrderedGraveyardStrategy>;
struct OrderedName {
  template <class S>
  static std::string GetName(int) { return std::string(S::name); }
};
TYPED_TEST_SUITE(OrderedTest, Ordered, OrderedName);

// A table whose homes are the hash itself: 2048 slots (reserve's power of two).
template <class S>
auto table() {
  using Map = typename S::template map<std::uint64_t, std::uint64_t, HomeIs>;
  Map map{HomeIs{}};
  map.reserve(1500);
  EXPECT_EQ(map.capacity(), 2048u);
  return map;
}

TYPED_TEST(OrderedTest, AMissStopsAtTheFirstKeyHomedPastItsHome) {
  if (TypeParam::name.ends_with("graveyard")) GTEST_SKIP() << "planted tombstones change the run";
  auto map = table<TypeParam>();
  for (std::uint64_t i = 0; i < 5; ++i) map.insert(key(12, i), 0);
  for (std::uint64_t i = 0; i < 5; ++i) map.insert(key(10, i), 0);
  ASSERT_EQ(map.check_invariants(), "");
  // Slots 10..14 hold the home-10 keys, 15..19 the home-12 keys, shifted there.
  EXPECT_EQ(*map.probe_length(key(10, 4)), 5u);
  EXPECT_EQ(*map.probe_length(key(12, 0)), 4u) << "the home-12 keys moved 3 slots on";
  // An absent home-10 key stops at slot 15 (a key homed at 12); unordered it would run to 20.
  EXPECT_EQ(*map.probe_length(key(10, 99)), 6u);
  EXPECT_EQ(*map.probe_length(key(11, 99)), 5u) << "slots 11..14 are homed at 10, slot 15 past 11";
  EXPECT_EQ(*map.probe_length(key(12, 99)), 9u) << "its own run, then the empty slot 20";
  const MapStats s = map.stats();
  EXPECT_EQ(*s.shifted_slots, 5u * 3u) << "the five home-12 keys moved once per home-10 insert from the third";
}

TYPED_TEST(OrderedTest, SaturatedDistancesStillGiveTheExactOrderedPosition) {
  auto map = table<TypeParam>();
  // 600 keys homed at 0 (slots 0..599), then 20 homed at 100, all past distance 255.
  for (std::uint64_t i = 0; i < 600; ++i) map.insert(key(0, i), i);
  for (std::uint64_t i = 0; i < 20; ++i) map.insert(key(100, i), i);
  ASSERT_EQ(map.check_invariants(), "");
  // Another home-0 key: its ordered position is before the home-100 keys,
  // which a probe cannot tell from their saturated bytes -- the hash must.
  ASSERT_TRUE(map.insert(key(0, 600), 600));
  ASSERT_EQ(map.check_invariants(), "");
  if (!TypeParam::name.ends_with("graveyard")) {  // (planted tombstones lengthen the run)
    EXPECT_EQ(*map.probe_length(key(100, 0)), 502u) << "slot 601: shifted on by the new key";
  }
  std::mt19937_64 rng(3);
  std::vector<std::uint64_t> live;
  for (std::uint64_t i = 0; i <= 600; ++i) live.push_back(key(0, i));
  for (std::uint64_t i = 0; i < 20; ++i) live.push_back(key(100, i));
  for (std::uint64_t op = 0; op < 3000; ++op) {  // churn inside the saturated runs
    const std::size_t i = rng() % live.size();
    ASSERT_TRUE(map.erase(live[i]));
    live[i] = key(rng() % 2 ? 0 : 100, 601 + op);
    ASSERT_TRUE(map.insert(live[i], 1));
    if (op % 50 == 0) {
      ASSERT_EQ(map.check_invariants(), "") << "op " << op;
    }
  }
  for (std::uint64_t k : live) ASSERT_NE(map.find(k), nullptr) << k;
  EXPECT_EQ(map.find(key(0, 999)), nullptr);
  EXPECT_EQ(map.find(key(100, 999)), nullptr);
}

TEST(OrderedBackshiftTest, EraseShiftsBackOnlyUpToTheFirstKeyAtHome) {
  auto map = table<OrderedBackshiftStrategy>();
  for (std::uint64_t i = 0; i < 6; ++i) map.insert(key(10, i), 0);  // slots 10..15
  for (std::uint64_t i = 0; i < 6; ++i) map.insert(key(16, i), 0);  // slots 16..21, 16 at home
  ASSERT_TRUE(map.erase(key(10, 0)));
  EXPECT_EQ(*map.stats().shifted_slots, 5u) << "keys in 11..15 move back; the one at home in 16 stops it";
  EXPECT_EQ(map.check_invariants(), "");
  EXPECT_EQ(*map.probe_length(key(16, 0)), 1u);
  // Algorithm R (unordered backshift) would have walked on to slot 22.
  ASSERT_TRUE(map.erase(key(10, 99)) == false);
  // An erase's dry run counts its lookup and the walk, its stop included.
  EXPECT_EQ(*map.erase_probe_length(key(10, 1)), 1u + 5u);
  EXPECT_EQ(*map.erase_probe_length(key(16, 5)), 6u + 1u);
}

// Both shifts across the end of the slot array, where the control words of
// slots 0..7 are mirrored past it.
TEST(OrderedBackshiftTest, ShiftsCrossTheEndOfTheArray) {
  auto map = table<OrderedBackshiftStrategy>();
  for (std::uint64_t i = 0; i < 6; ++i) map.insert(key(2044, i), 0);  // slots 2044..2047, 0, 1
  for (std::uint64_t i = 0; i < 2; ++i) map.insert(key(0, i), 0);     // slots 2, 3
  ASSERT_TRUE(map.insert(key(2046, 0), 0));  // belongs at slot 2: the home-0 keys move to 3, 4
  ASSERT_EQ(map.check_invariants(), "");
  EXPECT_EQ(*map.stats().shifted_slots, 2u);
  EXPECT_EQ(*map.probe_length(key(2046, 0)), 5u);
  EXPECT_EQ(*map.probe_length(key(0, 0)), 4u);
  EXPECT_EQ(*map.probe_length(key(0, 1)), 5u);
  ASSERT_TRUE(map.erase(key(2044, 0)));  // no key at home up to the empty slot 5: all 8 move back
  ASSERT_EQ(map.check_invariants(), "");
  EXPECT_EQ(*map.stats().shifted_slots, 2u + 8u);
  EXPECT_EQ(*map.probe_length(key(2044, 5)), 5u) << "slot 0";
  EXPECT_EQ(*map.probe_length(key(2046, 0)), 4u) << "slot 1";
  EXPECT_EQ(*map.probe_length(key(0, 0)), 3u);
  EXPECT_EQ(*map.probe_length(key(0, 1)), 4u);
  EXPECT_EQ(*map.probe_length(key(0, 99)), 5u) << "a miss stops at the freed slot 4";
}

// A scan advances its thresholds a group at a time (WordControl::Offsets);
// they must stop it exactly where thresholds built from the offset would,
// saturated distances and thresholds past the cap included.
TEST(WordControlTest, OffsetsAdvancedByGroupsMatchTheStopRule) {
  using W = WordControl;
  std::mt19937_64 rng(7);
  for (int trial = 0; trial < 200; ++trial) {
    W::Word words[W::kGroupWidth];
    for (auto& w : words) {
      const std::uint64_t r = rng();
      const std::size_t d = r % 4 == 0 ? W::kDistanceCap : (r >> 8) % 300;
      w = r % 5 == 0   ? W::Word{kEmpty}
          : r % 5 == 1 ? W::marked(kTombstone, d)
                       : W::full(tag_of(r >> 16), d);
    }
    const W::Group g(words);
    W::Offsets advanced(0);
    for (std::size_t offset = 0; offset < 320; offset += W::kGroupWidth, advanced.next_group()) {
      std::uint32_t expected = 0;
      for (std::size_t t = 0; t < W::kGroupWidth; ++t) {
        const std::size_t d = W::distance(words[t]);
        if (!ends_probe(words[t]) && d < W::kDistanceCap && d < offset + t) expected |= 1u << (2 * t);
      }
      ASSERT_EQ(g.homed_past(advanced), expected) << "offset " << offset << ", trial " << trial;
      ASSERT_EQ(g.homed_past(W::Offsets(offset)), expected) << "offset " << offset;
    }
  }
}

TEST(OrderedTombstoneTest, ATombstoneKeepsItsPlaceAndIsReusedInOrder) {
  auto map = table<OrderedTombstoneStrategy>();
  for (std::uint64_t i = 0; i < 4; ++i) map.insert(key(10, i), 0);  // slots 10..13
  for (std::uint64_t i = 0; i < 4; ++i) map.insert(key(14, i), 0);  // slots 14..17
  ASSERT_TRUE(map.erase(key(14, 0)));                                // tombstone at 14, homed 14
  EXPECT_EQ(map.tombstones(), 1u);
  ASSERT_EQ(map.check_invariants(), "");
  // A home-12 miss stops at the tombstone: it is homed past 12.
  EXPECT_EQ(*map.probe_length(key(12, 99)), 3u);
  // A home-11 insert belongs at slot 14 (after the home-10 keys): it takes the tombstone.
  const MapStats before = map.stats();
  ASSERT_TRUE(map.insert(key(11, 0), 0));
  const MapStats after = map.stats();
  EXPECT_EQ(map.tombstones(), 0u);
  EXPECT_EQ(*after.reused_slot_inserts - *before.reused_slot_inserts, 1u);
  EXPECT_EQ(*after.shifted_slots, *before.shifted_slots) << "no key moved";
  EXPECT_EQ(*map.probe_length(key(11, 0)), 4u);
  EXPECT_EQ(map.check_invariants(), "");
}

TEST(OrderedGraveyardTest, PlantedTombstonesSitInOrderAndStopQueries) {
  using Map = OrderedGraveyardMap<std::uint64_t, std::uint64_t, StrongHash>;
  Map map = Map::with_live_load(4000, 0.9, StrongHash{});
  for (std::uint64_t i = 1; i <= 4000; ++i) map.insert(i, i);
  ASSERT_EQ(map.check_invariants(), "");
  const std::size_t free = map.capacity() - map.size();
  std::mt19937_64 rng(1);
  std::vector<std::uint64_t> live;
  for (std::uint64_t i = 1; i <= 4000; ++i) live.push_back(i);
  const std::uint64_t rehashes = *map.stats().rehashes;
  for (std::uint64_t op = 0, next = 5000; op < free; ++op) {
    const std::size_t i = rng() % live.size();
    map.erase(live[i]);
    live[i] = next++;
    map.insert(live[i], 0);
  }
  EXPECT_GE(*map.stats().rehashes - rehashes, 2u) << "a rebuild every free/4 updates";
  EXPECT_EQ(map.check_invariants(), "");
  EXPECT_GT(map.tombstones(), 0u);
  EXPECT_GT(*map.stats().planted_tombstone_fills, 0u);
}

}  // namespace
}  // namespace slotlab::linear_probing
