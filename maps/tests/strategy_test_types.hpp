// GoogleTest glue: turns the registry into typed-test parameter lists, so every
// strategy -- including ones registered later -- runs every map test.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <tuple>

#include "maps/core/hashers.hpp"
#include "maps/registry.hpp"

namespace slotlab::testing {

template <class Tuple>
struct ToGtestTypes;
template <class... Ts>
struct ToGtestTypes<std::tuple<Ts...>> {
  using type = ::testing::Types<Ts...>;
};
using AllStrategies = ToGtestTypes<Strategies>::type;

struct StrategyName {
  template <class S>
  static std::string GetName(int) {
    return std::string(S::name);
  }
};

// The n-th key of a small domain, as either key type.
template <class K>
K key_of(std::uint64_t n);
template <>
inline std::uint64_t key_of<std::uint64_t>(std::uint64_t n) { return n; }
template <>
inline std::string key_of<std::string>(std::uint64_t n) {
  return "key-" + std::to_string(n) + std::string(n % 7, 'x');
}

}  // namespace slotlab::testing
