// Growth (table.go: rehash, grow, split; map.go: installTableSplit,
// replaceTable, NewMap): a table doubles up to maxTableCapacity (1024
// slots), then splits in two on the next hash bit from the top; the directory
// doubles only when the splitting table uses every directory bit, so tables
// that have not split cover several entries.
#include <gtest/gtest.h>

#include <set>

#include "maps/strategies/go_swiss/goswiss_test_support.hpp"

namespace slotlab::goswiss {
namespace {

using Access = GoSwissMapTestAccess;

TEST(GoSwissGrowth, ATableDoublesToTenTwentyFourThenSplits) {
  GoSwissMap<std::uint64_t, std::uint64_t, StrongHash> map{StrongHash{}};
  std::vector<std::uint64_t> capacities;
  std::uint64_t k = 0;
  while (map.stats().tables.value_or(0) < 2) {
    map.insert(k, k);
    ++k;
    const std::uint64_t slots = *map.stats().slots;
    if (capacities.empty() || capacities.back() != slots) capacities.push_back(slots);
  }
  EXPECT_EQ(capacities, (std::vector<std::uint64_t>{8, 16, 32, 64, 128, 256, 512, 1024, 2048}));
  const GoSwissStats g = map.goswiss_stats();
  EXPECT_EQ(g.grows_to_table, 1u);
  EXPECT_EQ(g.grows, 6u);
  EXPECT_EQ(g.splits, 1u);
  EXPECT_EQ(g.global_depth, 1u);
  EXPECT_EQ(g.directory_len, 2u);
  ASSERT_EQ(g.per_table.size(), 2u);
  for (const TableStats& t : g.per_table) {
    EXPECT_EQ(t.capacity, 1024u) << "split halves are born at maxTableCapacity";
    EXPECT_EQ(t.local_depth, 1u);
  }
  EXPECT_EQ(g.per_table[0].used + g.per_table[1].used, k);
  EXPECT_EQ(k, 897u) << "a 1024-slot table holds 7/8 of its capacity: 896";
  EXPECT_EQ(map.stats().rehashes, 8u);
  EXPECT_EQ(map.check_invariants(), "");
}

// Identity hash, zero seed: the top bits of a key pick its directory entry.
TEST(GoSwissGrowth, AnUnsplitTableCoversSeveralDirectoryEntries) {
  GoSwissMap<std::uint64_t, std::uint64_t, IdentityHash> map{IdentityHash{}};
  Access::zero_seed(map);
  // Spread the low bits with a multiplier, keep the top two bits chosen.
  auto key = [](std::uint64_t top2, std::uint64_t i) {
    return (top2 << 62) | ((i * 0x9E3779B97F4A7C15ull) >> 2);
  };
  std::uint64_t i = 0;
  // Fill the top half (top bit 1) until the map has split into two tables...
  while (map.stats().tables.value_or(0) < 2) map.insert(key(2 + i % 2, i), 0), ++i;
  // ... then only keys with top bits 11 until that table splits again.
  while (map.stats().tables.value_or(0) < 3) map.insert(key(3, i), 0), ++i;
  const GoSwissStats g = map.goswiss_stats();
  EXPECT_EQ(g.global_depth, 2u);
  EXPECT_EQ(g.directory_len, 4u);
  EXPECT_EQ(g.directory_grows, 2u);
  ASSERT_EQ(g.per_table.size(), 3u);
  EXPECT_EQ(g.per_table[0].index, 0u);
  EXPECT_EQ(g.per_table[0].local_depth, 1u) << "entries 00 and 01: one table";
  EXPECT_EQ(g.per_table[1].index, 2u);
  EXPECT_EQ(g.per_table[1].local_depth, 2u);
  EXPECT_EQ(g.per_table[2].index, 3u);
  EXPECT_EQ(g.per_table[2].local_depth, 2u);
  EXPECT_EQ(Access::table_at(map, 0), Access::table_at(map, 1));
  EXPECT_NE(Access::table_at(map, 2), Access::table_at(map, 3));
  EXPECT_EQ(map.check_invariants(), "");
}

TEST(GoSwissGrowth, ManyTablesStayBalancedUnderAStrongHash) {
  GoSwissMap<std::uint64_t, std::uint64_t, StrongHash> map{StrongHash{}};
  for (std::uint64_t k = 0; k < 50000; ++k) map.insert(k, k);
  const GoSwissStats g = map.goswiss_stats();
  EXPECT_GE(g.tables, 56u) << "50,000 keys at <= 896 a table";
  EXPECT_LE(g.tables, g.directory_len);
  EXPECT_EQ(g.directory_len, std::uint64_t{1} << g.global_depth);
  std::uint64_t used = 0;
  for (const TableStats& t : g.per_table) {
    used += t.used;
    EXPECT_EQ(t.capacity, 1024u);
  }
  EXPECT_EQ(used, 50000u);
  EXPECT_EQ(map.check_invariants(), "");
}

TEST(GoSwissGrowth, ReserveBuildsNewMapsDirectory) {
  GoSwissMap<std::uint64_t, std::uint64_t, StrongHash> map{StrongHash{}};
  map.reserve(5000);  // 5000*8/7 = 5714 slots: 6 tables -> 8 of 5714/8 -> 1024
  GoSwissStats g = map.goswiss_stats();
  EXPECT_EQ(g.directory_len, 8u);
  EXPECT_EQ(g.global_depth, 3u);
  EXPECT_EQ(g.tables, 8u);
  for (const TableStats& t : g.per_table) {
    EXPECT_EQ(t.capacity, 1024u);
    EXPECT_EQ(t.local_depth, 3u);
  }
  map.reserve(100);
  EXPECT_EQ(map.goswiss_stats().tables, 8u) << "already big enough";
  for (std::uint64_t k = 0; k < 5000; ++k) map.insert(k, k);
  EXPECT_EQ(map.goswiss_stats().splits + map.goswiss_stats().grows, 0u);
  map.reserve(1u << 20);
  EXPECT_EQ(map.goswiss_stats().tables, 8u) << "reserve never rebuilds a map that holds keys";
  GoSwissMap<std::uint64_t, std::uint64_t, StrongHash> small{StrongHash{}};
  small.reserve(8);
  EXPECT_EQ(small.stats().slots, 0u) << "hint <= 8: the group comes with the first write";
  small.reserve(9);
  EXPECT_EQ(small.stats().slots, 16u) << "9*8/7 = 10 -> 16 slots";
  EXPECT_EQ(map.check_invariants(), "");
}

}  // namespace
}  // namespace slotlab::goswiss
