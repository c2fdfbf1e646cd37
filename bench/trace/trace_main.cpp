// slotlab_trace: one workload on one map, printed as a CSV time series.
//
// Workloads (../shared/DESIGN.md has the definitions every tool shares):
//   churn        fill n fresh keys (no reserve); then each op = erase a
//                uniformly random live key + insert a fresh key
//   grow-shrink  fill to n; then cycles of: erase random keys down to n/10,
//                insert fresh keys back up to n; each op = one erase or insert
//   same-key     fill n; each op = erase a random live key, insert it again
// One row after the fill (ops=0), then one every --every ops. Counters are
// cumulative since ops=0; ns_per_op covers the ops of the last window only,
// timed with the checkpoint work (stats, probe sampling) outside the clock.
//
// Bad input: one line on stderr naming the valid choices, exit 2, nothing on
// stdout.
#include <chrono>
#include <cmath>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <unistd.h>

#include "bench/workloads/live_keys.hpp"
#include "maps/core/hashers.hpp"
#include "maps/registry.hpp"

namespace slotlab::bench {
namespace {

constexpr std::string_view kWorkloads = "churn, grow-shrink, same-key";
constexpr std::uint64_t kMissSample = 1024;  // absent keys probed at each checkpoint

[[noreturn]] void usage_error(const std::string& message) {
  std::fprintf(stderr, "slotlab trace: %s\n", message.c_str());
  std::exit(2);
}

struct Options {
  std::string map;
  std::string workload = "churn";
  std::string hash = "strong";
  std::uint64_t n = 100000;
  std::uint64_t ops = 1000000;
  std::uint64_t every = 100000;
  std::uint64_t seed = 1;
  std::optional<double> load;
};

std::uint64_t parse_count(std::string_view flag, const char* text, std::uint64_t min) {
  char* end = nullptr;
  errno = 0;
  const unsigned long long v = std::strtoull(text, &end, 10);
  if (*text == '\0' || *text == '-' || *end != '\0' || errno != 0)
    usage_error(std::string(flag) + " wants a whole number, got '" + text + "'");
  if (v < min)
    usage_error(std::string(flag) + " must be at least " + std::to_string(min) + ", got " + text);
  return v;
}

Options parse(int argc, char** argv) {
  Options o;
  std::map<std::string_view, const char*> given;
  for (int i = 1; i < argc; ++i) {
    std::string_view flag = argv[i];
    if (flag == "--help" || flag == "-h") {
      std::printf(
          "usage: slotlab trace --map NAME [--workload churn|grow-shrink|same-key] [--n N]\n"
          "                     [--ops M] [--every K] [--seed S] [--hash strong|weak|collide]\n"
          "                     [--load A]\n"
          "maps: %s\n"
          "Prints one CSV row after the fill (ops=0), then one every K ops.\n",
          strategy_names().c_str());
      std::exit(0);
    }
    if (flag == "--list-maps") {
      std::printf("%s\n", strategy_names("\n").c_str());
      std::exit(0);
    }
    static constexpr std::string_view kFlags[] = {"--map", "--workload", "--hash", "--n",
                                                  "--ops", "--every", "--seed", "--load"};
    bool known = false;
    for (auto f : kFlags) known |= flag == f;
    if (!known)
      usage_error("unknown option '" + std::string(flag) +
                  "'; valid: --map --workload --n --ops --every --seed --hash --load");
    if (i + 1 >= argc) usage_error(std::string(flag) + " needs a value");
    given[flag] = argv[++i];
  }
  if (!given.count("--map"))
    usage_error("--map is required; valid maps: " + strategy_names());
  o.map = given["--map"];
  bool known_map = false;
  for_each_strategy([&](auto s) { known_map |= decltype(s)::name == o.map; });
  if (!known_map) usage_error("unknown map '" + o.map + "'; valid maps: " + strategy_names());
  if (given.count("--workload")) o.workload = given["--workload"];
  if (o.workload != "churn" && o.workload != "grow-shrink" && o.workload != "same-key")
    usage_error("unknown workload '" + o.workload + "'; valid workloads: " + std::string(kWorkloads));
  if (given.count("--hash")) o.hash = given["--hash"];
  if (!with_hasher(o.hash, [](auto) {}))
    usage_error("unknown hash '" + o.hash + "'; valid hashes: " + std::string(kHasherNames));
  if (given.count("--n")) o.n = parse_count("--n", given["--n"], 1);
  if (given.count("--ops")) o.ops = parse_count("--ops", given["--ops"], 0);
  if (given.count("--every")) o.every = parse_count("--every", given["--every"], 1);
  if (given.count("--seed")) o.seed = parse_count("--seed", given["--seed"], 0);
  if (o.every > o.ops && o.ops > 0)
    usage_error("--every (" + std::to_string(o.every) + ") must not exceed --ops (" +
                std::to_string(o.ops) + ")");
  if (given.count("--load")) {
    char* end = nullptr;
    const double a = std::strtod(given["--load"], &end);
    if (*end != '\0' || !(a > 0.0 && a <= 0.97))
      usage_error(std::string("--load wants a number in (0, 0.97], got '") + given["--load"] + "'");
    o.load = a;
    // A fixed capacity of ceil(n / a) slots, each at least a uint64 key, a
    // uint64 value and a control byte: refuse what this machine cannot hold
    // rather than die in the allocator.
    const double slots = std::ceil(static_cast<double>(o.n) / a);
    const double bytes = slots * (2 * sizeof(std::uint64_t) + 1);
    const double memory = static_cast<double>(sysconf(_SC_PHYS_PAGES)) * static_cast<double>(sysconf(_SC_PAGE_SIZE));
    if (memory > 0 && bytes > memory / 2) {
      char what[200];
      std::snprintf(what, sizeof what, "--load %g with --n %" PRIu64 " needs %.0f slots (%.1f GiB); "
                    "this machine has %.1f GiB of memory", a, o.n, slots, bytes / (1 << 30), memory / (1 << 30));
      usage_error(what);
    }
  }
  return o;
}

// A map built to hold live load `a` with n keys, for strategies that support a
// fixed capacity (the linear-probing family); nullopt for the others.
template <class Map, class Hash>
std::optional<Map> make_map(const Options& o, Hash hash) {
  if (!o.load) return Map(hash);
  if constexpr (requires { Map::with_live_load(o.n, *o.load, hash); }) {
    return Map::with_live_load(o.n, *o.load, hash);
  } else {
    return std::nullopt;
  }
}

std::string cell(const Count& c) { return c ? std::to_string(*c) : std::string(); }
std::string cell(const Ratio& r) {
  if (!r) return {};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4f", *r);
  return buf;
}
Count since(const Count& now, const Count& base) {
  if (!now || !base) return std::nullopt;
  return *now - *base;
}
// Mean of a cumulative per-insert counter over the inserts of the last window.
Ratio per_insert(const Count& now, const Count& last, const MapStats& s, const MapStats& l) {
  if (!now || !last || !s.inserts || !l.inserts || *s.inserts <= *l.inserts) return std::nullopt;
  return static_cast<double>(*now - *last) / static_cast<double>(*s.inserts - *l.inserts);
}

template <class Map>
class Tracer {
 public:
  Tracer(Map map, const Options& o)
      : map_(std::move(map)), o_(o), keys_(o.seed, o.hash == "collide"), grow_shrink_(o.n) {}

  void run() {
    std::printf(
        "ops,size,slots,bytes,peak_bytes,tombstones,overflow_buckets,buckets_log2,"
        "mean_probe,max_probe,insert_probe,miss_probe,reused_slot_inserts,"
        "fresh_slot_inserts,rehashes,ns_per_op,shifted_slots,place_probe,tables,directory_len\n");
    keys_.fill(map_, o_.n);
    base_ = map_.stats();
    last_ = base_;
    row(0, std::nullopt);
    std::uint64_t done = 0;
    while (done < o_.ops) {
      const std::uint64_t window = std::min(o_.every, o_.ops - done);
      const auto start = std::chrono::steady_clock::now();
      for (std::uint64_t i = 0; i < window; ++i) step();
      const auto stop = std::chrono::steady_clock::now();
      done += window;
      const double ns = std::chrono::duration<double, std::nano>(stop - start).count();
      row(done, ns / static_cast<double>(window));
    }
  }

 private:
  void step() {
    if (o_.workload == "churn") keys_.churn(map_);
    else if (o_.workload == "same-key") keys_.same_key(map_);
    else grow_shrink_.op(keys_, map_);
  }

  void row(std::uint64_t ops, std::optional<double> ns_per_op) {
    const MapStats s = map_.stats();
    const Ratio insert_probe = per_insert(s.insert_probes, last_.insert_probes, s, last_);
    const Ratio place_probe = per_insert(s.place_probes, last_.place_probes, s, last_);
    Ratio miss_probe;
    std::uint64_t miss_sum = 0;
    bool miss_ok = true;
    for (std::uint64_t j = 0; j < kMissSample && miss_ok; ++j) {
      auto p = map_.probe_length(keys_.absent(j));
      if (p) miss_sum += *p; else miss_ok = false;
    }
    if (miss_ok) miss_probe = static_cast<double>(miss_sum) / kMissSample;
    std::printf("%" PRIu64 ",%" PRIu64 ",%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s\n", ops,
                s.size, cell(s.slots).c_str(), cell(s.bytes).c_str(), cell(s.peak_bytes).c_str(),
                cell(s.tombstones).c_str(), cell(s.overflow_buckets).c_str(),
                cell(s.buckets_log2).c_str(), cell(s.mean_probe).c_str(),
                cell(s.max_probe).c_str(), cell(insert_probe).c_str(), cell(miss_probe).c_str(),
                cell(since(s.reused_slot_inserts, base_.reused_slot_inserts)).c_str(),
                cell(since(s.fresh_slot_inserts, base_.fresh_slot_inserts)).c_str(),
                cell(since(s.rehashes, base_.rehashes)).c_str(), cell(ns_per_op).c_str(),
                cell(since(s.shifted_slots, base_.shifted_slots)).c_str(), cell(place_probe).c_str(),
                cell(s.tables).c_str(), cell(s.directory_len).c_str());
    std::fflush(stdout);
    last_ = s;
  }

  Map map_;
  const Options& o_;
  LiveKeys<> keys_;
  GrowShrink grow_shrink_;
  MapStats base_, last_;
};

int run(const Options& o) {
  int status = 0;
  with_strategy(o.map, [&](auto strategy) {
    using S = decltype(strategy);
    with_hasher(o.hash, [&](auto hash) {
      using Map = typename S::template map<std::uint64_t, std::uint64_t, decltype(hash)>;
      auto map = make_map<Map>(o, hash);
      if (!map)
        usage_error("--load applies to strategies with a fixed capacity; '" + o.map +
                    "' grows on its own");
      Tracer<Map>(std::move(*map), o).run();
    });
  });
  return status;
}

}  // namespace
}  // namespace slotlab::bench

int main(int argc, char** argv) {
  const auto options = slotlab::bench::parse(argc, argv);
  return slotlab::bench::run(options);
}
