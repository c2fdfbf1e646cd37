// LiveKeys: the workloads every tool shares (../shared/DESIGN.md), written once
// for the trace tool, the benchmark families, and the latency, reuse and cache
// tools:
//   fill         insert n fresh keys into an empty map (no reserve)
//   churn        erase a uniformly random live key + insert a fresh key
//   same_key     erase a random live key and insert the same key again
//   GrowShrink   erase random keys down to n/10, insert fresh keys back up to n
// It remembers the live key ids (a vector: O(1) random pick and removal) and
// draws fresh ids from a KeyStream, so keys are never reused and runs reproduce
// from their seed. Values stored are the key ids.
#pragma once

#include <cstdint>
#include <random>
#include <vector>

#include "bench/workloads/key_codec.hpp"
#include "bench/workloads/key_stream.hpp"

namespace slotlab::bench {

template <class Codec = IntKeys>
class LiveKeys {
 public:
  LiveKeys(std::uint64_t seed, bool colliding_blocks, Codec codec = {})
      : rng_(seed), keys_(seed, colliding_blocks), codec_(std::move(codec)) {}

  template <class Map>
  void fill(Map& map, std::uint64_t n) {
    live_.reserve(live_.size() + n);
    for (std::uint64_t i = 0; i < n; ++i) insert_fresh(map);
  }
  template <class Map>
  void insert_fresh(Map& map) {
    const std::uint64_t id = keys_.next();
    map.insert(codec_(id), id);
    live_.push_back(id);
  }
  template <class Map>
  void erase_random(Map& map) {
    erase_at(map, pick());
  }
  // erase_random in two steps, for tools that look at the victim first.
  std::uint64_t pick_index() { return pick(); }
  template <class Map>
  void erase_at(Map& map, std::uint64_t i) {
    map.erase(codec_(live_[i]));
    live_[i] = live_.back();
    live_.pop_back();
  }
  template <class Map>
  void churn(Map& map) {
    erase_random(map);
    insert_fresh(map);
  }
  template <class Map>
  void same_key(Map& map) {
    const std::uint64_t id = live_[pick()];
    map.erase(codec_(id));
    map.insert(codec_(id), id);
  }

  // A uniformly random live id, and the j-th id no insert will ever use.
  std::uint64_t random_live() { return live_[pick()]; }
  std::uint64_t absent(std::uint64_t j) const { return keys_.absent(j); }
  const std::vector<std::uint64_t>& live() const { return live_; }
  std::uint64_t size() const { return live_.size(); }
  Codec& codec() { return codec_; }
  std::mt19937_64& rng() { return rng_; }

 private:
  std::uint64_t pick() {  // uniform index into live_, Lemire's multiply-shift
    return static_cast<std::uint64_t>(
        (static_cast<unsigned __int128>(rng_()) * live_.size()) >> 64);
  }

  std::mt19937_64 rng_;
  KeyStream keys_;
  Codec codec_;
  std::vector<std::uint64_t> live_;
};

// grow-shrink: alternate phases of erasing to n/10 and refilling to n; each
// op() is one erase or one insert. Starts by shrinking, from a map filled to n.
class GrowShrink {
 public:
  explicit GrowShrink(std::uint64_t n) : n_(n) {}
  template <class Codec, class Map>
  void op(LiveKeys<Codec>& keys, Map& map) {
    if (shrinking_ && keys.size() <= n_ / 10) shrinking_ = false;
    if (!shrinking_ && keys.size() >= n_) shrinking_ = true;
    if (shrinking_) keys.erase_random(map); else keys.insert_fresh(map);
  }

 private:
  std::uint64_t n_;
  bool shrinking_ = true;
};

}  // namespace slotlab::bench
