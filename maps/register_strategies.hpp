// SLOTLAB_REGISTER_STRATEGIES(A, B, ...): how a header of your own adds
// strategies to the registry without editing it (scripts/slotlab ... --with-map
// PATH; examples/ has one). The header defines each strategy in the registry's
// form (maps/registry.hpp: name, summary, a `map` alias satisfying SlotMap with
// the CountingAllocator) and names them once, at global scope:
//
//   #include "maps/register_strategies.hpp"
//   struct MyStrategy { ... };
//   SLOTLAB_REGISTER_STRATEGIES(MyStrategy)
//
// The build (CMake's SLOTLAB_EXTRA_STRATEGIES, a list of such headers) writes
// one generated header that includes each of them with SLOTLAB_EXTRA_INDEX set
// to its position, so each macro call specialises its own Registered<index>;
// registry.hpp appends them all after the built-in strategies. Outside such a
// build (a header compiled on its own, e.g. in its author's tests) each call
// specialises a distinct negative index nothing reads.
#pragma once

#include <tuple>

namespace slotlab::extra {
template <int Index>
struct Registered;  // ::type = std::tuple<the strategies of header Index>

template <int Index>
inline constexpr bool kRegistered = requires { typename Registered<Index>::type; };
}  // namespace slotlab::extra

// Read when the macro expands, not when this header is included: the generated
// header redefines it around each user header.
#ifndef SLOTLAB_EXTRA_INDEX
#define SLOTLAB_EXTRA_INDEX (-1 - __COUNTER__)
#endif
#define SLOTLAB_REGISTER_STRATEGIES(...)                  \
  template <>                                              \
  struct slotlab::extra::Registered<SLOTLAB_EXTRA_INDEX> { \
    using type = std::tuple<__VA_ARGS__>;                  \
  };
