// slotlab_bench: runs one cell (one family on one map) of the benchmark matrix.
//
//   slotlab_bench --family F --map M [--profile smoke|quick|full] [--seed S]
//                 [Google Benchmark flags: --benchmark_out=..., ...]
//   slotlab_bench --list-families     one "name<TAB>summary" line per family
//   slotlab_bench --list-maps         the registry's names
//
// Bad input: one line on stderr naming the valid choices, exit 2.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "bench/families/family.hpp"

namespace {

[[noreturn]] void usage_error(const std::string& message) {
  std::fprintf(stderr, "slotlab_bench: %s\n", message.c_str());
  std::exit(2);
}

std::string family_names() {
  std::string s;
  for (const auto& f : slotlab::bench::families()) s += (s.empty() ? "" : ", ") + f.name;
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace slotlab::bench;
  benchmark::Initialize(&argc, argv);  // removes its own --benchmark_* flags
  std::string family, map, profile = "quick";
  std::uint64_t seed = 1;
  for (int i = 1; i < argc; ++i) {
    std::string_view flag = argv[i];
    if (flag == "--list-families") {
      for (const auto& f : families()) std::printf("%s\t%s\n", f.name.c_str(), f.summary.c_str());
      return 0;
    }
    if (flag == "--list-maps") {
      std::printf("%s\n", slotlab::strategy_names("\n").c_str());
      return 0;
    }
    if (flag != "--family" && flag != "--map" && flag != "--profile" && flag != "--seed")
      usage_error("unknown option '" + std::string(flag) +
                  "'; valid: --family --map --profile --seed --list-families --list-maps "
                  "and Google Benchmark's --benchmark_* flags");
    if (i + 1 >= argc) usage_error(std::string(flag) + " needs a value");
    const char* value = argv[++i];
    if (flag == "--family") family = value;
    else if (flag == "--map") map = value;
    else if (flag == "--profile") profile = value;
    else {
      char* end = nullptr;
      seed = std::strtoull(value, &end, 10);
      if (*value == '\0' || *end != '\0') usage_error(std::string("--seed wants a whole number, got '") + value + "'");
    }
  }
  const Profile* p = find_profile(profile);
  if (!p) usage_error("unknown profile '" + profile + "'; valid profiles: " + profile_names());
  bool known_map = false;
  slotlab::for_each_strategy([&](auto s) { known_map |= decltype(s)::name == map; });
  if (!known_map)
    usage_error("unknown map '" + map + "'; valid maps: " + slotlab::strategy_names());
  const Family* f = nullptr;
  for (const auto& candidate : families())
    if (candidate.name == family) f = &candidate;
  if (!f) usage_error("unknown family '" + family + "'; valid families: " + family_names());

  benchmark::AddCustomContext("slotlab_profile", p->name);
  benchmark::AddCustomContext("slotlab_family", f->name);
  benchmark::AddCustomContext("slotlab_map", map);
  benchmark::AddCustomContext("slotlab_seed", std::to_string(seed));
  seconds_cap() = p->seconds_cap;
  f->register_benchmarks(Cell{*p, map, seed});
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
