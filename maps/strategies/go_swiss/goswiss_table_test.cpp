// Random operations against std::unordered_map with the invariant checker
// after every operation, over the hashers and key types the harness uses, at
// sizes that keep a small map, one table, and many tables behind a directory.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <unordered_map>

#include "maps/core/values.hpp"
#include "maps/strategies/go_swiss/goswiss_test_support.hpp"

namespace slotlab::goswiss {
namespace {

template <class K>
K make_key(std::uint64_t n) {
  if constexpr (std::is_same_v<K, std::string>) return "k" + std::to_string(n) + std::string(n % 5, 'z');
  else return n * 0x9E3779B97F4A7C15ull;
}

// `domain` distinct keys; checks every op when `every` is 1.
template <class K, class Hash>
void random_ops(std::uint64_t domain, int ops, unsigned seed, int every) {
  GoSwissMap<K, std::uint64_t, Hash> map{Hash{}};
  std::unordered_map<K, std::uint64_t> oracle;
  std::mt19937_64 rng(seed);
  for (int op = 0; op < ops; ++op) {
    const K k = make_key<K>(rng() % domain);
    const std::uint64_t v = rng();
    switch (rng() % 8) {
      case 0: case 1: case 2:
        ASSERT_EQ(map.insert(k, v), oracle.emplace(k, v).second);
        break;
      case 3:
        ASSERT_EQ(map.insert_or_assign(k, v), !oracle.count(k));
        oracle[k] = v;
        break;
      case 4: case 5:
        ASSERT_EQ(map.erase(k), oracle.erase(k) == 1);
        break;
      case 6: {
        const std::uint64_t* p = map.find(k);
        auto it = oracle.find(k);
        ASSERT_EQ(p != nullptr, it != oracle.end());
        if (p) {
          ASSERT_EQ(*p, it->second);
        }
        break;
      }
      default:
        if (rng() % 64 == 0) {
          const std::uint64_t bit = rng() % 4;
          const std::size_t n = map.erase_if([&](const K& key, const std::uint64_t& val) {
            return (val & 3) == bit && oracle.count(key);
          });
          std::size_t m = std::erase_if(oracle, [&](const auto& kv) { return (kv.second & 3) == bit; });
          ASSERT_EQ(n, m);
        }
    }
    ASSERT_EQ(map.size(), oracle.size());
    if (op % every == 0) {
      ASSERT_EQ(map.check_invariants(), "") << "after op " << op;
    }
  }
  ASSERT_EQ(map.check_invariants(), "");
  std::size_t seen = 0;
  map.for_each([&](const K& key, const std::uint64_t& val) {
    ++seen;
    ASSERT_TRUE(oracle.count(key));
    ASSERT_EQ(oracle.at(key), val);
  });
  EXPECT_EQ(seen, oracle.size());
}

TEST(GoSwissRandomOps, SmallDomainStaysAroundASmallMap) {
  for (unsigned s = 1; s <= 20; ++s) random_ops<std::uint64_t, StrongHash>(12, 600, s, 1);
}
TEST(GoSwissRandomOps, OneTableStrongWeakAndColliding) {
  random_ops<std::uint64_t, StrongHash>(600, 20000, 7, 1);
  random_ops<std::uint64_t, WeakHash>(600, 20000, 8, 1);
  random_ops<std::uint64_t, CollideHash>(300, 8000, 9, 1);
}
TEST(GoSwissRandomOps, ManyTables) {
  random_ops<std::uint64_t, StrongHash>(6000, 60000, 11, 97);
}
TEST(GoSwissRandomOps, StringKeys) {
  random_ops<std::string, StrongHash>(2000, 30000, 12, 31);
  random_ops<std::string, WeakHash>(200, 5000, 13, 1);
}

TEST(GoSwissMoveOnly, ValuesSurviveGrowsAndSplits) {
  GoSwissMap<std::uint64_t, MoveOnlyValue, StrongHash> map{StrongHash{}};
  for (std::uint64_t k = 0; k < 5000; ++k) ASSERT_TRUE(map.insert(k, MoveOnlyValue(k)));
  EXPECT_GT(map.goswiss_stats().splits, 0u);
  for (std::uint64_t k = 0; k < 5000; ++k) ASSERT_EQ(map.find(k)->value(), k);
  MoveOnlyValue v(7);
  EXPECT_FALSE(map.insert(7, std::move(v)));
  EXPECT_TRUE(v.has_value()) << "a failed insert must not consume the value";
  EXPECT_EQ(map.check_invariants(), "");
}

}  // namespace
}  // namespace slotlab::goswiss
