// Adversarial erase orders (bench/workloads/adversarial.hpp), crossed with the
// profile's adversarial hashes (the weak identity hash always): one op = one
// erase + one insert (zipf: one access; a miss inserts and evicts), measured
// from the fill for the profile's op count.
#include "bench/families/family.hpp"
#include "bench/workloads/adversarial.hpp"

namespace slotlab::bench {
namespace {

template <class Make>
void register_adversarial(const Cell& cell, const std::string& family, const std::string& label,
                          Make make_workload) {
  for_cell_maps(cell, cell.profile.adversarial_hashes,
                [&](auto strategy, auto hash, const std::string& h) {
                  using Map = MapOf<decltype(strategy), decltype(hash)>;
                  for (unsigned lg : cell.profile.log2) {
                    const std::uint64_t n = 1ull << lg, ops = cell.profile.ops(n),
                                        seed = cell.seed;
                    add(bench_name(family, cell.map, h, n), ops, [=](benchmark::State& st) {
                      Map map(hash);
                      auto workload = make_workload(n, seed);
                      workload.fill(map, n);
                      measure(st, map, ops, h, [&] { workload.op(map); }, label);
                    });
                  }
                });
}

const FamilyRegistrar erase_iteration_order(
    "erase_iteration_order", "erase the first n/8 keys in iteration order, insert n/8, repeat",
    [](const Cell& c) {
      register_adversarial(c, "erase_iteration_order", "rounds of n/8 erase_if + n/8 inserts",
                           [](std::uint64_t n, std::uint64_t s) { return IterationOrderErase(n, s); });
    });
const FamilyRegistrar erase_first(
    "erase_first", "erase(begin()) + insert fresh", [](const Cell& c) {
      register_adversarial(c, "erase_first", "op = erase_first + insert fresh",
                           [](std::uint64_t, std::uint64_t s) { return EraseFirst(s); });
    });
const FamilyRegistrar fifo_eviction(
    "fifo_eviction", "erase the oldest key + insert fresh random", [](const Cell& c) {
      register_adversarial(c, "fifo_eviction", "op = erase oldest + insert fresh",
                           [](std::uint64_t, std::uint64_t s) { return FifoEviction(s); });
    });
const FamilyRegistrar sliding_window(
    "sliding_window", "consecutive integer keys: insert base+n, erase base", [](const Cell& c) {
      register_adversarial(c, "sliding_window", "op = insert base+n + erase base",
                           [](std::uint64_t, std::uint64_t s) { return SlidingWindow(s); });
    });
const FamilyRegistrar zipf(
    "zipf", "Zipf(0.99) accesses over 4n keys, FIFO cache of n", [](const Cell& c) {
      register_adversarial(c, "zipf", "op = 1 access; miss inserts + evicts oldest",
                           [](std::uint64_t n, std::uint64_t s) { return ZipfAccess(n, s); });
    });

}  // namespace
}  // namespace slotlab::bench
