#include "bench/families/family.hpp"

#include <cstdio>

namespace slotlab::bench {

namespace {
// Sizes, hashes and op counts per profile; the runner's time budget rests on them.
//   smoke  seconds in all: the runner's tests
//   quick  every family on every map in under 5 minutes on 2 cores (8 maps):
//          measured 3m00s..3m48s for 8 maps x 3 repetitions on a 2-core VM
//          at load 7..11 (about 1m15s of CPU);
//          the 1.5 s cap bounds what a pathological adversarial pairing costs
//   full   n = 2^10..2^22 for churn, strong and weak hash everywhere; hours
//          (README, "bench": runtime measured per cell and extrapolated)
const std::vector<Profile>& profiles() {
  static const std::vector<Profile> all = {
      {"smoke", {10}, {10}, {10}, {"strong"}, {"weak"}, {0, 1, 4, 16}, 1u << 10, 1u << 11, 2},
      {"quick",
       {10, 12, 14, 16, 18},
       {12, 16},
       {12, 15},
       {"strong"},
       {"strong", "weak"},
       {0, 1, 4, 16},
       1u << 16,
       1u << 18,
       1.5},
      {"full",
       {10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22},
       {12, 16, 20},
       {12, 16, 20},
       {"strong", "weak"},
       {"strong", "weak"},
       {0, 1, 4, 16},
       1u << 20,
       1u << 22,
       30},
  };
  return all;
}
}  // namespace

const Profile* find_profile(std::string_view name) {
  for (const auto& p : profiles())
    if (p.name == name) return &p;
  return nullptr;
}

std::string profile_names() {
  std::string s;
  for (const auto& p : profiles()) s += (s.empty() ? "" : ", ") + p.name;
  return s;
}

std::vector<Family>& families() {
  static std::vector<Family> all;
  return all;
}

benchmark::internal::Benchmark* add(const std::string& name, std::uint64_t ops,
                                    std::function<void(benchmark::State&)> body) {
  return benchmark::RegisterBenchmark(name.c_str(),
                                      [body](benchmark::State& st) { body(st); })
      ->Iterations(static_cast<benchmark::IterationCount>(ops))
      ->Unit(benchmark::kNanosecond);
}

void report_counters(benchmark::State& state, const MapStats& before, const MapStats& after,
                     const OpClock& clock, std::uint64_t ops, std::string_view hash,
                     std::string extra_label) {
  const double wall_ns = clock.wall_ns(), cpu_ns = clock.cpu_ns();
  auto& c = state.counters;
  std::string missing;
  auto unavailable = [&](const char* name) { missing += (missing.empty() ? "" : ",") + std::string(name); };

  c["ns_per_op"] = cpu_ns / static_cast<double>(ops);
  c["wall_ns_per_op"] = wall_ns / static_cast<double>(ops);
  if (after.bytes && after.size) c["bytes_per_key"] = static_cast<double>(*after.bytes) / after.size;
  else unavailable("bytes_per_key");
  if (after.tombstones && after.slots && *after.slots)
    c["tombstone_fraction"] = static_cast<double>(*after.tombstones) / *after.slots;
  else unavailable("tombstone_fraction");
  if (after.overflow_buckets) c["overflow_buckets"] = static_cast<double>(*after.overflow_buckets);
  else unavailable("overflow_buckets");
  if (after.mean_probe) c["mean_probe"] = *after.mean_probe;
  else unavailable("mean_probe");
  if (after.reused_slot_inserts && after.fresh_slot_inserts && before.reused_slot_inserts &&
      before.fresh_slot_inserts) {
    const double reused = static_cast<double>(*after.reused_slot_inserts - *before.reused_slot_inserts);
    const double fresh = static_cast<double>(*after.fresh_slot_inserts - *before.fresh_slot_inserts);
    if (reused + fresh > 0) c["reused_slot_fraction"] = reused / (reused + fresh);
    else unavailable("reused_slot_fraction");
  } else {
    unavailable("reused_slot_fraction");
  }
  if (after.slots && *after.slots) c["load_factor"] = static_cast<double>(after.size) / *after.slots;
  else unavailable("load_factor");
  c["live_keys"] = static_cast<double>(after.size);

  std::string label = "hash=" + std::string(hash);
  if (!after.probe_unit.empty()) label += "; probe unit: " + std::string(after.probe_unit);
  if (!missing.empty()) label += "; n/a: " + missing;
  if (!extra_label.empty()) label += "; " + extra_label;
  state.SetLabel(label);
}

}  // namespace slotlab::bench
