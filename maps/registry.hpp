// The registry: the one list of strategies. Tests, fuzzers, benchmarks and the
// trace tool iterate over it (for_each_strategy) or look a name up in it
// (with_strategy); adding a strategy is one line in kStrategies below.
//
// A strategy is a struct with
//   static constexpr std::string_view name;      // as used on the command line
//   static constexpr std::string_view summary;   // one line: what erase does
//   template <class K, class V, class Hash, class Eq = std::equal_to<K>>
//   using map = ...;                             // a SlotMap with a CountingAllocator
#pragma once

#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>

#include "maps/adapters/absl_map.hpp"
#include "maps/adapters/boost_map.hpp"
#include "maps/adapters/robin_map.hpp"
#include "maps/adapters/std_map.hpp"
#include "maps/core/slot_map.hpp"
#include "maps/strategies/go/go_map.hpp"
#include "maps/strategies/go_swiss/goswiss_map.hpp"
#include "maps/strategies/linear_probing/backshift.hpp"
#include "maps/strategies/linear_probing/graveyard.hpp"
#include "maps/strategies/linear_probing/tombstone.hpp"

namespace slotlab {

using Strategies = std::tuple<
    AbslStrategy,
    RobinStrategy,
    BoostStrategy,
    StdStrategy,
    GoStrategy,
    BackshiftStrategy,
    TombstoneStrategy,
    GraveyardStrategy,
    GoSwissStrategy>;

// Calls fn(Strategy{}) for every registered strategy, in registry order.
template <class Fn>
void for_each_strategy(Fn&& fn) {
  std::apply([&](auto... strategy) { (fn(strategy), ...); }, Strategies{});
}

// Calls fn(Strategy{}) for the strategy called `name`; false if there is none.
template <class Fn>
bool with_strategy(std::string_view name, Fn&& fn) {
  bool found = false;
  for_each_strategy([&](auto strategy) {
    if (!found && decltype(strategy)::name == name) {
      found = true;
      fn(strategy);
    }
  });
  return found;
}

// "absl, robin, ..." for error messages and --help.
inline std::string strategy_names(std::string_view separator = ", ") {
  std::string names;
  for_each_strategy([&](auto strategy) {
    if (!names.empty()) names += separator;
    names += decltype(strategy)::name;
  });
  return names;
}

}  // namespace slotlab
