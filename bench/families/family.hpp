// The benchmark families' shared frame: profiles (what sizes, hashes and op
// counts a run uses), the family list, benchmark naming, and the counters every
// benchmark reports.
//
// A cell is one family on one map: `slotlab_bench --family F --map M` registers
// only that cell's benchmarks (map x hash x size, generated from the registry)
// and runs them. The runner (scripts/slotlab bench) runs cells as separate
// processes, so a cell is the unit of progress, resume, sharding and
// repetition.
//
// Every benchmark runs a fixed number of ops (Iterations), the same for every
// map: the state a map drifts into is part of the workload, so all maps must
// do the same work; Google Benchmark's min_time would let faster maps churn
// further. One iteration is one op as the family defines it.
#pragma once

#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "maps/core/hashers.hpp"
#include "maps/core/map_stats.hpp"
#include "maps/registry.hpp"

namespace slotlab::bench {

struct Profile {
  std::string name;
  std::vector<unsigned> churn_log2;        // steady churn sizes
  std::vector<unsigned> log2;              // sizes of the other families
  std::vector<unsigned> string_log2;       // sizes of the string-key families
  std::vector<std::string> hashes;         // hashes of the ordinary families
  std::vector<std::string> adversarial_hashes;
  std::vector<unsigned> drifts;            // turnovers of churn before lookups
  std::uint64_t min_ops, max_ops;          // ops per benchmark: n, clamped to these
  double seconds_cap;                      // a benchmark slower than this stops (see measure)

  std::uint64_t ops(std::uint64_t n) const {
    return n < min_ops ? min_ops : (n > max_ops ? max_ops : n);
  }
};

const Profile* find_profile(std::string_view name);
std::string profile_names();

struct Cell {
  const Profile& profile;
  std::string map;         // registry name
  std::uint64_t seed = 1;  // the runner's repetition number: fresh keys per repetition
};

struct Family {
  std::string name;
  std::string summary;
  std::function<void(const Cell&)> register_benchmarks;
};

std::vector<Family>& families();

struct FamilyRegistrar {
  FamilyRegistrar(std::string name, std::string summary, std::function<void(const Cell&)> fn) {
    families().push_back({std::move(name), std::move(summary), std::move(fn)});
  }
};

// Calls fn(Strategy{}, Hasher{}, hash_name) for the cell's map crossed with
// each hash: the map x hash part of the matrix, generated from the registry.
// Only the hashers a profile may name (family.cpp) are instantiated: every
// benchmark exists once per map x hasher x key type, so a hasher no profile
// uses is compile time for nothing -- `collide` (for traces, the fuzzers and
// the tests) cost a third of bench/'s, ~80 of a fresh release build's ~670 CPU-s.
template <class Fn>
void for_cell_maps(const Cell& cell, const std::vector<std::string>& hashes, Fn&& fn) {
  with_strategy(cell.map, [&](auto strategy) {
    for (const auto& h : hashes)
      if (!with_hasher_among<StrongHash, WeakHash>(h, [&](auto hash) { fn(strategy, hash, h); })) {
        std::fprintf(stderr, "slotlab_bench: profile '%s' names hash '%s', which "
                             "for_cell_maps does not build\n",
                     cell.profile.name.c_str(), h.c_str());
        std::exit(2);
      }
  });
}

inline std::string bench_name(std::string_view family, std::string_view map,
                              std::string_view hash, std::uint64_t n,
                              std::string_view variant = {}) {
  std::string s = std::string(family) + "/" + std::string(map) + "/" + std::string(hash) + "/" +
                  std::to_string(n);
  if (!variant.empty()) s += "/" + std::string(variant);
  return s;
}

benchmark::internal::Benchmark* add(const std::string& name, std::uint64_t ops,
                                    std::function<void(benchmark::State&)> body);

// Time of the op loop, frozen by stop() before any stats walk: wall (steady_clock) and the benchmark thread's CPU time
// (CLOCK_THREAD_CPUTIME_ID). On a shared machine a loop of a few milliseconds
// loses whole scheduler slices to other processes, which inflates wall time
// several-fold at random; CPU time does not see them, so ns_per_op is CPU time
// and wall_ns_per_op is kept beside it.
class OpClock {
 public:
  void start() {
    t0_ = std::chrono::steady_clock::now();
    cpu0_ = thread_cpu_ns();
  }
  double elapsed_wall_ns() const {
    return std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - t0_)
        .count();
  }
  void stop() {
    wall_ns_ = elapsed_wall_ns();
    cpu_ns_ = thread_cpu_ns() - cpu0_;
  }
  double wall_ns() const { return wall_ns_; }
  double cpu_ns() const { return cpu_ns_; }

 private:
  static double thread_cpu_ns() {
    timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e9 + static_cast<double>(ts.tv_nsec);
  }
  std::chrono::steady_clock::time_point t0_;
  double cpu0_ = 0, wall_ns_ = 0, cpu_ns_ = 0;
};

// The counters every benchmark reports, from the map's stats() after the op
// loop (outside the timing) and `before`, taken just before it. A figure the
// map cannot report is left out and named in the label ("n/a: ..."), never 0.
//   ns_per_op             CPU time of the op loop / ops (see OpClock)
//   wall_ns_per_op        wall time of the op loop / ops
//   bytes_per_key         counting-allocator bytes / live keys
//   tombstone_fraction    tombstones / slots
//   overflow_buckets      go only
//   mean_probe            successful-lookup probe length over live keys (unit in label)
//   reused_slot_fraction  reused / (reused + fresh) over the inserts of the op loop
//   load_factor           live keys / slots
void report_counters(benchmark::State& state, const MapStats& before, const MapStats& after,
                     const OpClock& clock, std::uint64_t ops, std::string_view hash,
                     std::string extra_label = {});

}  // namespace slotlab::bench

namespace slotlab::bench {

// The profile's per-benchmark time cap, set by main before the benchmarks run.
inline double& seconds_cap() {
  static double cap = 1e9;
  return cap;
}

// Times `ops` calls of op() as the benchmark's iterations and reports the
// counters; `label` adds to the counters' label. A pathological pairing (say,
// linear probing under an adversarial order and the weak hash) must not eat
// the profile's time budget: past seconds_cap() the benchmark stops with an
// error that says how far it got and at what ns/op -- a finding, not a crash.
template <class Map, class Op>
void measure(benchmark::State& state, Map& map, std::uint64_t ops, std::string_view hash, Op op,
             std::string label = {}) {
  const MapStats before = map.stats();
  const double cap_ns = seconds_cap() * 1e9;
  OpClock clock;
  clock.start();
  std::uint64_t done = 0;
  for (auto _ : state) {
    op();
    if ((++done & 255) == 0 && clock.elapsed_wall_ns() > cap_ns) {
      const double ns = clock.elapsed_wall_ns();
      state.SkipWithError(("stopped after " + std::to_string(done) + " of " +
                           std::to_string(ops) + " ops at " +
                           std::to_string(static_cast<long long>(ns / done)) +
                           " ns/op: over the profile's cap of " +
                           std::to_string(seconds_cap()).substr(0, 4) + " s per benchmark")
                              .c_str());
      break;
    }
  }
  clock.stop();
  if (done < ops) return;
  report_counters(state, before, map.stats(), clock, ops, hash, std::move(label));
}

template <class Strategy, class Hash, class Key = std::uint64_t>
using MapOf = typename Strategy::template map<Key, std::uint64_t, Hash>;

inline bool colliding(std::string_view hash) { return hash == "collide"; }

}  // namespace slotlab::bench
