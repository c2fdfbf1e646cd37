// Built first when SLOTLAB_EXTRA_STRATEGIES names headers of your own: the
// registry with them included, and every registered strategy checked against
// the SlotMap concept for the key and value types the tools use (uint64 and
// string keys; plain, and move-only values as the map tests store them).
#include <cstdint>
#include <string>

#include "maps/core/hashers.hpp"
#include "maps/core/values.hpp"
#include "maps/registry.hpp"

namespace slotlab {
namespace {
template <class... S>
constexpr bool all_slot_maps(std::tuple<S...>) {
  return ((SlotMap<typename S::template map<std::uint64_t, std::uint64_t, StrongHash>> &&
           SlotMap<typename S::template map<std::string, std::uint64_t, WeakHash>> &&
           SlotMap<typename S::template map<std::string, MoveOnlyValue, CollideHash>> &&
           !S::name.empty() && !S::summary.empty()) && ...);
}
static_assert(all_slot_maps(ExtraStrategies{}),
              "a strategy of SLOTLAB_EXTRA_STRATEGIES is not a SlotMap for uint64/string keys "
              "(maps/core/slot_map.hpp), or has an empty name or summary");
}  // namespace
}  // namespace slotlab
