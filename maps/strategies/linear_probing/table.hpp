// The linear-probing table core shared by `backshift`, `tombstone`,
// `graveyard` and their ordered twins (ordered_backshift.hpp,
// ordered_tombstone.hpp, ordered_graveyard.hpp): probing, storage, growth,
// in-place rebuilds, stats, invariant checks and ASan poisoning exist here once. A small deletion-policy type
// (backshift.hpp, tombstone.hpp, graveyard.hpp) decides only what erase does,
// when a same-capacity rebuild is due, how many tombstones a rebuild plants,
// and which metadata layout its erase needs (control.hpp): a byte per slot
// (state or hash tag) for the tombstone policies, a 16-bit word (state or tag,
// and the key's distance from home) for backshift, whose erase reads homes.
//
// Layout: a key/value slot array plus the metadata array. Home slot:
// hash & (capacity-1) for power-of-two capacities (every table that grows on
// its own), Lemire's multiply-shift (hash * capacity) >> 64 otherwise (tables
// built by with_live_load, whose capacity is ceil(n / load) so that the live
// load is exactly what was asked).
// The probe sequence is home, home+1, ... wrapping at the end.
//
// Sizing (the same for all three policies, so that they differ only in deletion):
//   default       capacity a power of two >= 16; grow x2 when live keys would
//                 exceed 3/4 of it (Knuth: unsuccessful search 8.5 slots there);
//                 tombstone policies rebuild in place when live + tombstones would
//                 exceed 7/8, so tombstones get their own 1/8 budget.
//   with_live_load(n, a)
//                 capacity max(16, ceil(n / a)), fixed: with n live keys the load
//                 is a throughout a churn. With f = capacity - n free slots, the
//                 table grows only past n + f/4 live keys; tombstone policies
//                 rebuild in place when live + tombstones would exceed n + f/2.
// Every rebuild keeps at least one empty slot, which ends every probe.
//
// Probe lengths are in slots: a key found at home costs 1; a miss costs the
// slots inspected up to and including the slot that ends the probe.
//
// Ordered layout (a policy with kOrdered = true; Amble and Knuth, "Ordered
// hash tables", Computer Journal 17(2), 1974; the setting of Bender,
// Kuszmaul, Kuszmaul, FOCS 2021): every run keeps its keys AND tombstones
// sorted by home (ties in any order), read off the distances WordControl
// stores -- a tombstone keeps its erased key's distance. So a query stops at
// the first slot homed past its own home (or at an empty slot), and an insert
// puts the key at that ordered position: into the tombstone just before it,
// into the stop slot if that is free, or else it shifts the full slots from
// there forward by one into the next free slot (robin-hood placement). A
// distance saturated at 255 is "unknown": queries never stop at it (always
// safe), inserts ask the key's hash, and a saturated tombstone is left out of
// the order (it never stops a probe). Only where a key goes and where a probe
// may stop differ; the rest of this file is the same code for both layouts.
#pragma once

#include <algorithm>
#include <cmath>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "maps/core/asan.hpp"
#include "maps/core/counting_allocator.hpp"
#include "maps/core/map_stats.hpp"
#include "maps/strategies/linear_probing/control.hpp"

namespace slotlab::linear_probing {

template <class K, class V>
struct Slot {
  template <class KK, class VV>
  Slot(KK&& k, VV&& v) : key(std::forward<KK>(k)), value(std::forward<VV>(v)) {}
  K key;
  V value;
};

template <class K, class V, class Hash, class Eq, class Alloc, class Policy>
class Table {
 public:
  using key_type = K;
  using mapped_type = V;
  using hasher = Hash;
  using key_equal = Eq;
  using allocator_type = Alloc;
  using policy_type = Policy;
  using control_type = typename Policy::Control;

  static constexpr std::size_t kMinCapacity = 16;
  static constexpr bool kOrdered = requires { requires Policy::kOrdered; };
  static_assert(!kOrdered || control_type::kStoresDistance,
                "an ordered run is sorted by home, read off stored distances");

  explicit Table(const Hash& hash = Hash(), const Alloc& alloc = Alloc())
      : hash_(hash), slot_alloc_(alloc), ctrl_alloc_(alloc) {}

  // A table whose capacity keeps n live keys at load `load` (0 < load < 1).
  static Table with_live_load(std::size_t n, double load, const Hash& hash = Hash(),
                              const Alloc& alloc = Alloc()) {
    Table t(hash, alloc);
    t.fixed_live_ = std::max<std::size_t>(n, 1);
    // ceil(n / load), forgiving the rounding of a quotient that is whole (9000 / 0.9).
    const auto wanted = static_cast<std::size_t>(std::ceil(static_cast<double>(n) / load - 1e-9));
    t.allocate(std::max({kMinCapacity, wanted, t.fixed_live_ + 1}));
    t.policy_.after_rebuild(t);
    return t;
  }

  Table(const Table& other) requires std::copy_constructible<K> && std::copy_constructible<V>
      : Table(other, std::allocator_traits<Alloc>::select_on_container_copy_construction(
                         Alloc(other.slot_alloc_))) {}
  Table(const Table& other, const Alloc& alloc)
      : hash_(other.hash_), eq_(other.eq_), slot_alloc_(alloc), ctrl_alloc_(alloc) {
    copy_from(other);
  }
  Table(Table&& other) noexcept
      : hash_(std::move(other.hash_)), eq_(std::move(other.eq_)),
        slot_alloc_(other.slot_alloc_), ctrl_alloc_(other.ctrl_alloc_) {
    steal(other);
  }
  Table& operator=(const Table& other)
    requires std::copy_constructible<K> && std::copy_constructible<V> {
    if (this != &other) {
      release();
      hash_ = other.hash_;
      eq_ = other.eq_;
      copy_from(other);
    }
    return *this;
  }
  Table& operator=(Table&& other) noexcept {
    if (this != &other) {
      release();
      hash_ = std::move(other.hash_);
      eq_ = std::move(other.eq_);
      slot_alloc_ = other.slot_alloc_;  // propagate_on_container_move_assignment
      ctrl_alloc_ = other.ctrl_alloc_;
      steal(other);
    }
    return *this;
  }
  ~Table() { release(); }

  // ---- the SlotMap interface ----------------------------------------------

  template <class Value>
  bool insert(const K& key, Value&& value) {
    return insert_new<false>(key, std::forward<Value>(value));
  }
  template <class Value>
  bool insert_or_assign(const K& key, Value&& value) {
    return insert_new<true>(key, std::forward<Value>(value));
  }
  V* find(const K& key) {
    if (size_ == 0) return nullptr;
    const Lookup l = mask_ != 0 ? lookup(MaskedIndex{mask_}, key, hash_(key)) : lookup_modular(key);
    return l.found ? &slots_[l.index].value : nullptr;
  }
  const V* find(const K& key) const { return const_cast<Table*>(this)->find(key); }

  bool erase(const K& key) {
    if (size_ == 0) return false;
    if (mask_ != 0) [[likely]] return erase_with(MaskedIndex{mask_}, key);
    return erase_modular(key);
  }
  // Visits each slot once, starting just after a slot that ends probes: a
  // backward shift moves keys only towards that start, never past it, so a key
  // shifted into the current slot is examined next and none is examined twice.
  template <class Pred>
  std::size_t erase_if(Pred pred) {
    if (size_ == 0) return 0;
    std::size_t erased = 0;
    std::size_t i = first_probe_end();
    for (std::size_t step = 1; step < capacity_; ++step) {
      i = next(i);
      while (is_full(ctrl_[i]) && pred(std::as_const(slots_[i].key), std::as_const(slots_[i].value))) {
        erase_at(i);
        ++erased;
      }
    }
    return erased;
  }
  bool erase_first() {
    for (std::size_t i = 0; i < capacity_ && size_ != 0; ++i)
      if (is_full(ctrl_[i])) return erase_at(i), true;
    return false;
  }
  std::size_t size() const { return size_; }
  void clear() {
    for (std::size_t i = 0; i < capacity_; ++i)
      if (is_full(ctrl_[i])) vacate(i);
    if (ctrl_) std::memset(ctrl_, kEmpty, (capacity_ + kGroupWidth) * sizeof(Word));
    size_ = 0;
    tombstones_ = 0;
    policy_.after_rebuild(*this);
  }
  void reserve(std::size_t n) {
    if (n <= live_limit_) return;
    std::size_t c = std::max(capacity_, kMinCapacity);
    while (limits_for(c).live < n) c *= 2;
    rehash_to(c);
  }
  template <class F>
  void for_each(F&& f) const {
    for (std::size_t i = 0; i < capacity_; ++i)
      if (is_full(ctrl_[i])) f(std::as_const(slots_[i].key), std::as_const(slots_[i].value));
  }
  std::optional<std::uint32_t> probe_length(const K& key) const {
    if (capacity_ == 0) return 0;  // nothing to inspect
    const Lookup l = with_index([&](auto ix) { return lookup(ix, key, hash_(key)); });
    return static_cast<std::uint32_t>(l.distance + 1);
  }

  // Slots an erase of `key` would inspect: its lookup, plus, for a backward
  // shift, the walk to the slot that ends it (an empty slot; for the ordered
  // layout also a key at home), that slot included. nullopt if absent.
  // A dry run: the op-cost tool samples it without changing the table.
  std::optional<std::uint32_t> erase_probe_length(const K& key) const {
    if (size_ == 0) return std::nullopt;
    const Lookup l = with_index([&](auto ix) { return lookup(ix, key, hash_(key)); });
    if (!l.found) return std::nullopt;
    std::size_t cost = l.distance + 1;
    if constexpr (!Policy::kLeavesTombstones) {
      for (std::size_t j = next(l.index);; j = next(j)) {
        ++cost;
        if (ends_probe(ctrl_[j])) break;
        if constexpr (kOrdered)
          if (control_type::distance(ctrl_[j]) == 0) break;
      }
    }
    return static_cast<std::uint32_t>(cost);
  }

  MapStats stats() const {
    MapStats s;
    s.size = size_;
    s.slots = capacity_;
    const auto& ledger = *slot_alloc_.ledger();
    s.bytes = ledger.bytes;
    s.peak_bytes = ledger.peak_bytes;
    s.tombstones = tombstones_;
    s.rehashes = rehashes_;
    s.fresh_slot_inserts = fresh_inserts_;
    s.reused_slot_inserts = reused_inserts_;
    s.insert_probes = insert_probes_;
    // Every new key fills one free slot, which count_filled books as fresh or reused.
    s.inserts = fresh_inserts_ + reused_inserts_;
    s.shifted_slots = shifted_slots_;
    s.place_probes = place_probes_;
    s.planted_tombstone_fills = planted_fills_;
    s.probe_unit = "slots";
    std::uint64_t sum = 0, max = 0;
    for (std::size_t i = 0; i < capacity_; ++i) {
      if (!is_full(ctrl_[i])) continue;
      const std::uint64_t d = distance(home_of(hash_(slots_[i].key)), i) + 1;
      sum += d;
      max = std::max(max, d);
    }
    if (size_ != 0) {
      s.mean_probe = static_cast<double>(sum) / static_cast<double>(size_);
      s.max_probe = max;
    }
    return s;
  }

  std::string check_invariants() const {
    if (capacity_ == 0) return size_ == 0 && tombstones_ == 0 ? "" : "counts without a slot array";
    for (std::size_t i = 0; i < kGroupWidth; ++i)
      if (ctrl_[capacity_ + i] != ctrl_[i])
        return "mirrored control word " + std::to_string(i) + " differs from the original";
    std::size_t full = 0, tombstones = 0, ends = 0;
    for (std::size_t i = 0; i < capacity_; ++i) {
      const Word c = ctrl_[i];
      if (is_full(c)) ++full;
      else if (is_tombstone(c)) ++tombstones;
      else if (ends_probe(c)) ++ends;
      else return "slot " + std::to_string(i) + " has an unknown control word";
      if (is_tombstone(c) && !Policy::kLeavesTombstones)
        return "slot " + std::to_string(i) + " holds a tombstone, which this policy never leaves";
    }
    if (full != size_)
      return std::to_string(full) + " full slots but size() is " + std::to_string(size_);
    if (tombstones != tombstones_)
      return std::to_string(tombstones) + " tombstones but the counter says " +
             std::to_string(tombstones_);
    if (ends == 0) return "no empty slot left to end a probe";
    for (std::size_t i = 0; i < capacity_; ++i) {
      if (!is_full(ctrl_[i])) continue;
      const std::size_t h = hash_(slots_[i].key);
      if (control_type::tag(ctrl_[i]) != tag_of(h))
        return "slot " + std::to_string(i) + " has a stale hash tag";
      if constexpr (control_type::kStoresDistance) {
        if (ctrl_[i] != control_type::full(tag_of(h), distance(home_of(h), i)))
          return "slot " + std::to_string(i) + " records distance " +
                 std::to_string(control_type::distance(ctrl_[i])) + " from home, but it is " +
                 std::to_string(distance(home_of(h), i));
      }
      for (std::size_t p = home_of(h); p != i; p = next(p))
        if (ends_probe(ctrl_[p]))
          return "key in slot " + std::to_string(i) + " is cut off from its home " +
                 std::to_string(home_of(h)) + " by the empty slot " + std::to_string(p);
      const Lookup l = with_index([&](auto ix) { return lookup(ix, slots_[i].key, h); });
      if (!l.found || l.index != i)
        return "key in slot " + std::to_string(i) + " is also stored in slot " +
               std::to_string(l.index);
    }
    if constexpr (kOrdered) return check_run_order();
    return "";
  }

  allocator_type get_allocator() const { return Alloc(slot_alloc_); }
  // For experiments that tune a policy's constants (graveyard's rebuild interval).
  Policy& policy() { return policy_; }
  std::size_t capacity() const { return capacity_; }
  std::size_t tombstones() const { return tombstones_; }

 private:
  friend Policy;
  using slot_type = Slot<K, V>;
  using AllocTraits = std::allocator_traits<Alloc>;
  using SlotAlloc = typename AllocTraits::template rebind_alloc<slot_type>;
  using Word = typename control_type::Word;
  using Group = typename control_type::Group;
  static constexpr std::size_t kGroupWidth = control_type::kGroupWidth;
  using CtrlAlloc = typename AllocTraits::template rebind_alloc<Word>;
  static constexpr std::size_t npos = ~std::size_t{0};

  struct Lookup {
    std::size_t index;     // the key's slot, or the slot that ended the probe
    std::size_t distance;  // slots from home to index
    bool found;
  };
  struct Spot {
    std::size_t index = 0;    // where a new key goes
    std::size_t scanned = 0;  // slots inspected on the way
    bool found = false;       // the key is already present, at index
  };
  struct Limits {
    std::size_t live, occupancy;
  };
  struct Room {            // ordered layout: where a new element goes
    std::size_t at;        // its slot, vacant on return from ordered_room
    std::size_t consumed;  // the free slot the insertion used up (at, or where the shift ended)
    Word was;              // what `consumed` held
  };

  // ---- probing --------------------------------------------------------------

  // Index arithmetic, chosen once per operation rather than on every step of a
  // probe: a power-of-two capacity -- every table that grows on its own --
  // takes the home from the low bits and wraps with a mask; with_live_load's
  // exact capacities need Lemire's multiply-shift and a compare. find, erase
  // and insert inline the masked arithmetic and call the modular one out of
  // line (*_modular). Against choosing per step (a branch in every home, wrap
  // and distance) this took churn at 2^16 keys from 58.3 to 55.6 ns/op for
  // backshift and 54.7 to 52.6 for tombstone (medians of 9 interleaved runs);
  // inlining both arithmetics instead was slower than either (61.7).
  struct MaskedIndex {
    std::size_t mask;
    std::size_t home(std::size_t hash) const { return hash & mask; }
    std::size_t wrap(std::size_t i) const { return i & mask; }
    std::size_t back(std::size_t i) const { return (i - 1) & mask; }  // the slot before i
    std::size_t distance(std::size_t from, std::size_t to) const { return (to - from) & mask; }
  };
  struct ModularIndex {
    std::size_t capacity;
    std::size_t home(std::size_t hash) const {
      return static_cast<std::size_t>((static_cast<unsigned __int128>(hash) * capacity) >> 64);
    }
    std::size_t wrap(std::size_t i) const { return i >= capacity ? i - capacity : i; }
    std::size_t back(std::size_t i) const { return i == 0 ? capacity - 1 : i - 1; }
    std::size_t distance(std::size_t from, std::size_t to) const {
      return to >= from ? to - from : to + capacity - from;
    }
  };
  template <class F>
  [[gnu::always_inline]] decltype(auto) with_index(F&& f) const {
    if (mask_ != 0) [[likely]] return f(MaskedIndex{mask_});
    return f(ModularIndex{capacity_});
  }
  // The same for code off the hot paths. The home depends on the kind of
  // capacity; wrapping and distances by compare hold for any capacity, and
  // choosing per call instead cost graveyard's rebuild loops ~7% of its churn
  // at load 0.95.
  std::size_t home_of(std::size_t hash) const {
    return with_index([hash](auto ix) { return ix.home(hash); });
  }
  std::size_t wrap(std::size_t i) const { return ModularIndex{capacity_}.wrap(i); }
  std::size_t next(std::size_t i) const { return wrap(i + 1); }
  std::size_t distance(std::size_t from, std::size_t to) const {
    return ModularIndex{capacity_}.distance(from, to);
  }

  template <class Index>
  Lookup lookup(Index ix, const K& key, std::size_t hash) const {
    if constexpr (kOrdered) return ordered_scan(ix, key, hash);
    const std::uint8_t tag = tag_of(hash);
    std::size_t pos = ix.home(hash), offset = 0;
    // The key is most likely at or near home: fetch that slot while the control
    // bytes load, so the two cache misses overlap instead of following each other.
    __builtin_prefetch(slots_ + pos);
    for (;;) {
      const Group g(ctrl_ + pos);
      const std::uint32_t ends = g.probe_ends();
      for (std::uint32_t m = g.match(tag) & below_lowest(ends); m != 0; m &= m - 1) {
        const unsigned b = control_type::slot_at(m);
        const std::size_t i = ix.wrap(pos + b);
        if (eq_(slots_[i].key, key)) return {i, offset + b, true};
      }
      if (ends != 0) {
        const unsigned b = control_type::slot_at(ends);
        return {ix.wrap(pos + b), offset + b, false};
      }
      pos = ix.wrap(pos + kGroupWidth);
      offset += kGroupWidth;
    }
  }

  // One scan for an insert: is the key present, and where would it go? With
  // tombstones the scan still runs to the slot that ends the probe (the key may
  // sit beyond a tombstone) and the key goes to the first tombstone met.
  template <class Index>
  Spot find_or_spot(Index ix, const K& key, std::size_t hash) const {
    const std::uint8_t tag = tag_of(hash);
    std::size_t pos = ix.home(hash), offset = 0, first_tombstone = npos;
    __builtin_prefetch(slots_ + pos, 1);  // a new key is most likely stored at or near home
    for (;;) {
      const Group g(ctrl_ + pos);
      const std::uint32_t ends = g.probe_ends();
      const std::uint32_t before_end = below_lowest(ends);
      for (std::uint32_t m = g.match(tag) & before_end; m != 0; m &= m - 1) {
        const unsigned b = control_type::slot_at(m);
        const std::size_t i = ix.wrap(pos + b);
        if (eq_(slots_[i].key, key)) return {i, offset + b + 1, true};
      }
      if constexpr (Policy::kLeavesTombstones) {
        if (first_tombstone == npos) {
          // Before the probe's end every slot that is not full is a tombstone
          // (of either kind): one movemask, no compare.
          const std::uint32_t t = g.not_full() & before_end;
          if (t != 0) first_tombstone = ix.wrap(pos + control_type::slot_at(t));
        }
      }
      if (ends != 0) {
        const unsigned b = control_type::slot_at(ends);
        const std::size_t index = first_tombstone != npos ? first_tombstone : ix.wrap(pos + b);
        return {index, offset + b + 1, false};
      }
      pos = ix.wrap(pos + kGroupWidth);
      offset += kGroupWidth;
    }
  }

  // The first slot that is not full, from `from` on (every table keeps one).
  template <class Index>
  std::size_t first_not_full(Index ix, std::size_t from) const {
    for (std::size_t pos = from;; pos = ix.wrap(pos + kGroupWidth))
      if (const std::uint32_t m = Group(ctrl_ + pos).not_full(); m != 0)
        return ix.wrap(pos + control_type::slot_at(m));
  }
  std::size_t first_not_full(std::size_t from) const {
    return first_not_full(ModularIndex{capacity_}, from);
  }
  std::size_t first_probe_end() const {
    for (std::size_t i = 0;; ++i)
      if (ends_probe(ctrl_[i])) return i;
  }

  // ---- insert and erase -------------------------------------------------------

  // Forced inline: left to itself GCC calls it out of line from the churn
  // loop; inlined, backshift's churn took ~1% less time at 2^16 and 5-8% less
  // at 2^20 (churn-only slotlab_bench builds, interleaved).
  template <bool kAssign, class Value>
  [[gnu::always_inline]] bool insert_new(const K& key, Value&& value) {
    if (mask_ != 0) [[likely]] {
      return insert_with<kAssign>(MaskedIndex{mask_}, key, std::forward<Value>(value));
    }
    return insert_modular<kAssign>(key, std::forward<Value>(value));
  }
  template <bool kAssign, class Index, class Value>
  [[gnu::always_inline]] bool insert_with(Index ix, const K& key, Value&& value) {
    const std::size_t hash = hash_(key);
    Spot spot;
    if (capacity_ != 0) {
      if constexpr (kOrdered) spot = ordered_spot(ix, key, hash);
      else spot = find_or_spot(ix, key, hash);
      if (spot.found) {
        if constexpr (kAssign) slots_[spot.index].value = std::forward<Value>(value);
        return false;
      }
    }
    if (size_ + 1 > live_limit_ || policy_.wants_rebuild(*this)) [[unlikely]] {
      insert_after_rebuild(hash, spot, key, std::forward<Value>(value));
    } else {
      place(ix, spot, hash, key, std::forward<Value>(value));
    }
    return true;
  }
  // Off the hot path, so that only the power-of-two arithmetic is inlined there.
  template <bool kAssign, class Value>
  [[gnu::noinline]] bool insert_modular(const K& key, Value&& value) {
    return insert_with<kAssign>(ModularIndex{capacity_}, key, std::forward<Value>(value));
  }
  [[gnu::noinline]] bool erase_modular(const K& key) {
    return erase_with(ModularIndex{capacity_}, key);
  }
  [[gnu::noinline]] Lookup lookup_modular(const K& key) const {
    return lookup(ModularIndex{capacity_}, key, hash_(key));
  }
  // Grows, or rebuilds in place, then places the new key (found afresh: the
  // index arithmetic may have changed with the capacity).
  template <class Value>
  [[gnu::noinline]] void insert_after_rebuild(std::size_t hash, Spot spot, const K& key,
                                             Value&& value) {
    if (size_ + 1 > live_limit_) rehash_to(capacity_ == 0 ? kMinCapacity : 2 * capacity_);
    else rebuild_in_place();
    if constexpr (kOrdered) {
      with_index([&](auto ix) {
        Spot again = ordered_spot(ix, key, hash);
        again.scanned += spot.scanned;
        place(ix, again, hash, key, std::forward<Value>(value));
      });
      return;
    }
    spot.index = first_not_full(home_of(hash));
    spot.scanned += distance(home_of(hash), spot.index) + 1;
    with_index([&](auto ix) { place(ix, spot, hash, key, std::forward<Value>(value)); });
  }
  template <class Index, class Value>
  [[gnu::always_inline]] void place(Index ix, const Spot& spot, std::size_t hash, const K& key,
                                    Value&& value) {
    if constexpr (kOrdered) return ordered_place(ix, spot, hash, key, std::forward<Value>(value));
    // Reused means freed by an erase: kFreed or kTombstone. A planted tombstone
    // is room a rebuild set aside, so filling it counts as fresh (and apart).
    // Backshift's spot is kEmpty or kFreed, and telling it so at compile time
    // saved ~1 ns/op of its churn (55.0 vs 56.0 at 2^16, 209 vs 215 at 2^20).
    // Branches, not branch-free counting (counter += was == kEmpty): a
    // predicted branch leaves the counters independent of the control word,
    // which may still be on its way from memory; counted branch-free, every
    // insert's counters waited for it and backshift went 209 -> 225 ns/op at
    // 2^20 (medians of 21 interleaved runs).
    count_filled(ctrl_[spot.index]);
    const std::size_t from_home = ix.distance(ix.home(hash), spot.index);
    occupy(spot.index, key, std::forward<Value>(value));
    set_ctrl(spot.index, control_type::full(tag_of(hash), from_home));
    ++size_;
    insert_probes_ += spot.scanned;
    place_probes_ += from_home + 1;
    policy_.after_update(*this);
  }

  // The books for the free slot a new key took, by what that slot was.
  [[gnu::always_inline]] void count_filled(Word was) {
    if (was == kEmpty) {
      ++fresh_inserts_;
    } else if constexpr (!Policy::kLeavesTombstones) {
      ++reused_inserts_;
    } else {
      if (is_planted(was)) {
        ++fresh_inserts_;
        ++planted_fills_;
      } else {
        ++reused_inserts_;
      }
      if (is_tombstone(was)) --tombstones_;
    }
  }

  template <class Index>
  [[gnu::always_inline]] bool erase_with(Index ix, const K& key) {
    const Lookup l = lookup(ix, key, hash_(key));
    if (!l.found) return false;
    erase_at(ix, l.index);
    return true;
  }
  template <class Index>
  [[gnu::always_inline]] void erase_at(Index ix, std::size_t i) {
    vacate(i);
    --size_;
    policy_.erase_at(*this, ix, i);
    policy_.after_update(*this);
  }
  void erase_at(std::size_t i) {
    with_index([&](auto ix) { erase_at(ix, i); });
  }

  // For policies: the two things an erase can do with the emptied slot.
  // (An ordered layout's tombstone keeps the key's distance: it keeps the
  // key's place in the run's order, so probes still stop at it.)
  void leave_tombstone(std::size_t i) {
    if constexpr (kOrdered) set_ctrl(i, control_type::marked(kTombstone, control_type::distance(ctrl_[i])));
    else set_ctrl(i, kTombstone);
    ++tombstones_;
  }
  // Knuth's Algorithm R (TAOCP vol. 3, 6.4): walk the rest of the cluster and
  // move back into the gap every key whose home is not cyclically in
  // (gap, j]; the last gap becomes empty. The table is left exactly as if the
  // erased key had never been inserted.
  // "Home not in (gap, j]" is "distance from home >= distance from the gap",
  // which one group of control words answers for 8 slots at once
  // (distance_at_least): the walk reads no key that stays, and at the default
  // load an erase passes ~4 full slots but moves ~0.6 keys. Only a saturated
  // distance can be a false candidate; rehashing its key settles it.
  template <class Index>
  void shift_back_into(Index ix, std::size_t gap) {
    static_assert(control_type::kStoresDistance, "Algorithm R reads homes off stored distances");
    std::size_t pos = ix.wrap(gap + 1), offset = 1;  // offset: slots from the gap to pos
    for (;;) {
      const Group g(ctrl_ + pos);
      const std::uint32_t ends = g.probe_ends();
      const std::uint32_t candidates = g.distance_at_least(offset) & below_lowest(ends);
      if (candidates != 0) {
        const std::size_t t = control_type::slot_at(candidates);
        const std::size_t j = ix.wrap(pos + t), from_gap = offset + t;
        const std::size_t from_home = exact_distance(ix, j);
        if (from_home >= from_gap) [[likely]] {
          occupy(gap, std::move(slots_[j]));
          set_ctrl(gap, control_type::full(control_type::tag(ctrl_[j]), from_home - from_gap));
          vacate(j);
          ++shifted_slots_;
          gap = j;
          pos = ix.wrap(j + 1);
          offset = 1;
        } else {  // a saturated key that stays: go on just after it
          pos = ix.wrap(j + 1);
          offset = from_gap + 1;
        }
      } else if (ends != 0) {
        break;
      } else {
        pos = ix.wrap(pos + kGroupWidth);
        offset += kGroupWidth;
      }
    }
    set_ctrl(gap, kFreed);
  }
  // The full slot i's distance from its key's home.
  template <class Index>
  std::size_t exact_distance(Index ix, std::size_t i) const {
    const std::size_t d = control_type::distance(ctrl_[i]);
    return d < control_type::kDistanceCap ? d : ix.distance(ix.home(hash_(slots_[i].key)), i);
  }

  // ---- ordered layout ------------------------------------------------------------

  // The hot ones below are forced inline, as insert_new is: left to itself GCC
  // called ordered_scan, ordered_place and ordered_shift_back out of line from
  // slotlab_bench's churn loop, and ordered_backshift's churn at 2^20 keys
  // took 1.46x robin's time; inlined, 0.99-1.03x (1.07 -> 0.93-0.96 at 2^16;
  // scripts/churn_ratios.py, medians of 7 interleaved rounds). A scratch
  // churn loop built with and without -fno-inline-functions: 277 vs 227
  // ns/op at 2^20, robin 224 either way.

  // A query's scan: stops at the first slot that ends probes or is homed past
  // the key's home (its stored distance is below the slot's offset from our
  // home). A saturated distance never stops it, so it can only run past the
  // exact stop, never short of it: safe for a query; ordered_spot settles the
  // rare case for an insert.
  // A group's tag matches are tried before its stop is worked out: a present
  // key sits before the stop, so a hit -- every erase of the churn -- never
  // needs the homed-past compare, and a miss pays it after its matches, as
  // before. A match between the stop and the probe's end is another key (the
  // order puts ours before the stop): one more compare, for 1 in 128 of the
  // slots there. Stop first, then matches, ordered_backshift's churn took ~3%
  // longer: against robin 1.025 -> 0.987 at 2^20 and 0.968 -> 0.934 at 2^16
  // (scripts/churn_ratios.py, 21 and 15 rounds).
  template <class Index>
  [[gnu::always_inline]] Lookup ordered_scan(Index ix, const K& key, std::size_t hash) const {
    const std::uint8_t tag = tag_of(hash);
    std::size_t pos = ix.home(hash), offset = 0;
    typename control_type::Offsets offsets(0);
    __builtin_prefetch(slots_ + pos);
    for (;;) {
      const Group g(ctrl_ + pos);
      const std::uint32_t ends = g.probe_ends();
      for (std::uint32_t m = g.match(tag) & below_lowest(ends); m != 0; m &= m - 1) {
        const unsigned b = control_type::slot_at(m);
        const std::size_t i = ix.wrap(pos + b);
        if (eq_(slots_[i].key, key)) return {i, offset + b, true};
      }
      if (const std::uint32_t stops = ends | g.homed_past(offsets); stops != 0) {
        const unsigned b = control_type::slot_at(stops);
        return {ix.wrap(pos + b), offset + b, false};
      }
      pos = ix.wrap(pos + kGroupWidth);
      offset += kGroupWidth;
      offsets.next_group();
    }
  }
  // An insert's scan: the query's, and where the key's ordered position is.
  // Only past kDistanceCap slots can a saturated key hide an earlier exact
  // stop; then the slow scan asks the hashes.
  template <class Index>
  [[gnu::always_inline]] Spot ordered_spot(Index ix, const K& key, std::size_t hash) const {
    const Lookup l = ordered_scan(ix, key, hash);
    Spot spot{l.index, l.distance + 1, l.found};
    if (!l.found && l.distance >= control_type::kDistanceCap) [[unlikely]]
      spot.index = ordered_stop(ix.home(hash));
    return spot;
  }
  // The exact ordered position for an element homed at `home`: the first slot
  // that ends probes or holds an element homed past it (saturated tombstones
  // are outside the order and never stop it). Off the hot path: growth,
  // planting and ordered_spot's rare case.
  std::size_t ordered_stop(std::size_t home) const {
    for (std::size_t p = home, offset = 0;; p = next(p), ++offset) {
      const Word c = ctrl_[p];
      if (ends_probe(c)) return p;
      if (is_full(c)) {
        if (with_index([&](auto ix) { return exact_distance(ix, p); }) < offset) return p;
      } else if (control_type::distance(c) < std::min(offset, control_type::kDistanceCap)) {
        return p;
      }
    }
  }
  // Makes room at the ordered position just before `stop`: the tombstone
  // right before it (if allowed: a key may take it, since nothing between
  // the key's home and `stop` is homed past it), else `stop` itself if it is
  // free, else `stop` after the full slots from there on move forward by one
  // into the next free slot -- the order is kept, every moved key one slot
  // further from home.
  // (A policy that leaves no tombstones has none to look for: skipping the
  // look drops a branch on the probe's length from every insert.)
  template <class Index>
  [[gnu::always_inline]] Room ordered_room(Index ix, std::size_t home, std::size_t stop,
                                           bool into_tombstone_before) {
    if constexpr (Policy::kLeavesTombstones) {
      if (into_tombstone_before && stop != home) {
        const std::size_t before = ix.back(stop);
        if (is_tombstone(ctrl_[before])) return {before, before, ctrl_[before]};
      }
    }
    const Word at_stop = ctrl_[stop];
    if (!is_full(at_stop)) return {stop, stop, at_stop};
    const std::size_t free = first_not_full(ix, stop);
    const Word was = ctrl_[free];
    for (std::size_t j = free; j != stop;) {
      const std::size_t from = ix.back(j);
      const Word c = ctrl_[from];
      occupy(j, std::move(slots_[from]));
      set_ctrl(j, control_type::one_further(c));
      vacate(from);
      j = from;
    }
    return {stop, free, was};
  }
  template <class Index, class Value>
  [[gnu::always_inline]] void ordered_place(Index ix, const Spot& spot, std::size_t hash, const K& key,
                                            Value&& value) {
    const std::size_t home = ix.home(hash);
    const Room r = ordered_room(ix, home, spot.index, true);
    count_filled(r.was);
    const std::size_t shifted = ix.distance(r.at, r.consumed);
    occupy(r.at, key, std::forward<Value>(value));
    set_ctrl(r.at, control_type::full(tag_of(hash), ix.distance(home, r.at)));
    ++size_;
    shifted_slots_ += shifted;
    insert_probes_ += spot.scanned + shifted;  // the shift reads every slot it moves
    place_probes_ += ix.distance(home, r.consumed) + 1;
    policy_.after_update(*this);
  }
  // Backward shift on an ordered run (robin hood's deletion): the keys after
  // the gap move back by one up to the first key already at home or the
  // first empty slot -- no key behind either can move closer to home -- so
  // the walk stops there instead of running to the end of the cluster as
  // Algorithm R must.
  template <class Index>
  [[gnu::always_inline]] void ordered_shift_back(Index ix, std::size_t gap) {
    std::size_t pos = ix.wrap(gap + 1), moving = 0;
    for (;;) {
      const Group g(ctrl_ + pos);
      if (const std::uint32_t stops = g.probe_ends() | g.at_home(); stops != 0) {
        moving += control_type::slot_at(stops);
        break;
      }
      pos = ix.wrap(pos + kGroupWidth);
      moving += kGroupWidth;
    }
    for (std::size_t k = 0; k < moving; ++k) {
      const std::size_t j = ix.wrap(gap + 1);
      const Word c = ctrl_[j];
      const Word closer = control_type::distance(c) < control_type::kDistanceCap
                              ? control_type::one_closer(c)
                              : control_type::full(control_type::tag(c), exact_distance(ix, j) - 1);
      occupy(gap, std::move(slots_[j]));
      set_ctrl(gap, closer);
      vacate(j);
      gap = j;
    }
    shifted_slots_ += moving;
    set_ctrl(gap, kFreed);
  }
  // rebuild_in_place on ordered runs: tombstones dropped, every key packed
  // towards its home in one pass. Keys come in home order, so every slot from
  // a key's home up to the last key placed (`written`, in sweep steps) is
  // taken, and every slot between `written` and the key's old slot is free by
  // then: the first free slot from its home is max(home, written + 1). (The
  // unordered table needs its list of holes: a later key may be homed before
  // a gap an earlier one left.) The order is kept.
  void ordered_repack() {
    const std::size_t start = first_probe_end();
    std::size_t written = 0, j = start;
    for (std::size_t step = 1; step < capacity_; ++step) {
      j = next(j);
      const Word c = ctrl_[j];
      if (!is_full(c)) {
        if (c != kEmpty) set_ctrl(j, kEmpty);
        continue;
      }
      const std::size_t home = step - with_index([&](auto ix) { return exact_distance(ix, j); });
      const std::size_t to = std::max(home, written + 1);
      written = to;
      if (to == step) continue;
      const std::size_t p = wrap(start + to);
      occupy(p, std::move(slots_[j]));
      set_ctrl(p, control_type::full(control_type::tag(c), to - home));
      vacate(j);
      set_ctrl(j, kEmpty);
    }
  }
  // Graveyard planting, ordered: the k-th tombstone is an element homed at
  // its evenly spaced slot, merged into the runs at its ordered position. One
  // sweep from a slot that ends probes, like the unordered planting's: homes
  // are counted in sweep steps from there (`step - distance` for the element
  // at step), and two queues, each sorted, hold what waits for a slot -- keys
  // pushed on by an element homed before them, and tombstones already due.
  // Each slot takes the waiting element homed first unless the key in it is
  // homed no later. (One ordered insert per tombstone, shifting its run each
  // time, cost graveyard's churn at load 0.95 several times its rebuilds.)
  template <class PlantedAt>
  void plant_ordered(std::size_t count, PlantedAt planted_at) {
    const std::size_t start = first_probe_end();
    std::size_t first = 0;  // the first tombstone homed at or after the start, in sweep order
    while (first < count && planted_at(first) < start) ++first;
    const auto planted_step = [&](std::size_t j) {  // the j-th due tombstone's home, in steps
      const std::size_t k = first + j < count ? first + j : first + j - count;
      return distance(start, planted_at(k));
    };
    struct Carried {
      Carried(Word c, std::size_t h, slot_type&& s) : ctrl(c), home(h), slot(std::move(s)) {}
      Word ctrl;
      std::size_t home;  // in sweep steps
      slot_type slot;
    };
    using CarryAlloc = typename AllocTraits::template rebind_alloc<Carried>;
    std::deque<Carried, CarryAlloc> keys{CarryAlloc(slot_alloc_)};
    // Tombstones [planted, due) wait for a slot; next_due and first_waiting are
    // their homes in steps, computed once each (a 128-bit division).
    std::size_t due = 0, planted = 0;
    std::size_t next_due = count != 0 ? planted_step(0) : npos, first_waiting = npos;
    for (std::size_t step = 0; step < capacity_ || !keys.empty() || planted < due; ++step) {
      while (next_due <= step) {
        if (planted == due) first_waiting = next_due;
        ++due;
        next_due = due < count ? planted_step(due) : npos;
      }
      if (keys.empty() && planted == due) continue;
      const std::size_t i = wrap(start + step);
      const std::size_t tombstone_home = planted < due ? first_waiting : npos;
      const std::size_t key_home = keys.empty() ? npos : keys.front().home;
      const std::size_t waiting = std::min(tombstone_home, key_home);
      if (is_full(ctrl_[i])) {
        const std::size_t home = step - with_index([&](auto ix) { return exact_distance(ix, i); });
        if (home <= waiting) continue;
        keys.emplace_back(ctrl_[i], home, std::move(slots_[i]));
        vacate(i);
        --size_;
      } else if (is_tombstone(ctrl_[i])) {
        --tombstones_;
      }
      if (key_home <= tombstone_home) {
        occupy(i, std::move(keys.front().slot));
        set_ctrl(i, control_type::full(control_type::tag(keys.front().ctrl), step - key_home));
        ++size_;
        keys.pop_front();
      } else {
        set_ctrl(i, control_type::marked(kPlanted, step - tombstone_home));
        ++tombstones_;
        if (++planted < due) first_waiting = planted_step(planted);
      }
    }
  }
  // Along every run, homes never decrease (saturated tombstones left out), and
  // a tombstone, like a key, is not cut off from its home.
  std::string check_run_order() const {
    const std::size_t start = first_probe_end();
    std::size_t last = npos, last_distance = 0, j = start;
    for (std::size_t step = 1; step < capacity_; ++step) {
      j = next(j);
      const Word c = ctrl_[j];
      if (ends_probe(c)) {
        last = npos;
        continue;
      }
      std::size_t d = control_type::distance(c);
      if (is_full(c)) {
        d = distance(home_of(hash_(slots_[j].key)), j);
      } else if (d >= control_type::kDistanceCap) {
        continue;
      } else {
        for (std::size_t p = wrap(j + capacity_ - d); p != j; p = next(p))
          if (ends_probe(ctrl_[p]))
            return "tombstone in slot " + std::to_string(j) + " is cut off from its home " +
                   std::to_string(wrap(j + capacity_ - d)) + " by the empty slot " +
                   std::to_string(p);
      }
      if (last != npos && d > last_distance + distance(last, j))
        return "slot " + std::to_string(j) + " (home " + std::to_string(wrap(j + capacity_ - d)) +
               ") follows slot " + std::to_string(last) + " (home " +
               std::to_string(wrap(last + capacity_ - last_distance)) +
               "): the run is out of home order";
      last = j;
      last_distance = d;
    }
    return "";
  }

  // ---- rebuilds ------------------------------------------------------------------

  Limits limits_for(std::size_t c) const {
    if (fixed_live_ == 0) return {c / 4 * 3 + (c % 4) * 3 / 4, c - c / 8 - (c % 8 != 0)};
    const std::size_t target = std::min(fixed_live_, c - 1);
    const std::size_t free = c - target;
    const std::size_t occupancy = std::min(c - 1, target + free / 2);
    return {std::min(occupancy, target + free / 4), occupancy};
  }

  // Moves every key into a fresh slot array of `new_capacity` slots.
  void rehash_to(std::size_t new_capacity) {
    Word* old_ctrl = ctrl_;
    slot_type* old_slots = slots_;
    const std::size_t old_capacity = capacity_;
    allocate(new_capacity);
    for (std::size_t i = 0; i < old_capacity; ++i) {
      if (!is_full(old_ctrl[i])) continue;
      const std::size_t home = home_of(hash_(old_slots[i].key));
      std::size_t p;
      if constexpr (kOrdered)
        p = with_index([&](auto ix) { return ordered_room(ix, home, ordered_stop(home), false).at; });
      else p = first_not_full(home);
      occupy(p, std::move(old_slots[i]));
      set_ctrl(p, control_type::full(control_type::tag(old_ctrl[i]), distance(home, p)));
      std::destroy_at(old_slots + i);
    }
    free_arrays(old_ctrl, old_slots, old_capacity);
    ++rehashes_;
    plant_tombstones(policy_.tombstones_to_plant(*this));
    policy_.after_rebuild(*this);
  }

  // Same capacity: tombstones become empty and every key moves to the first
  // free slot from its home. The sweep starts at a slot that ended probes
  // before the rebuild, so each key's home lies in the part already swept and
  // its new slot is never past its old one. `holes` lists, in sweep order, the
  // free slots of the current cluster (converted tombstones and slots vacated
  // by moved keys); a key moves to the first hole at or after its home.
  // (Ordered runs need no list: ordered_repack.)
  void rebuild_in_place() {
    if constexpr (kOrdered) {
      ordered_repack();
    } else {
      const std::size_t start = first_probe_end();
      using HoleAlloc = typename AllocTraits::template rebind_alloc<std::size_t>;
      // A deque: a key often takes the cluster's first hole, and erasing a
      // vector's front is a copy of the rest.
      std::deque<std::size_t, HoleAlloc> holes{HoleAlloc(slot_alloc_)};  // sweep offsets
      std::size_t j = start;
      for (std::size_t step = 1; step < capacity_; ++step) {
        j = next(j);
        const Word c = ctrl_[j];
        if (is_tombstone(c)) {
          set_ctrl(j, kEmpty);
          holes.push_back(step);
        } else if (!is_full(c)) {
          if (c != kEmpty) set_ctrl(j, kEmpty);
          holes.clear();  // an original probe end: no key behind it has its home before it
        } else if (!holes.empty()) {
          const std::size_t home = home_of(hash_(slots_[j].key));
          const auto hole = std::lower_bound(holes.begin(), holes.end(), distance(start, home));
          if (hole == holes.end()) continue;
          const std::size_t p = wrap(start + *hole);
          occupy(p, std::move(slots_[j]));
          set_ctrl(p, control_type::full(control_type::tag(c), distance(home, p)));
          vacate(j);
          set_ctrl(j, kEmpty);
          if (hole == holes.begin()) holes.pop_front();
          else holes.erase(hole);
          holes.push_back(step);
        }
      }
    }
    tombstones_ = 0;
    ++rehashes_;
    plant_tombstones(policy_.tombstones_to_plant(*this));
    policy_.after_rebuild(*this);
  }

  // Graveyard hashing's planted tombstones: `count` tombstones at the evenly
  // spaced slots floor(k * capacity / count), laid out as if they had been
  // inserted before the keys -- keys in their way move forward (in order,
  // through a small carry queue) to the next slot that is not a planted one.
  // Moving a key forward within its cluster keeps it reachable.
  void plant_tombstones(std::size_t count) {
    if (count == 0) return;
    count = std::min(count, capacity_ - size_ - tombstones_ - 1);
    if (count == 0) return;
    const auto planted_at = [&](std::size_t k) {
      return static_cast<std::size_t>(static_cast<unsigned __int128>(k) * capacity_ / count);
    };
    if constexpr (kOrdered) return plant_ordered(count, planted_at);
    const std::size_t start = first_probe_end();
    std::size_t k = 0;
    while (k < count && planted_at(k) <= start) ++k;
    if (k == count) k = 0;
    struct Carried {
      Carried(Word c, slot_type&& s) : ctrl(c), slot(std::move(s)) {}
      Word ctrl;
      slot_type slot;
    };
    using CarryAlloc = typename AllocTraits::template rebind_alloc<Carried>;
    std::deque<Carried, CarryAlloc> carry{CarryAlloc(slot_alloc_)};
    std::size_t planted = 0, i = start, plant_here = planted_at(k);
    for (std::size_t step = 0; step < capacity_ || !carry.empty(); ++step) {
      i = next(i);
      if (planted < count && i == plant_here) {
        if (is_full(ctrl_[i])) {
          carry.emplace_back(ctrl_[i], std::move(slots_[i]));
          vacate(i);
          --size_;
        } else if (is_tombstone(ctrl_[i])) {
          --tombstones_;
        }
        set_ctrl(i, kPlanted);
        ++tombstones_;
        ++planted;
        k = k + 1 == count ? 0 : k + 1;
        plant_here = planted_at(k);
        continue;
      }
      if (carry.empty() || is_tombstone(ctrl_[i])) continue;
      if (is_full(ctrl_[i])) {
        carry.emplace_back(ctrl_[i], std::move(slots_[i]));
        vacate(i);
        --size_;
      }
      occupy(i, std::move(carry.front().slot));
      std::size_t from_home = 0;  // rehashed only for a layout that stores it
      if constexpr (control_type::kStoresDistance)
        from_home = distance(home_of(hash_(slots_[i].key)), i);
      set_ctrl(i, control_type::full(control_type::tag(carry.front().ctrl), from_home));
      ++size_;
      carry.pop_front();
    }
  }

  // ---- storage -----------------------------------------------------------------

  void set_ctrl(std::size_t i, Word c) {
    ctrl_[i] = c;
    if (i < kGroupWidth) ctrl_[capacity_ + i] = c;
  }
  template <class... Args>
  void occupy(std::size_t i, Args&&... args) {
    unpoison_slot(slots_ + i, sizeof(slot_type));
    std::construct_at(slots_ + i, std::forward<Args>(args)...);
  }
  void vacate(std::size_t i) {
    std::destroy_at(slots_ + i);
    poison_slot(slots_ + i, sizeof(slot_type));
  }

  // New, empty arrays of `capacity` slots (the old ones are the caller's).
  void allocate(std::size_t capacity) {
    ctrl_ = std::allocator_traits<CtrlAlloc>::allocate(ctrl_alloc_, capacity + kGroupWidth);
    std::memset(ctrl_, kEmpty, (capacity + kGroupWidth) * sizeof(Word));
    slots_ = std::allocator_traits<SlotAlloc>::allocate(slot_alloc_, capacity);
    poison_slot(slots_, capacity * sizeof(slot_type));
    capacity_ = capacity;
    mask_ = (capacity & (capacity - 1)) == 0 ? capacity - 1 : 0;
    tombstones_ = 0;
    const Limits l = limits_for(capacity);
    live_limit_ = l.live;
    occupancy_limit_ = l.occupancy;
  }
  void free_arrays(Word* ctrl, slot_type* slots, std::size_t capacity) {
    if (ctrl == nullptr) return;
    unpoison_slot(slots, capacity * sizeof(slot_type));
    std::allocator_traits<SlotAlloc>::deallocate(slot_alloc_, slots, capacity);
    std::allocator_traits<CtrlAlloc>::deallocate(ctrl_alloc_, ctrl, capacity + kGroupWidth);
  }
  void release() {
    for (std::size_t i = 0; i < capacity_; ++i)
      if (is_full(ctrl_[i])) std::destroy_at(slots_ + i);
    free_arrays(ctrl_, slots_, capacity_);
    ctrl_ = nullptr;
    slots_ = nullptr;
    capacity_ = mask_ = size_ = tombstones_ = live_limit_ = occupancy_limit_ = 0;
  }
  void copy_from(const Table& other) {
    fixed_live_ = other.fixed_live_;
    if (other.capacity_ != 0) {
      allocate(other.capacity_);
      std::memcpy(ctrl_, other.ctrl_, (capacity_ + kGroupWidth) * sizeof(Word));
      for (std::size_t i = 0; i < capacity_; ++i)
        if (is_full(ctrl_[i])) occupy(i, other.slots_[i]);
    }
    size_ = other.size_;
    tombstones_ = other.tombstones_;
    copy_counters(other);
  }
  void steal(Table& other) {
    ctrl_ = std::exchange(other.ctrl_, nullptr);
    slots_ = std::exchange(other.slots_, nullptr);
    capacity_ = std::exchange(other.capacity_, 0);
    mask_ = std::exchange(other.mask_, 0);
    size_ = std::exchange(other.size_, 0);
    tombstones_ = std::exchange(other.tombstones_, 0);
    live_limit_ = std::exchange(other.live_limit_, 0);
    occupancy_limit_ = std::exchange(other.occupancy_limit_, 0);
    fixed_live_ = other.fixed_live_;
    copy_counters(other);
  }
  void copy_counters(const Table& other) {
    policy_ = other.policy_;
    rehashes_ = other.rehashes_;
    fresh_inserts_ = other.fresh_inserts_;
    reused_inserts_ = other.reused_inserts_;
    insert_probes_ = other.insert_probes_;
    shifted_slots_ = other.shifted_slots_;
    place_probes_ = other.place_probes_;
    planted_fills_ = other.planted_fills_;
  }

  Word* ctrl_ = nullptr;
  slot_type* slots_ = nullptr;
  std::size_t capacity_ = 0;
  std::size_t mask_ = 0;  // capacity - 1 for power-of-two capacities, else 0
  std::size_t size_ = 0;
  std::size_t tombstones_ = 0;
  std::size_t live_limit_ = 0;       // more live keys than this: grow
  std::size_t occupancy_limit_ = 0;  // tombstone policies: more live + tombstones: rebuild
  std::size_t fixed_live_ = 0;       // with_live_load's n; 0 for tables that size themselves
  [[no_unique_address]] Hash hash_;
  [[no_unique_address]] Eq eq_;
  SlotAlloc slot_alloc_;
  CtrlAlloc ctrl_alloc_;
  [[no_unique_address]] Policy policy_;
  std::uint64_t rehashes_ = 0;
  std::uint64_t fresh_inserts_ = 0;
  std::uint64_t reused_inserts_ = 0;
  std::uint64_t insert_probes_ = 0;
  std::uint64_t shifted_slots_ = 0;
  std::uint64_t place_probes_ = 0;
  std::uint64_t planted_fills_ = 0;
};

}  // namespace slotlab::linear_probing
