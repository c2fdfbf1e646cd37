// The `churn` loop on the Go models -- go_model_churn: strategy `go` (timed
// against churnmap built by Go 1.19), goswiss_model_churn: strategy `goswiss`
// (against churnmap built by Go >= 1.24) -- written to match
// scripts/go/churnmap's `speed` loop op for op, so that model and runtime can
// be timed side by side: same key stream (KeyStream), same pick of the live key
// to erase (splitmix64 + Lemire's multiply-shift), fill untimed, then a fixed
// number of erase+insert pairs timed. The models get the harness's strong hash
// (fmix64); the runtime uses its own aeshash.
//
// Arguments: n (live keys). Run with --benchmark_repetitions and a fixed
// iteration count per n (set below), as `validate go|goswiss --speed` do.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <vector>

#include "bench/workloads/key_stream.hpp"
#include "maps/core/hashers.hpp"
#include "maps/strategies/go/go_map.hpp"
#include "maps/strategies/go_swiss/goswiss_map.hpp"

namespace slotlab::bench {
namespace {

struct SplitMix64 {
  std::uint64_t state;
  std::uint64_t next() {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  std::size_t pick(std::size_t n) {
    return static_cast<std::size_t>((static_cast<unsigned __int128>(next()) * n) >> 64);
  }
};

template <class Strategy>
void model_churn(benchmark::State& state) {
  static std::uint64_t repetition = 0;  // each repetition a fresh seed, as the Go side
  const std::uint64_t seed = 1 + repetition++;
  const auto n = static_cast<std::size_t>(state.range(0));
  typename Strategy::template map<std::uint64_t, std::uint64_t, StrongHash> map{StrongHash{}};
  KeyStream keys(seed, false);
  SplitMix64 rng{seed};
  std::vector<std::uint64_t> live;
  live.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint64_t k = keys.next();
    map.insert(k, k);
    live.push_back(k);
  }
  for (auto _ : state) {
    const std::size_t i = rng.pick(live.size());
    map.erase(live[i]);
    const std::uint64_t k = keys.next();
    live[i] = k;
    map.insert(k, k);
  }
  if (const auto overflow = map.stats().overflow_buckets)
    state.counters["noverflow_end"] = static_cast<double>(*overflow);
}

void go_model_churn(benchmark::State& state) { model_churn<GoStrategy>(state); }
void goswiss_model_churn(benchmark::State& state) { model_churn<GoSwissStrategy>(state); }

// Fixed op counts per n: the Go side is run with the same (--ops).
#define SLOTLAB_GO_CHURN_SIZES(bench)                                               \
  BENCHMARK(bench)->Arg(1 << 10)->Iterations(1 << 21)->Unit(benchmark::kNanosecond); \
  BENCHMARK(bench)->Arg(1 << 16)->Iterations(1 << 21)->Unit(benchmark::kNanosecond); \
  BENCHMARK(bench)->Arg(1 << 20)->Iterations(1 << 22)->Unit(benchmark::kNanosecond)
SLOTLAB_GO_CHURN_SIZES(go_model_churn);
SLOTLAB_GO_CHURN_SIZES(goswiss_model_churn);

}  // namespace
}  // namespace slotlab::bench

BENCHMARK_MAIN();
