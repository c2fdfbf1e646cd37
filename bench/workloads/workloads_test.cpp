// The shared workloads do what their names promise, on every registered map:
// the size stays n, fresh keys are fresh, erase orders are the ones claimed;
// and Distribution's percentiles are nearest-rank.
#include <gtest/gtest.h>

#include <cstdint>
#include <set>
#include <string>
#include <tuple>

#include "bench/workloads/adversarial.hpp"
#include "bench/workloads/distribution.hpp"
#include "bench/workloads/live_keys.hpp"
#include "maps/core/hashers.hpp"
#include "maps/tests/strategy_test_types.hpp"

namespace slotlab::bench {
namespace {

template <class S>
class WorkloadTest : public ::testing::Test {};
TYPED_TEST_SUITE(WorkloadTest, slotlab::testing::AllStrategies, slotlab::testing::StrategyName);

template <class S>
using U64Map = typename S::template map<std::uint64_t, std::uint64_t, WeakHash>;

TYPED_TEST(WorkloadTest, ChurnKeepsSizeAndTheLiveSetMatchesTheMap) {
  U64Map<TypeParam> map{WeakHash{}};
  LiveKeys<> keys(7, false);
  keys.fill(map, 500);
  for (int i = 0; i < 2000; ++i) keys.churn(map);
  ASSERT_EQ(map.size(), 500u);
  for (std::uint64_t id : keys.live()) ASSERT_NE(map.find(id), nullptr);
  EXPECT_EQ(map.find(keys.absent(3)), nullptr);
  GrowShrink cycle(500);
  std::uint64_t smallest = 500;
  for (int i = 0; i < 2000; ++i) {
    cycle.op(keys, map);
    smallest = std::min<std::uint64_t>(smallest, map.size());
  }
  EXPECT_EQ(smallest, 50u);
}

TYPED_TEST(WorkloadTest, StringKeysChurn) {
  typename TypeParam::template map<std::string, std::uint64_t, StrongHash> map{StrongHash{}};
  LiveKeys<StringKeys<64>> keys(3, false);
  keys.fill(map, 300);
  for (int i = 0; i < 900; ++i) keys.churn(map);
  ASSERT_EQ(map.size(), 300u);
  for (std::uint64_t id : keys.live()) ASSERT_NE(map.find(keys.codec()(id)), nullptr);
}

// The size is n after every op, or (rounds of `round` ops) after every round
// and never below n - round in between.
// Single-map checks of a workload's own logic: any registered map will do.
using AnyMap = U64Map<std::tuple_element_t<0, Strategies>>;

template <class Map, class Workload>
void expect_size_stays(Map& map, Workload w, std::uint64_t n, int ops, int round = 1) {
  w.fill(map, n);
  ASSERT_EQ(map.size(), n);
  for (int i = 0; i < ops; ++i) {
    w.op(map);
    if ((i + 1) % round == 0) {
      ASSERT_EQ(map.size(), n) << "after op " << i;
    }
    ASSERT_GE(map.size(), n - round) << "after op " << i;
  }
}

TYPED_TEST(WorkloadTest, AdversarialOrdersKeepSizeN) {
  constexpr std::uint64_t n = 400;
  { U64Map<TypeParam> m{WeakHash{}}; expect_size_stays(m, IterationOrderErase(n, 1), n, 1000, n / 8); }
  { U64Map<TypeParam> m{WeakHash{}}; expect_size_stays(m, EraseFirst(1), n, 1000); }
  { U64Map<TypeParam> m{WeakHash{}}; expect_size_stays(m, FifoEviction(1), n, 1000); }
  { U64Map<TypeParam> m{WeakHash{}}; expect_size_stays(m, SlidingWindow(1), n, 1000); }
  { U64Map<TypeParam> m{WeakHash{}}; expect_size_stays(m, ZipfAccess(n, 1), n, 1000); }
}

TEST(Workloads, SlidingWindowHoldsExactlyTheLastNKeys) {
  AnyMap m{WeakHash{}};
  SlidingWindow w(2);
  w.fill(m, 10);
  for (int i = 0; i < 25; ++i) w.op(m);
  std::set<std::uint64_t> keys;
  m.for_each([&](std::uint64_t k, std::uint64_t) { keys.insert(k); });
  ASSERT_EQ(keys.size(), 10u);
  EXPECT_EQ(*keys.rbegin() - *keys.begin(), 9u);
  EXPECT_EQ(*keys.begin(), (2ull << 32) + 25);
}

TEST(Workloads, ZipfFavoursSmallRanks) {
  AnyMap m{WeakHash{}};
  ZipfAccess z(1000, 5);
  z.fill(m, 1000);
  for (int i = 0; i < 20000; ++i) z.op(m);
  // Rank 1 is the most popular key: a FIFO cache of n = universe/4 keeps
  // missing far less than uniform access (hit rate 1/4) would.
  EXPECT_GT(static_cast<double>(z.hits()) / z.accesses(), 0.5);
}

TEST(Distribution, NearestRankPercentiles) {
  Distribution d;
  for (int v = 1; v <= 1000; ++v) d.add(v);
  EXPECT_EQ(d.quantile(0.5), 500u);
  EXPECT_EQ(d.quantile(0.99), 990u);
  EXPECT_EQ(d.quantile(0.999), 999u);
  EXPECT_EQ(d.quantile(1.0), 1000u);
  const std::string j = d.json();
  EXPECT_NE(j.find("\"p99.9\": 999"), std::string::npos) << j;
  EXPECT_NE(j.find("[512, 1024, 489]"), std::string::npos) << j;
}

}  // namespace
}  // namespace slotlab::bench
