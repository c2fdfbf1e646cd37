// slotlab_latency: the per-op latency distribution of one map, as JSON.
//
//   churn   fill n fresh keys, one untimed turnover, then --ops erase+insert
//           pairs, each timed alone
//   growth  insert n fresh keys into an empty map (no reserve), each insert
//           timed alone, repeated on new maps until --ops inserts are timed;
//           the rehash (absl, robin, boost, linear probing: stop-the-world)
//           or evacuation (go: incremental) shows in the tail
//
// Timing: std::chrono::steady_clock (clock_gettime(CLOCK_MONOTONIC), vDSO),
// read once between consecutive ops: a sample is the op plus one clock read
// and the loop around it. Nothing is subtracted; the median of back-to-back
// clock reads is reported as timer_overhead_ns so readers can. On a shared
// machine the far tail holds other processes' time slices: each phase reports
// its involuntary context switches ("preemptions"), an upper bound on how many
// samples that is.
//
//   slotlab_latency --map M [--n N] [--ops K] [--hash H] [--seed S]
#include <sys/resource.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

#include "bench/workloads/distribution.hpp"
#include "bench/workloads/live_keys.hpp"
#include "bench/workloads/tool_options.hpp"

namespace slotlab::bench {
namespace {

using Clock = std::chrono::steady_clock;

// Involuntary context switches of this thread so far: each one is a sample
// that holds another process's time slice, not the map's work.
long preemptions() {
  rusage u;
  getrusage(RUSAGE_THREAD, &u);
  return u.ru_nivcsw;
}

// A phase's distribution JSON with the preemptions that happened inside it.
std::string with_preemptions(const std::string& distribution_json, long preempted) {
  return distribution_json.substr(0, distribution_json.size() - 1) +
         ", \"preemptions\": " + std::to_string(preempted) + "}";
}

std::uint64_t ns_between(Clock::time_point a, Clock::time_point b) {
  return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(b - a).count());
}

std::uint64_t timer_overhead_ns() {
  Distribution d;
  auto prev = Clock::now();
  for (int i = 0; i < 100000; ++i) {
    const auto now = Clock::now();
    d.add(ns_between(prev, now));
    prev = now;
  }
  return d.quantile(0.5);
}

template <class Map, class Hash>
std::string churn_phase(Hash hash, bool collide, std::uint64_t n, std::uint64_t ops, std::uint64_t seed) {
  Map map(hash);
  LiveKeys<> keys(seed, collide);
  keys.fill(map, n);
  for (std::uint64_t i = 0; i < n; ++i) keys.churn(map);
  Distribution d;
  d.reserve(ops);
  const long preempted = preemptions();
  auto prev = Clock::now();
  for (std::uint64_t i = 0; i < ops; ++i) {
    keys.churn(map);
    const auto now = Clock::now();
    d.add(ns_between(prev, now));
    prev = now;
  }
  return with_preemptions(d.json(), preemptions() - preempted);
}

template <class Map, class Hash>
std::string growth_phase(Hash hash, bool collide, std::uint64_t n, std::uint64_t ops, std::uint64_t seed) {
  Distribution d;
  d.reserve(ops + n);
  std::uint64_t maps = 0;
  const long preempted = preemptions();
  while (d.count() < ops) {
    Map map(hash);
    LiveKeys<> keys(seed + maps++, collide);
    auto prev = Clock::now();
    for (std::uint64_t i = 0; i < n; ++i) {
      keys.insert_fresh(map);
      const auto now = Clock::now();
      d.add(ns_between(prev, now));
      prev = now;
    }
  }
  return with_preemptions(d.json(), preemptions() - preempted);
}

}  // namespace
}  // namespace slotlab::bench

int main(int argc, char** argv) {
  using namespace slotlab::bench;
  ToolOptions o("slotlab_latency", argc, argv, {"--map", "--n", "--ops", "--hash", "--seed"});
  const std::string map = o.map(), hash_name = o.hash();
  const std::uint64_t n = o.count("--n", 1 << 16), ops = o.count("--ops", 1 << 18),
                      seed = o.count("--seed", 1, 0);
  const std::uint64_t overhead = timer_overhead_ns();
  slotlab::with_strategy(map, [&](auto strategy) {
    slotlab::with_hasher(hash_name, [&](auto hash) {
      using Map = typename decltype(strategy)::template map<std::uint64_t, std::uint64_t, decltype(hash)>;
      const bool collide = hash_name == "collide";
      const std::string churn = churn_phase<Map>(hash, collide, n, ops, seed);
      const std::string growth = growth_phase<Map>(hash, collide, n, ops, seed);
      std::printf(
          "{\"map\": \"%s\", \"hash\": \"%s\", \"n\": %llu, \"seed\": %llu,\n"
          " \"unit\": \"ns\",\n"
          " \"timer\": \"steady_clock read between consecutive ops; a sample includes one clock "
          "read and the loop; overhead not subtracted\",\n"
          " \"timer_overhead_ns\": %llu,\n"
          " \"phases\": {\n"
          "  \"churn\": {\"what\": \"one erase+insert pair at size n after one turnover\", "
          "\"distribution\": %s},\n"
          "  \"growth\": {\"what\": \"one insert while filling an empty map to n, no reserve "
          "(rehash/evacuation spikes included)\", \"distribution\": %s}}}\n",
          map.c_str(), hash_name.c_str(), static_cast<unsigned long long>(n),
          static_cast<unsigned long long>(seed), static_cast<unsigned long long>(overhead),
          churn.c_str(), growth.c_str());
    });
  });
  return 0;
}
