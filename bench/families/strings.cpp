// String keys of 16 and 64 bytes (bench/workloads/key_codec.hpp): steady churn
// (as `churn`, after one turnover) and lookup hit/miss after one turnover.
#include "bench/families/lookup_ladder.hpp"

namespace slotlab::bench {
namespace {

template <std::size_t Length>
void register_strings(const Cell& cell) {
  using Codec = StringKeys<Length>;
  const std::string suffix = "_str" + std::to_string(Length);
  for_cell_maps(cell, cell.profile.hashes, [&](auto strategy, auto hash, const std::string& h) {
    using Map = MapOf<decltype(strategy), decltype(hash), std::string>;
    for (unsigned lg : cell.profile.string_log2) {
      const std::uint64_t n = 1ull << lg, ops = cell.profile.ops(n), seed = cell.seed;
      add(bench_name("churn" + suffix, cell.map, h, n), ops, [=](benchmark::State& st) {
        Map map(hash);
        LiveKeys<Codec> keys(seed, colliding(h));
        keys.fill(map, n);
        for (std::uint64_t i = 0; i < n; ++i) keys.churn(map);
        measure(st, map, ops, h, [&] { keys.churn(map); }, "after 1 turnover");
      });
    }
  });
  register_lookup_ladder<std::string, Codec>(cell, "lookup_hit" + suffix, "lookup_miss" + suffix,
                                             cell.profile.string_log2, {1}, false);
}

const FamilyRegistrar string16("string16", "16-byte string keys: churn, lookup hit and miss",
                               register_strings<16>);
const FamilyRegistrar string64("string64", "64-byte string keys: churn, lookup hit and miss",
                               register_strings<64>);

}  // namespace
}  // namespace slotlab::bench
