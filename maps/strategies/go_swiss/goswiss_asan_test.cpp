// Use-after-erase made visible: under AddressSanitizer a freed slot of the
// Swiss-map model is poisoned until a key lands in it again, so a stale
// pointer kept across erase() is reported. Skipped without ASan (the release
// preset); `ctest --preset asan` runs it.
#include <gtest/gtest.h>

#include "maps/core/asan.hpp"
#include "maps/strategies/go_swiss/goswiss_test_support.hpp"

namespace slotlab::goswiss {
namespace {

std::uint64_t read(const std::uint64_t* p) { return *static_cast<const volatile std::uint64_t*>(p); }

TEST(GoSwissAsanDeathTest, ReadingAnErasedValueIsReportedInATableAndInASmallMap) {
  if (!kAsanPoisoning) GTEST_SKIP() << "needs an AddressSanitizer build (cmake --preset asan)";
  for (std::uint64_t n : {5u, 300u}) {
    GoSwissMap<std::uint64_t, std::uint64_t, StrongHash> map{StrongHash{}};
    for (std::uint64_t k = 0; k < n; ++k) map.insert(k, k);
    const std::uint64_t* stale = map.find(3);
    ASSERT_NE(stale, nullptr);
    EXPECT_EQ(read(stale), 3u);
    ASSERT_TRUE(map.erase(3));
    EXPECT_DEATH(read(stale), "use-after-poison") << n << " keys";
  }
}

TEST(GoSwissAsanDeathTest, AReusedTombstoneIsReadableAgain) {
  if (!kAsanPoisoning) GTEST_SKIP() << "needs an AddressSanitizer build (cmake --preset asan)";
  GoSwissMap<std::uint64_t, std::uint64_t, IdentityHash> map{IdentityHash{}};
  GoSwissMapTestAccess::zero_seed(map);
  for (std::uint8_t t = 1; t <= 9; ++t) map.insert(key_at(0, t), t);  // group 0 full
  const std::uint64_t* p = map.find(key_at(0, 2));
  map.erase(key_at(0, 2));  // tombstone: poisoned
  map.insert(key_at(0, 50), 50);  // the first tombstone on its probe: the same slot
  ASSERT_EQ(map.find(key_at(0, 50)), p);
  EXPECT_EQ(read(p), 50u);
}

TEST(GoSwissAsanDeathTest, AGrownTablesOldSlotsAreGone) {
  if (!kAsanPoisoning) GTEST_SKIP() << "needs an AddressSanitizer build (cmake --preset asan)";
  GoSwissMap<std::uint64_t, std::uint64_t, StrongHash> map{StrongHash{}};
  for (std::uint64_t k = 0; k < 20; ++k) map.insert(k, k);
  const std::uint64_t* old = map.find(7);
  const std::uint64_t slots = *map.stats().slots;
  std::uint64_t k = 20;
  while (*map.stats().slots == slots) map.insert(k, k), ++k;
  EXPECT_DEATH(read(old), "heap-use-after-free");
}

}  // namespace
}  // namespace slotlab::goswiss
