// slotlab_stale_pointer: what a pointer kept past erase() sees, for every
// registered map -- the C++ face of the blog post's "hidden bug the race
// detector cannot catch" (../shared/seed/).
//
// Churn at size n (fill, one turnover, then churn: erase a random live key,
// insert a fresh one). Every `stride` ops one erase is tracked: before it, the
// tool keeps p = find(k); after it, and after j = 1, 2, 4, ... J further inserts
// (the reuse distances bench/reuse measures: a freed slot is taken at once by a
// backward-shift map, within a few n inserts by a tombstone map), it classifies
// what p addresses:
//   poisoned     ASan says the 8 value bytes are poisoned (__asan_region_is_poisoned):
//                a read through p is an ASan report. The tool asks before it reads
//                and never dereferences a poisoned address.
//   another_key  unpoisoned, and p is where another live key's value now lives
//                (find(that key) == p): a silent wrong answer no sanitizer sees.
//   dead_value   unpoisoned and still the erased key's value (values are key ids,
//                never reused): the dead entry lingers.
//   other        unpoisoned, neither (cleared, or the allocator gave the bytes to
//                something else).
// Who poisons: absl's raw_hash_set itself (SanitizerPoisonMemoryRegion on erased
// and empty slots); slotlab's in-house maps through maps/core/asan.hpp
// (poison_slot on erase, unpoison before reuse); std::unordered_map's freed node
// and every rebuilt map's freed array are poisoned by ASan's allocator
// (quarantine); tsl::robin_map, boost::unordered_flat_map 1.81 and sparsehash
// carry no annotations.
//
//   slotlab_stale_pointer [--map M] [--n N] [--trials T] [--max-j J] [--seed S]
// Without --map: every registered map. One JSON object on stdout.
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "bench/workloads/live_keys.hpp"
#include "bench/workloads/tool_options.hpp"
#include "maps/core/asan.hpp"

namespace slotlab::bench {
namespace {

const char* const kKinds[] = {"poisoned", "another_key", "dead_value", "other"};
enum Kind { kPoisoned, kAnotherKey, kDeadValue, kOther, kKindCount };

struct Result {
  std::vector<std::uint64_t> checkpoints;
  std::vector<std::uint64_t> counts[kKindCount];
};

std::vector<std::uint64_t> checkpoints_up_to(std::uint64_t max_j) {
  std::vector<std::uint64_t> out{0};
  for (std::uint64_t j = 1; j <= max_j; j *= 2) out.push_back(j);
  return out;
}

template <class Map, class Hash>
Result measure(Hash hash, std::uint64_t n, std::uint64_t trials, std::uint64_t max_j,
               std::uint64_t seed) {
  Map map(hash);
  LiveKeys<> keys(seed, false);
  keys.fill(map, n);
  for (std::uint64_t i = 0; i < n; ++i) keys.churn(map);

  Result r;
  r.checkpoints = checkpoints_up_to(max_j);
  for (auto& c : r.counts) c.assign(r.checkpoints.size(), 0);
  struct Tracked {
    const std::uint64_t* p;
    std::uint64_t id, erased_at;
    std::size_t next;  // index into checkpoints
  };
  std::vector<Tracked> pending;
  auto classify = [&](const Tracked& t) {
#ifdef SLOTLAB_ASAN
    if (__asan_region_is_poisoned(const_cast<std::uint64_t*>(t.p), sizeof *t.p)) return kPoisoned;
#endif
    const std::uint64_t v = *t.p;  // unpoisoned: readable
    if (v == t.id) return kDeadValue;
    const auto* now = map.find(keys.codec()(v));
    return now == t.p ? kAnotherKey : kOther;
  };
  auto look = [&](std::uint64_t inserts) {
    for (std::size_t i = 0; i < pending.size();) {
      Tracked& t = pending[i];
      if (inserts - t.erased_at == r.checkpoints[t.next]) {
        ++r.counts[classify(t)][t.next];
        if (++t.next == r.checkpoints.size()) {
          pending[i] = pending.back();
          pending.pop_back();
          continue;
        }
      }
      ++i;
    }
  };
  const std::uint64_t stride = std::max<std::uint64_t>(1, max_j / trials);
  std::uint64_t inserts = 0, started = 0;
  for (std::uint64_t op = 0; started < trials || !pending.empty(); ++op) {
    const std::uint64_t victim = keys.pick_index();
    if (started < trials && op % stride == 0) {
      const std::uint64_t id = keys.live()[victim];
      const std::uint64_t* p = map.find(keys.codec()(id));
      keys.erase_at(map, victim);
      pending.push_back({p, id, inserts, 0});
      ++started;
      look(inserts);  // j = 0: right after the erase
    } else {
      keys.erase_at(map, victim);
    }
    keys.insert_fresh(map);
    look(++inserts);
  }
  return r;
}

std::string json(const Result& r) {
  std::string s = "{\"counts\": {";
  for (int k = 0; k < kKindCount; ++k) {
    s += std::string(k ? ", " : "") + "\"" + kKinds[k] + "\": [";
    for (std::size_t i = 0; i < r.counts[k].size(); ++i)
      s += (i ? ", " : "") + std::to_string(r.counts[k][i]);
    s += "]";
  }
  return s + "}}";
}

}  // namespace
}  // namespace slotlab::bench

int main(int argc, char** argv) {
  using namespace slotlab::bench;
  ToolOptions o("slotlab_stale_pointer", argc, argv, {"--map", "--n", "--trials", "--max-j", "--seed"});
  if (!slotlab::kAsanPoisoning)
    o.fail("needs the AddressSanitizer build (cmake --preset asan): without ASan a stale "
           "pointer's target cannot be told poisoned from readable");
  const std::string only = o.text("--map", "");
  if (!only.empty()) o.map();  // checks the name
  const std::uint64_t n = o.count("--n", 1024), trials = o.count("--trials", 200),
                      max_j = o.count("--max-j", 16 * n), seed = o.count("--seed", 1, 0);
  std::printf("{\"n\": %llu, \"trials\": %llu, \"max_j\": %llu, \"seed\": %llu, \"checkpoints\": [",
              static_cast<unsigned long long>(n), static_cast<unsigned long long>(trials),
              static_cast<unsigned long long>(max_j), static_cast<unsigned long long>(seed));
  const auto cps = checkpoints_up_to(max_j);
  for (std::size_t i = 0; i < cps.size(); ++i)
    std::printf("%s%llu", i ? ", " : "", static_cast<unsigned long long>(cps[i]));
  std::printf("],\n \"maps\": {");
  bool first = true;
  slotlab::for_each_strategy([&](auto strategy) {
    using S = decltype(strategy);
    if (!only.empty() && S::name != only) return;
    slotlab::with_hasher("strong", [&](auto hash) {
      using Map = typename S::template map<std::uint64_t, std::uint64_t, decltype(hash)>;
      const Result r = measure<Map>(hash, n, trials, max_j, seed);
      std::printf("%s\n  \"%.*s\": %s", first ? "" : ",", static_cast<int>(S::name.size()),
                  S::name.data(), json(r).c_str());
      std::fflush(stdout);
      first = false;
    });
  });
  std::printf("}}\n");
  return 0;
}
