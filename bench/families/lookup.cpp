// lookup_hit / lookup_miss after 0, 1, 4, 16 turnovers of churn and after a
// fresh fill of the same keys (see lookup_ladder.hpp); one op = one find().
#include "bench/families/lookup_ladder.hpp"

namespace slotlab::bench {
namespace {

void register_lookup(const Cell& cell) {
  register_lookup_ladder<std::uint64_t, IntKeys>(cell, "lookup_hit", "lookup_miss",
                                                 cell.profile.log2, cell.profile.drifts, true);
}

const FamilyRegistrar lookup("lookup", "lookup hit and miss after drift 0,1,4,16 and fresh fill",
                             register_lookup);

}  // namespace
}  // namespace slotlab::bench
