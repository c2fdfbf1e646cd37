// Use-after-erase made visible: under AddressSanitizer an erased slot of the
// Go model is poisoned until a key lands in it again, so a stale pointer kept
// across erase() is reported. Skipped in builds without ASan (the release
// preset); `ctest --preset asan` runs it.
#include <gtest/gtest.h>

#include "maps/core/asan.hpp"
#include "maps/strategies/go/go_test_support.hpp"

namespace slotlab::go {
namespace {

using Map = GoMap<std::uint64_t, std::uint64_t, StrongHash>;

std::uint64_t read(const std::uint64_t* p) { return *static_cast<const volatile std::uint64_t*>(p); }

TEST(GoAsanDeathTest, ReadingAnErasedValueThroughAStalePointerIsReported) {
  if (!kAsanPoisoning) GTEST_SKIP() << "needs an AddressSanitizer build (cmake --preset asan)";
  Map map{StrongHash{}};
  for (std::uint64_t k = 0; k < 100; ++k) map.insert(k, k);
  const std::uint64_t* stale = map.find(42);
  ASSERT_NE(stale, nullptr);
  EXPECT_EQ(read(stale), 42u);  // live: fine
  ASSERT_TRUE(map.erase(42));
  EXPECT_DEATH(read(stale), "use-after-poison");
}

TEST(GoAsanDeathTest, AReusedSlotIsReadableAgain) {
  if (!kAsanPoisoning) GTEST_SKIP() << "needs an AddressSanitizer build (cmake --preset asan)";
  GoMap<std::uint64_t, std::uint64_t, OneBucketHash> map{OneBucketHash{}};
  for (std::uint64_t k = 0; k < 4; ++k) map.insert(k, k);
  const std::uint64_t* p = map.find(1);
  map.erase(1);                 // emptyOne: poisoned
  map.insert(99, 99);           // the first empty slot of the chain: the same one
  ASSERT_EQ(map.find(99), p);
  EXPECT_EQ(read(p), 99u);
}

TEST(GoAsanDeathTest, EvacuatedSlotsArePoisonedToo) {
  if (!kAsanPoisoning) GTEST_SKIP() << "needs an AddressSanitizer build (cmake --preset asan)";
  Map map{StrongHash{}};
  std::uint64_t k = 0;
  while (!map.go_stats().growing || map.go_stats().B < 6) map.insert(k, k), ++k;
  // A key still in an old bucket, read through its pointer after a write to
  // that key (growWork evacuates the key's old bucket first) moved it.
  const std::uint64_t* old = nullptr;
  std::uint64_t victim = 0;
  for (std::uint64_t j = 0; j < k && old == nullptr; ++j) {
    const std::uint64_t* p = map.find(j);
    map.insert_or_assign(j, j);
    if (map.find(j) != p) old = p, victim = j;
  }
  ASSERT_NE(old, nullptr) << "some key must have moved";
  EXPECT_EQ(*map.find(victim), victim);
  EXPECT_DEATH(read(old), "use-after-poison");
}

}  // namespace
}  // namespace slotlab::go
