// Every registered strategy against std::unordered_map on random operation
// sequences: same return values, same size after every op, same contents at
// checkpoints, and the strategy's own invariant checker after every op.
#include <gtest/gtest.h>

#include <random>
#include <unordered_map>

#include "maps/core/values.hpp"
#include "maps/tests/strategy_test_types.hpp"

namespace slotlab::testing {
namespace {

template <class S>
class AdapterOracleTest : public ::testing::Test {};
TYPED_TEST_SUITE(AdapterOracleTest, AllStrategies, StrategyName);

template <class Map, class K, class Hash>
void run_random_ops(std::uint64_t seed, std::uint64_t key_domain, int ops) {
  Map map{Hash{}};
  std::unordered_map<K, std::uint64_t> oracle;
  std::mt19937_64 rng(seed);
  auto same_contents = [&] {
    std::size_t seen = 0;
    map.for_each([&](const K& k, const std::uint64_t& v) {
      ++seen;
      auto it = oracle.find(k);
      ASSERT_NE(it, oracle.end()) << "map holds a key the oracle does not";
      ASSERT_EQ(it->second, v);
    });
    ASSERT_EQ(seen, oracle.size());
  };
  for (int i = 0; i < ops; ++i) {
    const K key = key_of<K>(rng() % key_domain);
    const std::uint64_t value = rng();
    switch (rng() % 8) {
      case 0:
      case 1:
      case 2: {
        const bool expect = oracle.try_emplace(key, value).second;
        ASSERT_EQ(map.insert(key, std::uint64_t{value}), expect) << "insert, op " << i;
        break;
      }
      case 3: {
        const bool expect = oracle.insert_or_assign(key, value).second;
        ASSERT_EQ(map.insert_or_assign(key, std::uint64_t{value}), expect);
        break;
      }
      case 4:
      case 5: {
        const bool expect = oracle.erase(key) == 1;
        ASSERT_EQ(map.erase(key), expect) << "erase, op " << i;
        break;
      }
      case 6: {
        auto it = oracle.find(key);
        const std::uint64_t* found = map.find(key);
        ASSERT_EQ(found != nullptr, it != oracle.end()) << "find, op " << i;
        if (found) {
          ASSERT_EQ(*found, it->second);
        }
        break;
      }
      case 7:
        if (rng() % 64 == 0) {
          map.clear();
          oracle.clear();
        } else if (rng() % 16 == 0) {
          const std::uint64_t parity = rng() % 2;
          const std::size_t expect = std::erase_if(
              oracle, [&](const auto& kv) { return kv.second % 2 == parity; });
          ASSERT_EQ(map.erase_if([&](const K&, const std::uint64_t& v) { return v % 2 == parity; }),
                    expect);
        } else if (rng() % 16 == 0) {
          map.reserve(oracle.size() + rng() % 64);
        }
        break;
    }
    ASSERT_EQ(map.size(), oracle.size()) << "op " << i;
    if (i % 97 == 0) {
      ASSERT_EQ(map.check_invariants(), "") << "op " << i;
      same_contents();
    }
  }
  same_contents();
  ASSERT_EQ(map.check_invariants(), "");
}

TYPED_TEST(AdapterOracleTest, RandomOpsUint64KeysStrongHash) {
  using Map = typename TypeParam::template map<std::uint64_t, std::uint64_t, StrongHash>;
  for (std::uint64_t seed = 1; seed <= 4; ++seed)
    run_random_ops<Map, std::uint64_t, StrongHash>(seed, 300, 6000);
}

TYPED_TEST(AdapterOracleTest, RandomOpsUint64KeysWeakAndCollidingHashes) {
  using WeakMap = typename TypeParam::template map<std::uint64_t, std::uint64_t, WeakHash>;
  using CollideMap = typename TypeParam::template map<std::uint64_t, std::uint64_t, CollideHash>;
  run_random_ops<WeakMap, std::uint64_t, WeakHash>(11, 500, 6000);
  run_random_ops<CollideMap, std::uint64_t, CollideHash>(12, 500, 6000);
}

TYPED_TEST(AdapterOracleTest, RandomOpsStringKeys) {
  using Map = typename TypeParam::template map<std::string, std::uint64_t, StrongHash>;
  using CollideMap = typename TypeParam::template map<std::string, std::uint64_t, CollideHash>;
  run_random_ops<Map, std::string, StrongHash>(21, 300, 6000);
  run_random_ops<CollideMap, std::string, CollideHash>(22, 300, 4000);
}

TYPED_TEST(AdapterOracleTest, SatisfiesTheSlotMapConcept) {
  static_assert(SlotMap<typename TypeParam::template map<std::uint64_t, std::uint64_t, StrongHash>>);
  static_assert(SlotMap<typename TypeParam::template map<std::string, MoveOnlyValue, WeakHash>>);
}

TYPED_TEST(AdapterOracleTest, MoveOnlyValuesAreMovedInAndNotConsumedByAFailedInsert) {
  using Map = typename TypeParam::template map<std::string, MoveOnlyValue, StrongHash>;
  Map map{StrongHash{}};
  for (std::uint64_t i = 0; i < 200; ++i) ASSERT_TRUE(map.insert(key_of<std::string>(i), MoveOnlyValue(i)));
  MoveOnlyValue again(999);
  ASSERT_FALSE(map.insert(key_of<std::string>(5), std::move(again)));
  EXPECT_TRUE(again.has_value()) << "a failed insert must leave the value with the caller";
  ASSERT_EQ(map.find(key_of<std::string>(5))->value(), 5u);
  ASSERT_FALSE(map.insert_or_assign(key_of<std::string>(5), MoveOnlyValue(77)));
  ASSERT_EQ(map.find(key_of<std::string>(5))->value(), 77u);
  for (std::uint64_t i = 0; i < 200; i += 2) ASSERT_TRUE(map.erase(key_of<std::string>(i)));
  ASSERT_EQ(map.size(), 100u);
  Map moved = std::move(map);
  ASSERT_EQ(moved.size(), 100u);
  ASSERT_NE(moved.find(key_of<std::string>(7)), nullptr);
  ASSERT_EQ(moved.find(key_of<std::string>(8)), nullptr);
}

TYPED_TEST(AdapterOracleTest, CopiesAreIndependent) {
  using Map = typename TypeParam::template map<std::uint64_t, std::uint64_t, StrongHash>;
  Map a{StrongHash{}};
  for (std::uint64_t i = 0; i < 1000; ++i) a.insert(i, i * 3);
  Map b = a;
  ASSERT_TRUE(b.erase(10));
  ASSERT_TRUE(b.insert(5000, 1));
  EXPECT_NE(a.find(10), nullptr);
  EXPECT_EQ(a.find(5000), nullptr);
  EXPECT_EQ(a.size(), 1000u);
  EXPECT_EQ(b.size(), 1000u);
  EXPECT_EQ(*b.find(999), 2997u);
}

TYPED_TEST(AdapterOracleTest, EraseFirstEmptiesTheMapOneEntryAtATime) {
  using Map = typename TypeParam::template map<std::uint64_t, std::uint64_t, WeakHash>;
  Map map{WeakHash{}};
  for (std::uint64_t i = 0; i < 500; ++i) map.insert(i * 8, i);
  for (std::size_t left = 500; left > 0; --left) {
    ASSERT_EQ(map.size(), left);
    ASSERT_TRUE(map.erase_first());
  }
  EXPECT_FALSE(map.erase_first());
  EXPECT_EQ(map.check_invariants(), "");
}

}  // namespace
}  // namespace slotlab::testing
