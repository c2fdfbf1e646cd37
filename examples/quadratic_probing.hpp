// quadratic: an example of bringing your own map to slotlab (README, "Compare
// your own map"): open addressing with triangular quadratic probing and
// tombstones, the textbook design google::dense_hash_map made common.
//
//   scripts/slotlab trace --with-map examples/quadratic_probing.hpp --map quadratic ...
//
// Design: a power-of-two array of entries beside one state byte per slot
// (empty, full, tombstone); a key's probe sequence is home, +1, +3, +6, ...
// (offsets i(i+1)/2, which visit every slot of a power-of-two table).
// Deletion: erase destroys the entry and marks its slot a tombstone, so probe
// sequences passing through it stay intact. Reuse: an insert of a new key takes
// the first tombstone on its probe path, after the scan to an empty slot has
// shown the key absent. Rebuild: when live + tombstones would pass 3/4 of the
// slots, every live key moves to a new array -- twice as large if the live keys
// alone pass 3/8, else of the same size (tombstones purged).
// Sources: the triangular sequence is sparsehash's JUMP_(key, num_probes)
// (sparsehash/internal/densehashtable.h); quadratic probing and tombstones as in
// Knuth, TAOCP vol. 3, 6.4 (exercise 20 for the full-period sequence).
// Everything is counted here: the map satisfies SlotMap
// (maps/core/slot_map.hpp) and takes its memory from the CountingAllocator.
#pragma once

#include <algorithm>
#include <bit>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "maps/core/counting_allocator.hpp"
#include "maps/core/map_stats.hpp"
#include "maps/register_strategies.hpp"

namespace example {

template <class K, class V, class Hash, class Eq = std::equal_to<K>,
          class Alloc = slotlab::CountingAllocator<std::pair<const K, V>>>
class QuadraticMap {
  enum State : std::uint8_t { kEmpty, kFull, kTombstone };
  struct Entry { K key; V value; };
  using Traits = std::allocator_traits<Alloc>;
  using EntryAlloc = typename Traits::template rebind_alloc<Entry>;
  using StateAlloc = typename Traits::template rebind_alloc<std::uint8_t>;

 public:
  using key_type = K;
  using mapped_type = V;
  using allocator_type = Alloc;

  explicit QuadraticMap(const Hash& hash = Hash(), const Alloc& alloc = Alloc()) : hash_(hash), alloc_(alloc) {}
  QuadraticMap(const QuadraticMap& o) requires std::copy_constructible<V>
      : hash_(o.hash_), alloc_(Traits::select_on_container_copy_construction(o.alloc_)) {
    allocate(o.cap_);
    for (std::size_t i = 0; i < cap_; ++i)
      if ((state_[i] = o.state_[i]) == kFull) std::construct_at(&entry_[i], o.entry_[i]);
    size_ = o.size_, tombstones_ = o.tombstones_;
    copy_counters(o);
  }
  QuadraticMap(QuadraticMap&& o) noexcept : hash_(o.hash_), alloc_(o.alloc_) { take(o); }
  QuadraticMap& operator=(const QuadraticMap& o) requires std::copy_constructible<V> {
    if (this != &o) *this = QuadraticMap(o);
    return *this;
  }
  QuadraticMap& operator=(QuadraticMap&& o) noexcept {
    if (this != &o) { release(); alloc_ = o.alloc_; take(o); }
    return *this;
  }
  ~QuadraticMap() { release(); }

  template <class Value> bool insert(const K& key, Value&& v) { return put(key, std::forward<Value>(v), false); }
  template <class Value> bool insert_or_assign(const K& key, Value&& v) { return put(key, std::forward<Value>(v), true); }
  V* find(const K& key) { auto i = locate(key).found; return i ? &entry_[*i].value : nullptr; }
  const V* find(const K& key) const { auto i = locate(key).found; return i ? &entry_[*i].value : nullptr; }
  bool erase(const K& key) {
    auto i = locate(key).found;
    if (i) remove_at(*i);
    return i.has_value();
  }
  template <class Pred> std::size_t erase_if(Pred pred) {
    std::size_t n = 0;
    for (std::size_t i = 0; i < cap_; ++i)
      if (state_[i] == kFull && pred(std::as_const(entry_[i].key), std::as_const(entry_[i].value))) remove_at(i), ++n;
    return n;
  }
  bool erase_first() {
    for (std::size_t i = 0; i < cap_; ++i) if (state_[i] == kFull) { remove_at(i); return true; }
    return false;
  }
  std::size_t size() const { return size_; }
  void clear() {
    for (std::size_t i = 0; i < cap_; ++i) if (state_[i] == kFull) std::destroy_at(&entry_[i]);
    std::fill(state_, state_ + cap_, kEmpty);
    size_ = tombstones_ = 0;
  }
  void reserve(std::size_t n) { if ((n + tombstones_) * 4 > cap_ * 3) rebuild(capacity_for(n)); }
  template <class F> void for_each(F&& f) const {
    for (std::size_t i = 0; i < cap_; ++i) if (state_[i] == kFull) f(entry_[i].key, entry_[i].value);
  }
  std::optional<std::uint32_t> probe_length(const K& key) const { return cap_ ? locate(key).probes : 1; }

  slotlab::MapStats stats() const {
    slotlab::MapStats s;
    s.size = size_;
    s.slots = cap_;
    s.bytes = alloc_.ledger()->bytes;
    s.peak_bytes = alloc_.ledger()->peak_bytes;
    s.tombstones = tombstones_;
    s.rehashes = rehashes_;
    s.fresh_slot_inserts = fresh_;
    s.reused_slot_inserts = reused_;
    s.probe_unit = "slots";
    std::uint64_t sum = 0, max = 0;
    for_each([&](const K& k, const V&) { auto p = locate(k).probes; sum += p; max = std::max<std::uint64_t>(max, p); });
    if (size_) s.mean_probe = double(sum) / double(size_), s.max_probe = max;
    return s;
  }
  // The counters agree with the state bytes, an empty slot is left (a miss
  // must end), and every key is found at its own slot (none unreachable,
  // none stored twice).
  std::string check_invariants() const {
    std::size_t full = 0, dead = 0;
    for (std::size_t i = 0; i < cap_; ++i) {
      if (state_[i] > kTombstone) return "slot " + std::to_string(i) + " has a corrupt state byte";
      full += state_[i] == kFull;
      dead += state_[i] == kTombstone;
      if (state_[i] == kFull && locate(entry_[i].key).found != i)
        return "the key in slot " + std::to_string(i) + " is not found there by its own probe";
    }
    if (full != size_) return std::to_string(full) + " full slots but size " + std::to_string(size_);
    if (dead != tombstones_) return std::to_string(dead) + " tombstones but the counter says " + std::to_string(tombstones_);
    if (cap_ && full + dead >= cap_) return "no empty slot is left";
    return {};
  }

 private:
  struct Probe { std::optional<std::size_t> found, insert_at; std::uint32_t probes = 0; };
  // The probe sequence to the key or to the empty slot that proves it absent;
  // insert_at = the first tombstone passed, else that empty slot.
  Probe locate(const K& key) const {
    Probe p;
    if (!cap_) return p;
    const std::size_t mask = cap_ - 1;
    for (std::size_t i = hash_(key) & mask, step = 1;; i = (i + step++) & mask) {
      ++p.probes;
      if (state_[i] == kEmpty) { if (!p.insert_at) p.insert_at = i; return p; }
      if (state_[i] == kTombstone) { if (!p.insert_at) p.insert_at = i; continue; }
      if (Eq{}(entry_[i].key, key)) { p.found = i; p.insert_at.reset(); return p; }
    }
  }
  template <class Value> bool put(const K& key, Value&& v, bool assign) {
    if (auto i = locate(key).found) {
      if (assign) entry_[*i].value = std::forward<Value>(v);
      return false;
    }
    if ((size_ + tombstones_ + 1) * 4 > cap_ * 3) rebuild(capacity_for(size_ + 1));
    const std::size_t i = *locate(key).insert_at;
    if (state_[i] == kTombstone) --tombstones_, ++reused_; else ++fresh_;
    std::construct_at(&entry_[i], Entry{key, V(std::forward<Value>(v))});
    state_[i] = kFull;
    ++size_;
    return true;
  }
  void remove_at(std::size_t i) {
    std::destroy_at(&entry_[i]);
    state_[i] = kTombstone;
    --size_, ++tombstones_;
  }
  static std::size_t capacity_for(std::size_t live) { return std::max<std::size_t>(8, std::bit_ceil(live * 8 / 3 + 1)); }
  void rebuild(std::size_t cap) {
    QuadraticMap fresh(hash_, alloc_);
    fresh.allocate(std::max(cap, cap_));
    for (std::size_t i = 0; i < cap_; ++i) {
      if (state_[i] != kFull) continue;
      const std::size_t j = *fresh.locate(entry_[i].key).insert_at;
      std::construct_at(&fresh.entry_[j], std::move(entry_[i]));
      fresh.state_[j] = kFull;
    }
    const std::uint64_t rehashes = rehashes_ + 1, f = fresh_, r = reused_;
    fresh.size_ = size_;
    *this = std::move(fresh);
    rehashes_ = rehashes, fresh_ = f, reused_ = r;
  }
  void allocate(std::size_t cap) {
    cap_ = cap;
    if (!cap) return;
    entry_ = EntryAlloc(alloc_).allocate(cap);
    state_ = StateAlloc(alloc_).allocate(cap);
    std::fill(state_, state_ + cap, kEmpty);
  }
  void release() {
    if (!cap_) return;
    clear();
    EntryAlloc(alloc_).deallocate(entry_, cap_);
    StateAlloc(alloc_).deallocate(state_, cap_);
    cap_ = 0;
  }
  void take(QuadraticMap& o) {
    entry_ = std::exchange(o.entry_, nullptr), state_ = std::exchange(o.state_, nullptr);
    cap_ = std::exchange(o.cap_, 0), size_ = std::exchange(o.size_, 0), tombstones_ = std::exchange(o.tombstones_, 0);
    copy_counters(o);
  }
  void copy_counters(const QuadraticMap& o) { rehashes_ = o.rehashes_, fresh_ = o.fresh_, reused_ = o.reused_; }

  Hash hash_;
  Alloc alloc_;
  Entry* entry_ = nullptr;
  std::uint8_t* state_ = nullptr;
  std::size_t cap_ = 0, size_ = 0, tombstones_ = 0;
  std::uint64_t rehashes_ = 0, fresh_ = 0, reused_ = 0;
};

struct QuadraticStrategy {
  static constexpr std::string_view name = "quadratic";
  static constexpr std::string_view summary = "example: quadratic probing, tombstones, rebuild at 3/4 (live + tombstones)";
  template <class K, class V, class Hash, class Eq = std::equal_to<K>>
  using map = QuadraticMap<K, V, Hash, Eq>;
};

}  // namespace example

SLOTLAB_REGISTER_STRATEGIES(example::QuadraticStrategy)
