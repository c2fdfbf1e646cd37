// slotlab_reuse: how soon an erased slot holds another key, for any strategy,
// seen from outside through slot addresses (no hook inside the map needed).
//
// Churn at size n (fill, one untimed turnover, then --ops erase+insert pairs).
// Before each erase the tool notes the address find(key) returns -- the slot
// (or, for std, the node) the key lived in -- and the insert count. After each
// insert it looks up the new key's address; if an erased slot is there, that
// slot was reused, at a reuse distance of (inserts since its erase), 1 = the
// very next insert. This is the window in which a stale pointer into the map
// still sees the old, valid-looking key.
//
// A rebuild moves keys, so addresses stop naming slots: every --check ops the
// tool compares stats().rehashes and, on a change, forgets the pending erased
// addresses (counted as invalidated_by_rebuild). Erased slots still pending at
// the end are censored (not reused within the run), not counted as reused.
//
//   slotlab_reuse --map M [--n N] [--ops K] [--hash H] [--seed S] [--check C]
#include <cstdint>
#include <cstdio>
#include <string>
#include <memory_resource>
#include <unordered_map>

#include "bench/workloads/distribution.hpp"
#include "bench/workloads/live_keys.hpp"
#include "bench/workloads/tool_options.hpp"

namespace slotlab::bench {
namespace {

struct ReuseResult {
  std::uint64_t erased = 0, reused = 0, invalidated = 0, censored = 0, rebuilds = 0;
  bool rebuilds_visible = true;
  Distribution distance;
  // Reuses at exactly 1, 2 and 3 inserts: the seed's "a freed slot is reused on
  // the third insert" (validate reuse compares these with the Go runtimes).
  std::uint64_t at_distance[4] = {};
};

template <class Map, class Hash>
ReuseResult measure_reuse(Hash hash, bool collide, std::uint64_t n, std::uint64_t ops,
                          std::uint64_t seed, std::uint64_t check) {
  Map map(hash);
  LiveKeys<> keys(seed, collide);
  keys.fill(map, n);
  for (std::uint64_t i = 0; i < n; ++i) keys.churn(map);

  ReuseResult r;
  auto rehashes = [&] { return map.stats().rehashes; };
  Count last_rehashes = rehashes();
  r.rebuilds_visible = last_rehashes.has_value();
  // erased slot -> insert count at its erase. Its nodes come from a monotonic
  // arena: from the heap they would take the very chunks std::unordered_map's
  // erase just freed and hide the allocator's reuse of them.
  std::pmr::monotonic_buffer_resource arena(64 * (ops + 1024));
  std::pmr::unordered_map<const void*, std::uint64_t> pending(&arena);
  pending.reserve(2 * n);
  std::uint64_t inserts = 0;
  for (std::uint64_t op = 0; op < ops; ++op) {
    // The churn op, taken apart so the victim's address is read before the erase.
    const std::uint64_t victim = keys.pick_index();
    const void* slot = map.find(keys.live()[victim]);
    keys.erase_at(map, victim);
    pending[slot] = inserts;
    ++r.erased;
    keys.insert_fresh(map);
    ++inserts;
    const void* landed = map.find(keys.live().back());
    if (auto it = pending.find(landed); it != pending.end()) {
      ++r.reused;
      r.distance.add(inserts - it->second);
      if (inserts - it->second <= 3) ++r.at_distance[inserts - it->second];
      pending.erase(it);
    }
    if (r.rebuilds_visible && (op + 1) % check == 0) {
      const Count now = rehashes();
      if (now != last_rehashes) {
        r.invalidated += pending.size();
        r.rebuilds += *now - *last_rehashes;
        pending.clear();
        last_rehashes = now;
      }
    }
  }
  r.censored = pending.size();
  return r;
}

}  // namespace
}  // namespace slotlab::bench

int main(int argc, char** argv) {
  using namespace slotlab::bench;
  ToolOptions o("slotlab_reuse", argc, argv, {"--map", "--n", "--ops", "--hash", "--seed", "--check"});
  const std::string map = o.map(), hash_name = o.hash();
  const std::uint64_t n = o.count("--n", 1 << 16), ops = o.count("--ops", 1 << 18),
                      seed = o.count("--seed", 1, 0),
                      check = o.count("--check", std::max<std::uint64_t>(1, n / 8));
  slotlab::with_strategy(map, [&](auto strategy) {
    slotlab::with_hasher(hash_name, [&](auto hash) {
      using Map = typename decltype(strategy)::template map<std::uint64_t, std::uint64_t, decltype(hash)>;
      ReuseResult r = measure_reuse<Map>(hash, hash_name == "collide", n, ops, seed, check);
      const double counted = static_cast<double>(r.erased - r.invalidated);
      std::printf(
          "{\"map\": \"%s\", \"hash\": \"%s\", \"n\": %llu, \"ops\": %llu, \"seed\": %llu,\n"
          " \"method\": \"slot address: find(key) before erase, find(new key) after insert; "
          "churn at size n after one turnover\",\n"
          " \"erased\": %llu, \"reused\": %llu, \"invalidated_by_rebuild\": %llu, "
          "\"censored\": %llu, \"rebuilds\": %s,\n"
          " \"fraction_reused\": %s,\n"
          " \"reuse_distance_unit\": \"inserts (1 = the next insert)\",\n"
          " \"reuse_distance_min\": %u, \"reuse_distance_p10\": %u,\n"
          " \"reuse_at_distance\": {\"1\": %llu, \"2\": %llu, \"3\": %llu},\n"
          " \"reuse_distance\": %s}\n",
          map.c_str(), hash_name.c_str(), static_cast<unsigned long long>(n),
          static_cast<unsigned long long>(ops), static_cast<unsigned long long>(seed),
          static_cast<unsigned long long>(r.erased), static_cast<unsigned long long>(r.reused),
          static_cast<unsigned long long>(r.invalidated),
          static_cast<unsigned long long>(r.censored),
          r.rebuilds_visible ? std::to_string(r.rebuilds).c_str() : "null",
          counted > 0 ? std::to_string(r.reused / counted).c_str() : "null",
          r.distance.quantile(1e-12), r.distance.quantile(0.1),
          static_cast<unsigned long long>(r.at_distance[1]),
          static_cast<unsigned long long>(r.at_distance[2]),
          static_cast<unsigned long long>(r.at_distance[3]), r.distance.json().c_str());
    });
  });
  return 0;
}
