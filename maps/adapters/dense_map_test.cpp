// What the dense adapter adds to google::dense_hash_map and what it reads from
// it: the side slots for the two reserved keys, tombstones that only reuse or a
// resize remove, and probe lengths replayed from the quadratic sequence.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "maps/adapters/dense_map.hpp"
#include "maps/core/hashers.hpp"
#include "maps/core/values.hpp"

namespace slotlab {
namespace {

template <class K>
void reserved_keys_behave_as_any_key(const std::vector<K>& ordinary) {
  using Map = DenseStrategy::map<K, std::uint64_t, StrongHash>;
  const K empty = DenseReservedKeys<K>::empty(), deleted = DenseReservedKeys<K>::deleted();
  Map map{StrongHash{}};
  for (std::size_t i = 0; i < ordinary.size(); ++i) ASSERT_TRUE(map.insert(ordinary[i], i));
  ASSERT_TRUE(map.insert(empty, 100));
  ASSERT_TRUE(map.insert(deleted, 101));
  EXPECT_FALSE(map.insert(empty, 7)) << "a second insert of the empty key must find it";
  EXPECT_EQ(map.size(), ordinary.size() + 2);
  ASSERT_NE(map.find(empty), nullptr);
  EXPECT_EQ(*map.find(empty), 100u);
  EXPECT_FALSE(map.insert_or_assign(deleted, 202));
  EXPECT_EQ(*map.find(deleted), 202u);
  std::size_t seen_reserved = 0, seen = 0;
  map.for_each([&](const K& k, const std::uint64_t&) {
    ++seen;
    seen_reserved += (k == empty || k == deleted);
  });
  EXPECT_EQ(seen, map.size());
  EXPECT_EQ(seen_reserved, 2u);
  EXPECT_EQ(map.probe_length(empty), 1u);
  EXPECT_EQ(map.check_invariants(), "");

  Map copy = map;
  EXPECT_TRUE(copy.erase(empty));
  EXPECT_NE(map.find(empty), nullptr) << "the copy's side slot is its own";
  Map moved = std::move(map);
  EXPECT_EQ(moved.size(), ordinary.size() + 2);
  EXPECT_EQ(*moved.find(deleted), 202u);

  // erase_first drains the table first, then the side slots.
  std::size_t erased = 0;
  while (moved.erase_first()) ++erased;
  EXPECT_EQ(erased, ordinary.size() + 2);
  EXPECT_EQ(moved.size(), 0u);
  EXPECT_EQ(moved.find(empty), nullptr);
  ASSERT_TRUE(moved.insert(deleted, 5));
  EXPECT_EQ(moved.erase_if([](const K&, const std::uint64_t& v) { return v == 5; }), 1u);
  EXPECT_EQ(moved.find(deleted), nullptr);
}

TEST(DenseMapTest, ReservedIntegerKeysLiveInSideSlots) {
  reserved_keys_behave_as_any_key<std::uint64_t>({2, 3, 1000, ~std::uint64_t{0}});
}

TEST(DenseMapTest, ReservedStringKeysLiveInSideSlots) {
  reserved_keys_behave_as_any_key<std::string>({"a", "\xfe", std::string(40, 'x')});
}

TEST(DenseMapTest, ErasedBucketsStayTombstonesUntilReuseOrResize) {
  using Map = DenseStrategy::map<std::uint64_t, std::uint64_t, StrongHash>;
  Map map{StrongHash{}};
  for (std::uint64_t i = 10; i < 410; ++i) map.insert(i, i);
  const MapStats full = map.stats();
  ASSERT_EQ(full.tombstones, 0u);
  for (std::uint64_t i = 10; i < 410; i += 2) ASSERT_TRUE(map.erase(i));
  const MapStats erased = map.stats();
  EXPECT_EQ(erased.tombstones, 200u) << "every erase leaves its bucket marked deleted";
  EXPECT_EQ(erased.slots, full.slots) << "erase never resizes";
  EXPECT_EQ(erased.rehashes, full.rehashes);
  // Re-inserting the erased keys walks their own probe paths, whose first
  // deleted bucket is at the latest their old one: every insert reuses one.
  for (std::uint64_t i = 10; i < 410; i += 2) ASSERT_TRUE(map.insert(i, i));
  const MapStats refilled = map.stats();
  EXPECT_EQ(refilled.slots, full.slots);
  EXPECT_EQ(refilled.tombstones, 0u);
  // Fresh keys past the 50% threshold (tombstones counted) force a resize,
  // and a resize keeps no tombstone.
  for (std::uint64_t i = 10; i < 410; i += 2) map.erase(i);
  for (std::uint64_t i = 1000; map.stats().rehashes == refilled.rehashes; ++i) map.insert(i, i);
  EXPECT_EQ(map.stats().tombstones, 0u);
  EXPECT_EQ(map.check_invariants(), "");
}

TEST(DenseMapTest, ProbeLengthFollowsTheQuadraticSequence) {
  using Map = DenseStrategy::map<std::uint64_t, std::uint64_t, CollideHash>;
  Map map{CollideHash{}};
  // Keys 16..31 share one hash; the i-th inserted takes the i-th bucket of the
  // sequence home, +1, +3, +6, ... (its first 16 steps are distinct mod 32).
  for (std::uint64_t i = 16; i < 31; ++i) map.insert(i, i);
  ASSERT_EQ(map.stats().slots, 32u);
  for (std::uint64_t i = 16; i < 31; ++i) EXPECT_EQ(map.probe_length(i), i - 15) << i;
  EXPECT_EQ(map.probe_length(31), 16u) << "a miss visits the 15 keys and the empty bucket";
  map.erase(16);
  EXPECT_EQ(map.probe_length(17), 2u) << "the tombstone is still visited";
  const MapStats s = map.stats();
  EXPECT_EQ(s.tombstones, 1u);
  EXPECT_EQ(s.mean_probe, (2.0 + 15.0) / 2) << "keys 17..30 sit at probes 2..15";
  EXPECT_EQ(s.max_probe, 15u);
}

TEST(DenseMapTest, MoveOnlyValuesSurviveResizesAndErasesDestroyThem) {
  using Map = DenseStrategy::map<std::string, MoveOnlyValue, WeakHash>;
  Map map{WeakHash{}};
  for (std::uint64_t i = 0; i < 2000; ++i) ASSERT_TRUE(map.insert("k" + std::to_string(i), MoveOnlyValue(i)));
  for (std::uint64_t i = 0; i < 2000; i += 3) ASSERT_TRUE(map.erase("k" + std::to_string(i)));
  for (std::uint64_t i = 1; i < 2000; i += 3) ASSERT_EQ(map.find("k" + std::to_string(i))->value(), i);
  EXPECT_EQ(map.check_invariants(), "");
}

}  // namespace
}  // namespace slotlab
