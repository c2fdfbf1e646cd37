// slotlab_cache: data-cache misses per op of one map in one phase.
//
// Phases, run in this order on one map after fill n + one turnover of churn
// (strong hash by default), each --ops ops:
//   churn        erase random + insert fresh
//   lookup_hit   find a random live key
//   lookup_miss  find a key never inserted
//
// --source hardware: counts L1D read misses and last-level-cache misses around
// each phase's op loop with perf_event_open (user space only) and prints them
// per op as JSON. If the kernel or the VM has no such counters, prints one JSON
// line {"available": false, "reason": ...} and exits 3; the runner then uses:
// --source simulated: for a run under `valgrind --tool=callgrind
// --cache-sim=yes --instr-atstart=no` with a pinned cache geometry; only the op
// loops are collected (see run_simulated), one callgrind dump per phase, which
// the runner reads. Prints {"ops": K} so the runner can divide.
//
//   slotlab_cache --map M [--n N] [--ops K] [--hash H] [--seed S] [--source hardware|simulated]
#include <linux/perf_event.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <valgrind/callgrind.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>

#include "bench/workloads/live_keys.hpp"
#include "bench/workloads/tool_options.hpp"

namespace slotlab::bench {
namespace {

class HardwareCounter {
 public:
  HardwareCounter(std::uint32_t type, std::uint64_t config) {
    perf_event_attr attr;
    std::memset(&attr, 0, sizeof attr);
    attr.size = sizeof attr;
    attr.type = type;
    attr.config = config;
    attr.disabled = 1;
    attr.exclude_kernel = 1;
    attr.exclude_hv = 1;
    fd_ = static_cast<int>(syscall(SYS_perf_event_open, &attr, 0, -1, -1, 0));
    if (fd_ < 0) error_ = std::strerror(errno);
  }
  ~HardwareCounter() {
    if (fd_ >= 0) close(fd_);
  }
  bool ok() const { return fd_ >= 0; }
  const std::string& error() const { return error_; }
  void start() {
    ioctl(fd_, PERF_EVENT_IOC_RESET, 0);
    ioctl(fd_, PERF_EVENT_IOC_ENABLE, 0);
  }
  std::uint64_t stop() {
    ioctl(fd_, PERF_EVENT_IOC_DISABLE, 0);
    std::uint64_t v = 0;
    if (read(fd_, &v, sizeof v) != sizeof v) return 0;
    return v;
  }

 private:
  int fd_ = -1;
  std::string error_;
};

constexpr std::uint64_t kL1dReadMiss = PERF_COUNT_HW_CACHE_L1D | (PERF_COUNT_HW_CACHE_OP_READ << 8) |
                                       (PERF_COUNT_HW_CACHE_RESULT_MISS << 16);

constexpr const char* kPhases[] = {"churn", "lookup_hit", "lookup_miss"};

template <class Map, class Codec>
void run_op(const std::string& phase, Map& map, LiveKeys<Codec>& keys, std::uint64_t& miss) {
  if (phase == "churn") {
    keys.churn(map);
  } else if (phase == "lookup_hit") {
    auto* volatile p = map.find(keys.random_live());
    (void)p;
  } else {
    auto* volatile p = map.find(keys.absent(miss++));
    (void)p;
  }
}

// Under callgrind the simulated caches see only instrumented accesses, so
// they start cold at START_INSTRUMENTATION. Each phase therefore first looks
// up every live key and runs ops/4 of its own ops (instrumented), then zeroes
// the counters, then runs the measured ops and dumps them as "phase:<name>".
template <class Map, class Hash>
int run_simulated(Hash hash, std::uint64_t n, std::uint64_t ops, std::uint64_t seed) {
  Map map(hash);
  LiveKeys<> keys(seed, false);
  keys.fill(map, n);
  for (std::uint64_t i = 0; i < n; ++i) keys.churn(map);
  std::uint64_t miss = 0;
  CALLGRIND_START_INSTRUMENTATION;
  for (const char* phase : kPhases) {
    for (std::uint64_t id : keys.live()) {
      auto* volatile p = map.find(id);
      (void)p;
    }
    for (std::uint64_t i = 0; i < ops / 4; ++i) run_op(phase, map, keys, miss);
    CALLGRIND_ZERO_STATS;
    for (std::uint64_t i = 0; i < ops; ++i) run_op(phase, map, keys, miss);
    const std::string dump_name = std::string("phase:") + phase;
    CALLGRIND_DUMP_STATS_AT(dump_name.c_str());
  }
  CALLGRIND_STOP_INSTRUMENTATION;
  std::printf("{\"ops\": %llu}\n", static_cast<unsigned long long>(ops));
  return 0;
}

template <class Map, class Hash>
int run_hardware(Hash hash, std::uint64_t n, std::uint64_t ops, std::uint64_t seed) {
  HardwareCounter l1d(PERF_TYPE_HW_CACHE, kL1dReadMiss);
  HardwareCounter ll(PERF_TYPE_HARDWARE, PERF_COUNT_HW_CACHE_MISSES);
  if (!l1d.ok() || !ll.ok()) {
    std::printf("{\"available\": false, \"reason\": \"perf_event_open: %s\"}\n",
                (l1d.ok() ? ll.error() : l1d.error()).c_str());
    return 3;
  }
  Map map(hash);
  LiveKeys<> keys(seed, false);
  keys.fill(map, n);
  for (std::uint64_t i = 0; i < n; ++i) keys.churn(map);
  std::uint64_t miss = 0;
  std::printf("{\"available\": true, \"ops\": %llu, \"phases\": {",
              static_cast<unsigned long long>(ops));
  const char* sep = "";
  for (const char* phase : kPhases) {
    l1d.start();
    ll.start();
    for (std::uint64_t i = 0; i < ops; ++i) run_op(phase, map, keys, miss);
    const std::uint64_t ll_misses = ll.stop(), l1d_misses = l1d.stop();
    std::printf("%s\"%s\": {\"d1_misses_per_op\": %.4f, \"ll_misses_per_op\": %.4f}", sep, phase,
                static_cast<double>(l1d_misses) / ops, static_cast<double>(ll_misses) / ops);
    sep = ", ";
  }
  std::printf("}}\n");
  return 0;
}

}  // namespace
}  // namespace slotlab::bench

int main(int argc, char** argv) {
  using namespace slotlab::bench;
  ToolOptions o("slotlab_cache", argc, argv,
                {"--map", "--n", "--ops", "--hash", "--seed", "--source"});
  const std::string map = o.map(), hash_name = o.hash();
  const std::string source = o.text("--source", "hardware");
  if (source != "hardware" && source != "simulated")
    o.fail("unknown source '" + source + "'; valid sources: hardware, simulated");
  const std::uint64_t n = o.count("--n", 1 << 16), ops = o.count("--ops", 1 << 14),
                      seed = o.count("--seed", 1, 0);
  int status = 0;
  slotlab::with_strategy(map, [&](auto strategy) {
    slotlab::with_hasher(hash_name, [&](auto hash) {
      using Map = typename decltype(strategy)::template map<std::uint64_t, std::uint64_t, decltype(hash)>;
      status = source == "hardware" ? run_hardware<Map>(hash, n, ops, seed)
                                    : run_simulated<Map>(hash, n, ops, seed);
    });
  });
  return status;
}
