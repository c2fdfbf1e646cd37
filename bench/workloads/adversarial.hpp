// Adversarial erase orders (../shared/DESIGN.md): workloads whose erase pattern
// is chosen by the table's own layout or by time, not uniformly at random. They
// are meant to be crossed with the weak (identity) hash, under which sequential
// and small keys map to neighbouring slots. Each op() is one erase + one insert
// (zipf: one access, which inserts and evicts on a miss), so the size stays n
// (IterationOrderErase: n after every round, n - n/8 at the lowest).
//
//   IterationOrderErase  in rounds of n/8: erase the first n/8 keys in
//                        iteration order (erase_if), then insert n/8 fresh keys.
//                        Empties the front of the slot array while the rest
//                        stays full: tombstone runs and begin() scans.
//   EraseFirst           erase(begin()) (SlotMap::erase_first) + insert fresh.
//   FifoEviction         erase the oldest live key + insert a fresh random key.
//   SlidingWindow        keys are consecutive integers: insert base+n, erase
//                        base. Under the identity hash the live keys occupy a
//                        window of home slots that walks around the table.
//   ZipfAccess           access key r ~ Zipf(s=0.99) over ranks 1..4n; a miss
//                        inserts r and evicts the oldest-inserted key (a FIFO
//                        cache). Ranks are the keys, so hot keys are small
//                        integers: neighbours under the identity hash.
#pragma once

#include <cmath>
#include <cstdint>
#include <deque>
#include <random>

#include "bench/workloads/key_stream.hpp"

namespace slotlab::bench {

// The fill and the fresh inserts every erase order below shares: distinct
// random keys from a KeyStream. Derived::remember(k) sees each inserted key
// (FifoEviction queues them); by default it is a no-op.
template <class Derived>
class FreshKeyInserter {
 public:
  explicit FreshKeyInserter(std::uint64_t seed) : keys_(seed, false) {}
  template <class Map>
  void fill(Map& map, std::uint64_t n) {
    for (std::uint64_t i = 0; i < n; ++i) insert_fresh(map);
  }

 protected:
  template <class Map>
  void insert_fresh(Map& map) {
    const std::uint64_t k = keys_.next();
    map.insert(k, k);
    static_cast<Derived*>(this)->remember(k);
  }
  void remember(std::uint64_t) {}

 private:
  KeyStream keys_;
};

class IterationOrderErase : public FreshKeyInserter<IterationOrderErase> {
 public:
  IterationOrderErase(std::uint64_t n, std::uint64_t seed)
      : FreshKeyInserter(seed), batch_(n / 8 ? n / 8 : 1) {}
  template <class Map>
  void op(Map& map) {
    if (pending_inserts_ == 0) {
      std::uint64_t left = batch_;
      pending_inserts_ = map.erase_if([&](const auto&, const auto&) {
        if (left == 0) return false;
        --left;
        return true;
      });
    }
    insert_fresh(map);
    --pending_inserts_;
  }

 private:
  std::uint64_t batch_;
  std::uint64_t pending_inserts_ = 0;
};

class EraseFirst : public FreshKeyInserter<EraseFirst> {
 public:
  explicit EraseFirst(std::uint64_t seed) : FreshKeyInserter(seed) {}
  template <class Map>
  void op(Map& map) {
    map.erase_first();
    insert_fresh(map);
  }
};

class FifoEviction : public FreshKeyInserter<FifoEviction> {
 public:
  explicit FifoEviction(std::uint64_t seed) : FreshKeyInserter(seed) {}
  template <class Map>
  void op(Map& map) {
    map.erase(queue_.front());
    queue_.pop_front();
    insert_fresh(map);
  }

 private:
  friend FreshKeyInserter;
  void remember(std::uint64_t k) { queue_.push_back(k); }
  std::deque<std::uint64_t> queue_;
};

class SlidingWindow {
 public:
  explicit SlidingWindow(std::uint64_t seed) : base_(seed << 32) , next_(seed << 32) {}
  template <class Map>
  void fill(Map& map, std::uint64_t n) {
    for (std::uint64_t i = 0; i < n; ++i, ++next_) map.insert(next_, next_);
  }
  template <class Map>
  void op(Map& map) {
    map.insert(next_, next_);
    ++next_;
    map.erase(base_);
    ++base_;
  }

 private:
  std::uint64_t base_, next_;
};

class ZipfAccess {
 public:
  static constexpr double kSkew = 0.99;
  ZipfAccess(std::uint64_t n, std::uint64_t seed) : universe_(4 * n), rng_(seed) {
    top_ = std::pow(static_cast<double>(universe_) + 1.0, 1.0 - kSkew) - 1.0;
  }
  template <class Map>
  void fill(Map& map, std::uint64_t n) {
    while (queue_.size() < n) access(map, n);
  }
  template <class Map>
  void op(Map& map) {
    access(map, queue_.size());
  }
  std::uint64_t hits() const { return hits_; }
  std::uint64_t accesses() const { return accesses_; }

 private:
  // Inverse CDF of the continuous power law on [1, universe+1): a close,
  // table-free stand-in for Zipf that costs one pow() per draw.
  std::uint64_t draw() {
    const double u = std::uniform_real_distribution<double>(0.0, 1.0)(rng_);
    const double x = std::pow(u * top_ + 1.0, 1.0 / (1.0 - kSkew));
    const auto r = static_cast<std::uint64_t>(x);
    return r < 1 ? 1 : (r > universe_ ? universe_ : r);
  }
  template <class Map>
  void access(Map& map, std::uint64_t capacity) {
    const std::uint64_t k = draw();
    ++accesses_;
    if (map.find(k)) {
      ++hits_;
      return;
    }
    map.insert(k, k);
    queue_.push_back(k);
    if (queue_.size() > capacity) {
      map.erase(queue_.front());
      queue_.pop_front();
    }
  }
  std::uint64_t universe_;
  std::mt19937_64 rng_;
  double top_ = 0;
  std::deque<std::uint64_t> queue_;
  std::uint64_t hits_ = 0, accesses_ = 0;
};

}  // namespace slotlab::bench
