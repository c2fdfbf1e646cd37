// slotlab_op_costs: what each operation costs under steady churn at a fixed
// load, for the maps with a fixed capacity (the linear-probing family):
// insert (its absence check included), successful lookup, unsuccessful
// lookup and erase, each in slots inspected and in ns per op. It is how
// `slotlab theory` measures Bender, Kuszmaul and Kuszmaul's claim for every
// operation (scripts/slotlab_cli/validate_linear.py).
//
// Workload: the shared churn (bench/workloads/live_keys.hpp) on a table built
// by with_live_load(n, A): fill n keys, then T turnovers of n erase+insert
// pairs; turnover 1 is a warm-up, the figures cover turnovers 2..T.
// How each figure is obtained (all counted by the table, no simulation):
//   insert_probe, place_probe  the table's own counters over the inserts of
//                              turnovers 2..T (MapStats.insert_probes, .place_probes)
//   hit_probe                  mean_probe over every live key, after each turnover
//   miss_probe                 probe_length of 1024 absent keys, after each turnover
//   erase_probe                erase_probe_length (a dry run) of 1024 random live
//                              keys, after each turnover
//   insert_ns, erase_ns        the churn timed in blocks of 8 erases then 8 inserts
//                              (steady_clock; the clock's own cost, measured at
//                              start, subtracted); rebuilds are inside the block
//                              that triggered them, so these are amortized
//   hit_ns, miss_ns            4096 finds of random live / absent keys after each
//                              turnover, timed as one loop each
// Prints one JSON object on stdout. Bad input: one line on stderr, exit 2.
#include <algorithm>
#include <chrono>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bench/workloads/live_keys.hpp"
#include "maps/core/hashers.hpp"
#include "maps/registry.hpp"

namespace slotlab::bench {
namespace {

using Clock = std::chrono::steady_clock;
constexpr std::uint64_t kBlock = 8;     // pairs per timed block
constexpr std::uint64_t kSample = 1024;  // keys probed per turnover
constexpr std::uint64_t kTimed = 4096;   // finds timed per turnover

[[noreturn]] void usage_error(const std::string& message) {
  std::fprintf(stderr, "slotlab op-costs: %s\n", message.c_str());
  std::exit(2);
}

struct Options {
  std::string map;
  double load = 0.9;
  std::uint64_t n = 65536, turnovers = 4, seed = 1;
  std::optional<double> rebuild_c;  // graveyard policies: rebuild every c * n/x updates
};

std::uint64_t parse_count(std::string_view flag, const char* text, std::uint64_t min) {
  char* end = nullptr;
  errno = 0;
  const unsigned long long v = std::strtoull(text, &end, 10);
  if (*text == '\0' || *text == '-' || *end != '\0' || errno != 0 || v < min)
    usage_error(std::string(flag) + " wants a whole number >= " + std::to_string(min) + ", got '" +
                text + "'");
  return v;
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string_view flag = argv[i];
    if (flag == "--help" || flag == "-h") {
      std::printf("usage: slotlab_op_costs --map NAME --load A [--n N] [--turnovers T] [--seed S]\n"
                  "                        [--rebuild-c C]  (graveyard maps: rebuild every C*n/x updates)\n");
      std::exit(0);
    }
    if (i + 1 >= argc) usage_error(std::string(flag) + " needs a value");
    const char* value = argv[++i];
    if (flag == "--map") {
      o.map = value;
    } else if (flag == "--load") {
      char* end = nullptr;
      o.load = std::strtod(value, &end);
      if (*end != '\0' || !(o.load > 0.0 && o.load < 1.0))
        usage_error(std::string("--load wants a number in (0, 1), got '") + value + "'");
    } else if (flag == "--n") {
      o.n = parse_count(flag, value, 1024);
    } else if (flag == "--turnovers") {
      o.turnovers = parse_count(flag, value, 2);
    } else if (flag == "--seed") {
      o.seed = parse_count(flag, value, 0);
    } else if (flag == "--rebuild-c") {
      char* end = nullptr;
      o.rebuild_c = std::strtod(value, &end);
      if (*end != '\0' || !(*o.rebuild_c > 0.0 && *o.rebuild_c <= 64.0))
        usage_error(std::string("--rebuild-c wants a number in (0, 64], got '") + value + "'");
    } else {
      usage_error("unknown option '" + std::string(flag) + "'; valid: --map --load --n --turnovers --seed --rebuild-c");
    }
  }
  if (o.map.empty()) usage_error("--map is required; valid maps: " + strategy_names());
  return o;
}

// One now() call: the fastest of 50 batches of 1000 (a shared machine's
// preemptions would inflate a mean, and the cost subtracted must not be).
double clock_cost_ns() {
  double best = 1e9;
  for (int batch = 0; batch < 50; ++batch) {
    const auto start = Clock::now();
    Clock::time_point t{};
    for (int i = 0; i < 1000; ++i) t = std::max(t, Clock::now());
    best = std::min(best, std::chrono::duration<double, std::nano>(t - start).count() / 1000);
  }
  return best;
}

template <class Map>
void measure(Map map, const Options& o) {
  LiveKeys<> keys(o.seed, false);
  keys.fill(map, o.n);
  const double clock_ns = clock_cost_ns();
  double insert_ns = 0, erase_ns = 0, hit_ns = 0, miss_ns = 0;
  double hit_sum = 0, miss_sum = 0, erase_sum = 0, tombstone_sum = 0;
  std::uint64_t sink = 0, absent = 0;
  MapStats warm;
  std::vector<std::uint64_t> picked(kTimed);
  for (std::uint64_t t = 1; t <= o.turnovers; ++t) {
    double ins = 0, era = 0;
    for (std::uint64_t done = 0; done < o.n; done += kBlock) {
      const auto t0 = Clock::now();
      for (std::uint64_t i = 0; i < kBlock; ++i) keys.erase_random(map);
      const auto t1 = Clock::now();
      for (std::uint64_t i = 0; i < kBlock; ++i) keys.insert_fresh(map);
      const auto t2 = Clock::now();
      era += std::chrono::duration<double, std::nano>(t1 - t0).count() - clock_ns;
      ins += std::chrono::duration<double, std::nano>(t2 - t1).count() - clock_ns;
    }
    if (t == 1) {
      warm = map.stats();
      continue;
    }
    insert_ns += ins;
    erase_ns += era;
    const MapStats s = map.stats();
    hit_sum += *s.mean_probe;
    tombstone_sum += static_cast<double>(s.tombstones.value_or(0));
    std::uint64_t misses = 0, erases = 0;
    for (std::uint64_t j = 0; j < kSample; ++j) {
      misses += *map.probe_length(keys.absent(absent + j));
      erases += *map.erase_probe_length(keys.codec()(keys.random_live()));
    }
    miss_sum += static_cast<double>(misses) / kSample;
    erase_sum += static_cast<double>(erases) / kSample;
    for (auto& k : picked) k = keys.codec()(keys.random_live());
    auto start = Clock::now();
    for (const auto k : picked) sink += map.find(k) != nullptr;
    hit_ns += std::chrono::duration<double, std::nano>(Clock::now() - start).count();
    for (std::uint64_t j = 0; j < kTimed; ++j) picked[j] = keys.codec()(keys.absent(absent + kSample + j));
    start = Clock::now();
    for (const auto k : picked) sink += map.find(k) != nullptr;
    miss_ns += std::chrono::duration<double, std::nano>(Clock::now() - start).count();
    absent += kSample + kTimed;
  }
  const MapStats s = map.stats();
  const double rows = static_cast<double>(o.turnovers - 1);
  const double pairs = rows * static_cast<double>(o.n);
  const auto inserts = static_cast<double>(*s.inserts - *warm.inserts);
  const double slots = static_cast<double>(*s.slots);
  std::printf(
      "{\"map\": \"%s\", \"load\": %.6f, \"x\": %.4f, \"n\": %" PRIu64 ", \"slots\": %.0f, "
      "\"turnovers\": %" PRIu64 ", \"seed\": %" PRIu64 ", \"insert_probe\": %.4f, "
      "\"place_probe\": %.4f, \"hit_probe\": %.4f, \"miss_probe\": %.4f, \"erase_probe\": %.4f, "
      "\"insert_ns\": %.2f, \"erase_ns\": %.2f, \"hit_ns\": %.2f, \"miss_ns\": %.2f, "
      "\"tombstones\": %.1f, \"rebuilds_per_turnover\": %.2f, \"clock_ns\": %.2f, \"found\": %" PRIu64
      ", \"rebuild_c\": %s}\n",
      o.map.c_str(), static_cast<double>(o.n) / slots, slots / (slots - static_cast<double>(o.n)),
      o.n, slots, o.turnovers, o.seed,
      static_cast<double>(*s.insert_probes - *warm.insert_probes) / inserts,
      static_cast<double>(*s.place_probes - *warm.place_probes) / inserts, hit_sum / rows,
      miss_sum / rows, erase_sum / rows, insert_ns / pairs, erase_ns / pairs,
      hit_ns / (rows * kTimed), miss_ns / (rows * kTimed), tombstone_sum / rows,
      static_cast<double>(*s.rehashes - *warm.rehashes) / rows, clock_ns, sink,
      o.rebuild_c ? std::to_string(*o.rebuild_c).c_str() : "null");
}

int run(const Options& o) {
  bool fixed = false;
  const bool known = with_strategy(o.map, [&](auto strategy) {
    using Map = typename decltype(strategy)::template map<std::uint64_t, std::uint64_t, StrongHash>;
    if constexpr (requires(const Map& m, std::uint64_t k) {
                    Map::with_live_load(o.n, o.load, StrongHash{});
                    m.erase_probe_length(k);
                  }) {
      fixed = true;
      Map map = Map::with_live_load(o.n, o.load, StrongHash{});
      if (o.rebuild_c) {
        if constexpr (requires { map.policy().set_rebuild_constant(0.25); }) {
          map.policy().set_rebuild_constant(*o.rebuild_c);
          map.clear();  // schedules the first rebuild with the new constant
        } else {
          usage_error("--rebuild-c applies to the graveyard maps, not '" + o.map + "'");
        }
      }
      measure(std::move(map), o);
    }
  });
  if (!known) usage_error("unknown map '" + o.map + "'; valid maps: " + strategy_names());
  if (!fixed) usage_error("'" + o.map + "' has no fixed capacity (--load needs the linear-probing family)");
  return 0;
}

}  // namespace
}  // namespace slotlab::bench

int main(int argc, char** argv) { return slotlab::bench::run(slotlab::bench::parse(argc, argv)); }
