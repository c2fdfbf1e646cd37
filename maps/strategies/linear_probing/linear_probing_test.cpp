// Structure of the linear-probing family beyond what the oracle tests see:
// invariants under heavy clustering and fixed high loads, Algorithm R's
// "as if never inserted" property, tombstone reuse, graveyard's planted
// tombstones and rebuild period, fixed capacity under --load, and ASan
// reporting a read of an erased slot. The typed tests run the ordered
// strategies too; ordered_test.cpp has what only ordered runs promise.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "maps/core/hashers.hpp"
#include "maps/core/values.hpp"
#include "maps/strategies/linear_probing/backshift.hpp"
#include "maps/strategies/linear_probing/graveyard.hpp"
#include "maps/strategies/linear_probing/ordered_backshift.hpp"
#include "maps/strategies/linear_probing/ordered_graveyard.hpp"
#include "maps/strategies/linear_probing/ordered_tombstone.hpp"
#include "maps/strategies/linear_probing/tombstone.hpp"

namespace slotlab::linear_probing {
namespace {

template <class S>
class LinearProbingTest : public ::testing::Test {};
using Family = ::testing::Types<BackshiftStrategy, TombstoneStrategy, GraveyardStrategy,
                                OrderedBackshiftStrategy, OrderedTombstoneStrategy,
                                OrderedGraveyardStrategy>;
struct FamilyName {
  template <class S>
  static std::string GetName(int) { return std::string(S::name); }
};
TYPED_TEST_SUITE(LinearProbingTest, Family, FamilyName);

// Erase a random live key, insert a fresh one; invariants checked every `check` ops.
template <class Map>
void churn(Map& map, std::vector<std::uint64_t>& live, std::uint64_t& next_key, std::mt19937_64& rng,
           std::size_t ops, std::size_t check) {
  for (std::size_t op = 0; op < ops; ++op) {
    const std::size_t i = rng() % live.size();
    ASSERT_TRUE(map.erase(live[i]));
    live[i] = next_key++;
    ASSERT_TRUE(map.insert(live[i], live[i] * 3));
    if (op % check == 0) {
      ASSERT_EQ(map.check_invariants(), "") << "op " << op;
    }
  }
}

TYPED_TEST(LinearProbingTest, FixedLoadChurnKeepsCapacityAndInvariants) {
  using Map = typename TypeParam::template map<std::uint64_t, std::uint64_t, StrongHash>;
  for (const double load : {0.5, 0.9, 0.97}) {
    const std::size_t n = 2000;
    Map map = Map::with_live_load(n, load, StrongHash{});
    const std::size_t capacity = load == 0.5 ? 4000 : load == 0.9 ? 2223 : 2062;  // ceil(n / load)
    std::vector<std::uint64_t> live;
    std::uint64_t next_key = 1;
    for (; live.size() < n; ++next_key) {
      live.push_back(next_key);
      ASSERT_TRUE(map.insert(next_key, next_key * 3));
    }
    std::mt19937_64 rng(7);
    churn(map, live, next_key, rng, 20 * n, 97);
    ASSERT_EQ(map.check_invariants(), "");
    const MapStats s = map.stats();
    EXPECT_EQ(*s.slots, capacity) << "load " << load << ": the capacity must stay fixed";
    EXPECT_EQ(s.size, n);
    for (std::uint64_t k : live) ASSERT_EQ(*map.find(k), k * 3);
    if (TypeParam::name.ends_with("backshift")) {
      EXPECT_EQ(*s.rehashes, 0u);
      EXPECT_EQ(*s.tombstones, 0u);
      EXPECT_GT(*s.shifted_slots, 0u);
    } else {
      EXPECT_GT(*s.rehashes, 0u) << "20 turnovers must have rebuilt the table in place";
      // Unordered tombstone policies never move a key outside a rebuild; an
      // ordered insert shifts keys forward to reach its place in the run.
      if (!TypeParam::name.starts_with("ordered_")) {
        EXPECT_EQ(*s.shifted_slots, 0u);
      }
    }
    EXPECT_EQ(*s.fresh_slot_inserts + *s.reused_slot_inserts, *s.inserts);
  }
}

TYPED_TEST(LinearProbingTest, CollidingKeysAndStringKeysKeepInvariants) {
  using Map = typename TypeParam::template map<std::string, MoveOnlyValue, CollideHash>;
  auto ledger = std::make_shared<AllocationLedger>();
  {
    Map map = Map::with_live_load(600, 0.95, CollideHash{}, typename Map::allocator_type(ledger));
    std::mt19937_64 rng(3);
    std::unordered_set<std::string> live;
    for (int op = 0; op < 20000; ++op) {
      const std::string key = "k" + std::to_string(rng() % 900);
      if (live.count(key) || live.size() >= 600) {
        ASSERT_EQ(map.erase(key), live.erase(key) == 1);
      } else {
        ASSERT_TRUE(map.insert(key, MoveOnlyValue(op)));
        live.insert(key);
      }
      ASSERT_EQ(map.size(), live.size());
      if (op % 101 == 0) {
        ASSERT_EQ(map.check_invariants(), "") << "op " << op;
      }
    }
    for (const auto& k : live) ASSERT_NE(map.find(k), nullptr);
  }
  EXPECT_EQ(ledger->bytes, 0u);
  EXPECT_EQ(ledger->allocations, ledger->deallocations);
}

TYPED_TEST(LinearProbingTest, ProbeLengthCountsSlotsFromHome) {
  using Map = typename TypeParam::template map<std::uint64_t, std::uint64_t, CollideHash>;
  Map map{CollideHash{}};
  map.reserve(64);
  // 16 keys with one hash form one run: the i-th inserted sits i slots from home.
  for (std::uint64_t i = 0; i < 16; ++i) map.insert(i, i);
  const MapStats s = map.stats();
  EXPECT_DOUBLE_EQ(*s.mean_probe, 8.5);
  EXPECT_EQ(*s.max_probe, 16u);
  EXPECT_EQ(s.probe_unit, "slots");
  EXPECT_EQ(*map.probe_length(15), 16u);
  EXPECT_EQ(*map.probe_length(5), 6u);
}

TYPED_TEST(LinearProbingTest, AMissCountsTheSlotThatEndsIt) {
  using Map = typename TypeParam::template map<std::uint64_t, std::uint64_t, CollideHash>;
  Map map{CollideHash{}};
  map.reserve(64);
  for (std::uint64_t i = 0; i < 15; ++i) map.insert(i, i);
  // Key 15 shares the hash of keys 0..14: its miss inspects them and the free
  // slot after them (graveyard may have planted a tombstone there: one more).
  const std::uint32_t miss = *map.probe_length(15);
  if (TypeParam::name.ends_with("graveyard")) {
    EXPECT_GE(miss, 16u);
  } else {
    EXPECT_EQ(miss, 16u);
  }
}

TEST(BackshiftTest, EraseLeavesTheTableAsIfTheKeyWasNeverInserted) {
  using Map = BackshiftMap<std::uint64_t, std::uint64_t, CollideHash>;
  std::mt19937_64 rng(5);
  std::vector<std::uint64_t> keys;
  for (std::uint64_t i = 0; i < 900; ++i) keys.push_back(rng() % 4000);
  Map all = Map::with_live_load(1000, 0.9, CollideHash{});
  std::vector<std::uint64_t> kept;
  for (std::uint64_t k : keys) all.insert(k, k);
  std::unordered_set<std::uint64_t> erased;
  for (std::uint64_t k : keys)
    if (rng() % 3 == 0 && all.erase(k)) erased.insert(k);
  Map fresh = Map::with_live_load(1000, 0.9, CollideHash{});
  for (std::uint64_t k : keys)
    if (!erased.count(k)) fresh.insert(k, k);
  std::vector<std::uint64_t> a, b;
  all.for_each([&](std::uint64_t k, std::uint64_t) { a.push_back(k); });
  fresh.for_each([&](std::uint64_t k, std::uint64_t) { b.push_back(k); });
  ASSERT_FALSE(erased.empty());
  EXPECT_EQ(a, b) << "slot order after erasing differs from inserting only the survivors";
  EXPECT_EQ(all.check_invariants(), "");
}

// Distances past the 255 a control word holds: 10 keys with home 0 fill slots
// 0..9, then 300 keys with home 10 fill slots 10..309, the last 45 of them 255
// or more slots from home. Erasing a home-0 key moves the rest of that run
// back, and every saturated key after it qualifies on its stored byte yet must
// stay (its home lies after the gap): rehashing settles each. Erasing home-10
// keys moves saturated keys back. Either way the table must end up exactly as
// if the erased keys had never been inserted.
TEST(BackshiftTest, DistancesPastTheStoredCapShiftExactly) {
  struct TwoHomes {
    std::size_t operator()(std::uint64_t key) const noexcept { return key < 1000 ? 0 : 10; }
  };
  using Map = BackshiftMap<std::uint64_t, std::uint64_t, TwoHomes>;
  std::vector<std::uint64_t> keys;
  for (std::uint64_t i = 0; i < 10; ++i) keys.push_back(i);
  for (std::uint64_t i = 0; i < 300; ++i) keys.push_back(1000 + i);
  const std::unordered_set<std::uint64_t> erased = {3, 7, 1000, 1100, 1280, 1299};
  Map all{TwoHomes{}}, survivors{TwoHomes{}};
  all.reserve(1024);
  survivors.reserve(1024);
  for (std::uint64_t k : keys) all.insert(k, k);
  ASSERT_EQ(*all.stats().max_probe, 300u);
  ASSERT_EQ(all.check_invariants(), "");
  for (std::uint64_t k : erased) {
    ASSERT_TRUE(all.erase(k));
    ASSERT_EQ(all.check_invariants(), "") << "after erasing " << k;
  }
  for (std::uint64_t k : keys)
    if (!erased.count(k)) survivors.insert(k, k);
  std::vector<std::uint64_t> a, b;
  all.for_each([&](std::uint64_t k, std::uint64_t) { a.push_back(k); });
  survivors.for_each([&](std::uint64_t k, std::uint64_t) { b.push_back(k); });
  EXPECT_EQ(a, b) << "slot order after erasing differs from inserting only the survivors";
}

TEST(BackshiftTest, InsertsLandInFreedSlotsAndCountThemAsReused) {
  using Map = BackshiftMap<std::uint64_t, std::uint64_t, CollideHash>;
  Map map{CollideHash{}};
  map.reserve(64);
  for (std::uint64_t i = 0; i < 16; ++i) map.insert(i, i);
  ASSERT_TRUE(map.erase(3));
  const MapStats before = map.stats();
  EXPECT_EQ(*before.shifted_slots, 12u) << "keys 4..15 each move back one slot";
  EXPECT_EQ(*before.mean_probe, 8.0);
  ASSERT_TRUE(map.insert(3, 3));  // lands in the slot key 15 vacated
  const MapStats after = map.stats();
  EXPECT_EQ(*after.reused_slot_inserts - *before.reused_slot_inserts, 1u);
}

TEST(TombstoneTest, EraseLeavesATombstoneThatTheNextInsertOnThePathReuses) {
  using Map = TombstoneMap<std::uint64_t, std::uint64_t, CollideHash>;
  Map map{CollideHash{}};
  map.reserve(64);
  for (std::uint64_t i = 0; i < 16; ++i) map.insert(i, i);
  ASSERT_TRUE(map.erase(3));
  ASSERT_TRUE(map.erase(9));
  EXPECT_EQ(*map.stats().tombstones, 2u);
  EXPECT_EQ(*map.probe_length(15), 16u) << "tombstones keep later keys where they were";
  ASSERT_TRUE(map.insert(3, 33));
  const MapStats s = map.stats();
  EXPECT_EQ(*s.tombstones, 1u);
  EXPECT_EQ(*s.reused_slot_inserts, 1u);
  EXPECT_EQ(*map.probe_length(3), 4u) << "the first tombstone on the path is taken";
}

TEST(GraveyardTest, RebuildsPlantEvenlySpacedTombstonesOnSchedule) {
  using Map = GraveyardMap<std::uint64_t, std::uint64_t, StrongHash>;
  const std::size_t n = 9000;
  Map map = Map::with_live_load(n, 0.9, StrongHash{});
  const std::size_t capacity = 10000, free = capacity - n;
  std::vector<std::uint64_t> live;
  std::uint64_t next_key = 1;
  for (; live.size() < n; ++next_key) live.push_back(next_key), map.insert(next_key, 0);
  std::mt19937_64 rng(11);
  churn(map, live, next_key, rng, 4 * n, 13);
  const MapStats s = map.stats();
  EXPECT_EQ(*s.slots, capacity);
  // Rebuild every free/4 updates (an op = erase + insert = 2 updates).
  const double rebuilds_per_op = static_cast<double>(*s.rehashes) / (4.0 * n);
  EXPECT_NEAR(rebuilds_per_op, 2.0 / (free / 4.0), 0.1 * 2.0 / (free / 4.0));
  // Right after a rebuild free/2 tombstones are planted; between rebuilds each
  // erase adds one and each insert may take one.
  EXPECT_GE(*s.tombstones, free / 2 - free / 4);
  EXPECT_LE(*s.tombstones, free / 2 + free / 4);
  const std::uint64_t on_tombstones = *s.reused_slot_inserts + *s.planted_tombstone_fills;
  EXPECT_GT(on_tombstones, *s.inserts - on_tombstones)
      << "most inserts should land on a tombstone, planted or left by an erase";
}

// Reused means "freed by an erase" (map_stats.hpp): a planted tombstone is room
// a rebuild set aside, so filling it is fresh -- with no erase at all, nothing
// can have been reused, however many planted tombstones the inserts filled.
TEST(GraveyardTest, FillingAPlantedTombstoneCountsAsFreshNotReused) {
  using Map = GraveyardMap<std::uint64_t, std::uint64_t, StrongHash>;
  const std::size_t n = 4000;
  Map map = Map::with_live_load(n, 0.8, StrongHash{});
  for (std::uint64_t k = 1; k <= n; ++k) ASSERT_TRUE(map.insert(k, k));
  MapStats s = map.stats();
  ASSERT_GT(*s.rehashes, 0u) << "the inserts alone should have triggered planting rebuilds";
  EXPECT_GT(*s.planted_tombstone_fills, 0u);
  EXPECT_EQ(*s.reused_slot_inserts, 0u) << "no erase has freed any slot yet";
  EXPECT_EQ(*s.fresh_slot_inserts, n);
  EXPECT_EQ(map.check_invariants(), "");

  // Under churn each reuse still needs an erase before it.
  std::vector<std::uint64_t> live;
  for (std::uint64_t k = 1; k <= n; ++k) live.push_back(k);
  std::uint64_t next_key = n + 1;
  std::mt19937_64 rng(5);
  const std::size_t ops = 3 * n;
  churn(map, live, next_key, rng, ops, 1000);
  s = map.stats();
  EXPECT_LE(*s.reused_slot_inserts, ops);
  EXPECT_GT(*s.reused_slot_inserts, 0u);
  EXPECT_EQ(*s.fresh_slot_inserts + *s.reused_slot_inserts, *s.inserts);
}

TYPED_TEST(LinearProbingTest, ReusedSlotInsertsNeverOutnumberErases) {
  using Map = typename TypeParam::template map<std::uint64_t, std::uint64_t, StrongHash>;
  Map map = Map::with_live_load(2000, 0.9, StrongHash{});
  std::vector<std::uint64_t> live;
  std::uint64_t next_key = 1;
  for (; live.size() < 2000; ++next_key) live.push_back(next_key), map.insert(next_key, 0);
  std::mt19937_64 rng(17);
  churn(map, live, next_key, rng, 5000, 500);
  const MapStats s = map.stats();
  EXPECT_LE(*s.reused_slot_inserts, 5000u);
  if (!TypeParam::name.ends_with("graveyard")) {
    EXPECT_EQ(*s.planted_tombstone_fills, 0u);
  }
}

TEST(AsanTest, ReadingAnErasedSlotIsReported) {
  if (!kAsanPoisoning) GTEST_SKIP() << "needs the asan preset (slot poisoning compiles to nothing here)";
  auto read_after_erase = [](auto map) {
    map.insert(42, 7);
    const std::uint64_t* stale = map.find(42);
    map.erase(42);
    volatile std::uint64_t v = *stale;
    (void)v;
  };
  EXPECT_DEATH(read_after_erase(BackshiftMap<std::uint64_t, std::uint64_t, StrongHash>{}),
               "use-after-poison");
  EXPECT_DEATH(read_after_erase(TombstoneMap<std::uint64_t, std::uint64_t, StrongHash>{}),
               "use-after-poison");
  EXPECT_DEATH(read_after_erase(GraveyardMap<std::uint64_t, std::uint64_t, StrongHash>{}),
               "use-after-poison");
  EXPECT_DEATH(read_after_erase(OrderedBackshiftMap<std::uint64_t, std::uint64_t, StrongHash>{}),
               "use-after-poison");
  EXPECT_DEATH(read_after_erase(OrderedTombstoneMap<std::uint64_t, std::uint64_t, StrongHash>{}),
               "use-after-poison");
  EXPECT_DEATH(read_after_erase(OrderedGraveyardMap<std::uint64_t, std::uint64_t, StrongHash>{}),
               "use-after-poison");
}

}  // namespace
}  // namespace slotlab::linear_probing
