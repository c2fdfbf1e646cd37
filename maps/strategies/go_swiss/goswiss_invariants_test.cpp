// The invariant checker must notice a corrupted map: each case breaks one
// rule (control bytes, growthLeft arithmetic, the directory, reachability)
// and expects check_invariants() to name it.
#include <gtest/gtest.h>

#include "maps/strategies/go_swiss/goswiss_test_support.hpp"

namespace slotlab::goswiss {
namespace {

using Access = GoSwissMapTestAccess;
using Map = GoSwissMap<std::uint64_t, std::uint64_t, IdentityHash>;

// Group 0 full (home 0), three keys in group 1 (home 1): "########|###....."
Map two_groups() {
  Map m{IdentityHash{}};
  Access::zero_seed(m);
  for (std::uint8_t t = 1; t <= 8; ++t) m.insert(key_at(0, t), t);
  for (std::uint8_t t = 11; t <= 13; ++t) m.insert(key_at(1, t), t);
  return m;
}

TEST(GoSwissInvariants, AHealthyMapPasses) { EXPECT_EQ(two_groups().check_invariants(), ""); }

TEST(GoSwissInvariants, ATombstoneBesideAnEmptySlot) {
  Map m = two_groups();
  Access::set_ctrl(m, 0, 1, 5, kCtrlDeleted);
  Access::set_growth_left(m, 0, 2);  // keep the arithmetic right: only the mix is wrong
  EXPECT_NE(m.check_invariants().find("both empty slots and tombstones"), std::string::npos)
      << m.check_invariants();
}

TEST(GoSwissInvariants, GrowthLeftArithmetic) {
  Map m = two_groups();
  Access::set_growth_left(m, 0, 2);  // one slot "lost": a tombstone the bytes do not show
  EXPECT_NE(m.check_invariants().find("capacity*7/8 - used - growthLeft"), std::string::npos)
      << m.check_invariants();
}

TEST(GoSwissInvariants, AControlByteThatIsNotTheKeysH2) {
  Map m = two_groups();
  Access::set_ctrl(m, 0, 1, 0, 99);
  EXPECT_NE(m.check_invariants().find("H2"), std::string::npos) << m.check_invariants();
}

TEST(GoSwissInvariants, AKeyItsProbeSequenceCannotReach) {
  Map m = two_groups();
  m.insert(key_at(0, 40), 40);  // home 0, stored in group 1 behind full group 0
  Access::set_ctrl(m, 0, 0, 3, kCtrlEmpty);  // group 0 now ends its probe
  EXPECT_NE(m.check_invariants().find("not reachable"), std::string::npos) << m.check_invariants();
}

TEST(GoSwissInvariants, ADirectoryEntryPointingAtTheWrongDepth) {
  GoSwissMap<std::uint64_t, std::uint64_t, StrongHash> m{StrongHash{}};
  for (std::uint64_t k = 0; k < 3000; ++k) m.insert(k, k);
  ASSERT_EQ(m.check_invariants(), "");
  const std::uint8_t depth = Access::set_local_depth(m, 0, 0);
  EXPECT_NE(m.check_invariants().find("directory entr"), std::string::npos) << m.check_invariants();
  Access::set_local_depth(m, 0, depth);  // the destructor walks the directory by depth
}

}  // namespace
}  // namespace slotlab::goswiss
