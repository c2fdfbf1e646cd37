// goswiss: a C++ model of Go's current map, the Swiss-table map of Go 1.24+
// (modelled on the Go 1.26 source, internal/runtime/maps/: map.go, table.go,
// group.go, runtime_fast64.go), faithful enough that its tables, directory,
// capacity, used and tombstones follow the real runtime's under churn.
//
// Modelled functions:
//   map.go    Map.PutSlot, putSlotSmall (putSlotSmallFast64), growToSmall,
//             growToTable, Map.Delete, deleteSmall, Map.Clear, clearSmall,
//             getWithKey(Small), directoryIndex, replaceTable,
//             installTableSplit, NewMap (reserve)
//   table.go  newTable, reset, maxGrowthLeft, getWithKey, PutSlot
//             (runtime_mapassign_fast64's copy of it), uncheckedPutSlot,
//             Delete, pruneTombstones, tombstones, Clear, rehash, grow, split,
//             localDepthMask, probeSeq; Iter.Init, Iter.Next, nextDirIdx,
//             grownKeyElem (goswiss_iteration.hpp)
//   group.go  ctrl bytes and the bitset matches (group.hpp)
//
// Design: a map of up to 8 entries is one group and no table (dirLen == 0);
// the 9th distinct insert (or any insert into a full small map: Go's TODO)
// moves it into one table of 16 slots. A table is an open-addressed array of
// 2^k groups probed triangularly (probeSeq); it grows while used + tombstones
// reach 7/8 of its capacity (growthLeft == 0). Tables serve slices of the hash
// space chosen by its top globalDepth bits (extendible hashing): a table that
// would pass maxTableCapacity (1024 slots) splits into two of 1024 on the next
// hash bit instead of doubling, growing the directory when its localDepth
// equals globalDepth; a directory entry may point to a table that covers
// several entries.
//
// Deletion: in a small map the slot becomes empty at once (no probe sequence
// to keep). In a table, a slot whose group still has an empty slot becomes
// empty again (growthLeft back); in a full group it becomes a tombstone
// (ctrlDeleted), since a probe may pass through that group.
// Reuse: an insert of a new key checks absence to the end of its probe
// sequence (the first group whose first free slot is empty), remembering the
// first group whose first free slot is a tombstone; it takes that tombstone
// without consuming growthLeft, else the empty slot where the probe ended. At
// growthLeft == 0 it first tries pruneTombstones (only with >= 10% of the
// capacity in tombstones, and only if >= 10% can go: tombstones in groups no
// key's probe sequence passes through become empty), then rehashes (grow or
// split: both rebuild without tombstones). Tables never shrink.
//
// Departures from the runtime, all deliberate:
//   - the hash is the harness's hasher xored with a per-map 64-bit seed (Go
//     hashes with its seeded aeshash/memhash): low 7 bits are H2, the rest
//     H1, the top globalDepth bits the directory index, as in Go. An xor
//     permutes groups and tables but cannot separate keys the harness hash
//     makes collide -- a weak hash stays weak.
//   - the seed and iteration offsets come from a per-map wyrand stream seeded
//     from the first key (Go: runtime rand()); the seed is drawn at the first
//     insert and redrawn when used drops to 0 on a delete and on clear(), as
//     in Go (issue 25237). reserve() keeps the seed (make() would draw one).
//   - key/value layout as Go's (interleaved slots), but a std::string key is
//     32 bytes here (16 in Go); keys and values are never indirect (Go makes
//     those over 128 bytes indirect). NaN-like keys (not equal to themselves)
//     do not exist for the harness's key types, so their special cases are
//     left out (clearSeq is kept only as a counter).
//   - the `writing` flag (concurrent-write detection) is not modelled.
//
// SlotMap mapping: insert/insert_or_assign are m[k] = v (PutSlot; insert
// leaves an existing value alone); find is mapaccess; erase is delete; clear
// is clear(m); reserve is make(map, hint) and acts only on an empty map;
// erase_if and erase_first are `for k, v := range m { ... delete(m, k) }` --
// the predicate may even insert into the map (Go allows it): the iterator
// keeps a replaced table alive and looks its keys up in the new ones.
//
// Files: group.hpp (ctrl bytes, bitsets, probeSeq, slot layout), this file
// (Map and table operations), goswiss_rehash.hpp (grow, split, directory,
// pruneTombstones), goswiss_iteration.hpp (Iter), goswiss_inspect.hpp (stats,
// probe_length, check_invariants), goswiss_stats.hpp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "maps/core/asan.hpp"
#include "maps/core/counting_allocator.hpp"
#include "maps/core/hashers.hpp"
#include "maps/core/map_stats.hpp"
#include "maps/strategies/go_swiss/goswiss_stats.hpp"
#include "maps/strategies/go_swiss/group.hpp"

namespace slotlab::goswiss {

struct GoSwissMapTestAccess;  // defined by the tests that look inside or corrupt a map

// table (table.go): one Swiss table. capacity, used and growthLeft are uint16
// in Go (maxTableCapacity fits), and so they are here.
template <class K, class V>
struct Table {
  Group<K, V>* groups = nullptr;
  std::uint64_t length_mask = 0;  // groups - 1
  std::uint16_t used = 0;
  std::uint16_t capacity = 0;
  std::uint16_t growth_left = 0;
  std::uint8_t local_depth = 0;
  std::int64_t index = 0;  // first directory entry; -1 once replaced (stale)

  std::uint16_t max_growth_left() const {  // maxGrowthLeft
    if (capacity <= kGroupSlots) return static_cast<std::uint16_t>(capacity - 1);
    return static_cast<std::uint16_t>(capacity * kMaxAvgGroupLoad / kGroupSlots);
  }
  std::uint16_t tombstones() const {  // tombstones(): capacity*7/8 - used - growthLeft
    return static_cast<std::uint16_t>(capacity * kMaxAvgGroupLoad / kGroupSlots - used - growth_left);
  }
};

template <class K, class V, class Hash, class Eq = std::equal_to<K>,
          class Alloc = CountingAllocator<std::pair<const K, V>>>
class GoSwissMap {
  static_assert(std::is_copy_constructible_v<K>,
                "a table replaced under a running iterator keeps copies of its keys (Go's GC "
                "keeps the old table alive), so keys are copied while one runs");

 public:
  using key_type = K;
  using mapped_type = V;
  using hasher = Hash;
  using key_equal = Eq;
  using allocator_type = Alloc;
  using group_type = Group<K, V>;
  using table_type = Table<K, V>;

  static constexpr std::string_view kProbeUnit =
      "groups (8-slot groups a lookup reads along its probe sequence, the match or the group "
      "with an empty slot that ends it included; 1 for a small map)";

  GoSwissMap() : GoSwissMap(Hash()) {}
  explicit GoSwissMap(const Hash& hash, const Alloc& alloc = Alloc()) : hash_(hash), alloc_(alloc) {}
  GoSwissMap(const GoSwissMap& other) requires std::is_copy_constructible_v<V>
      : GoSwissMap(other, std::allocator_traits<Alloc>::select_on_container_copy_construction(
                              other.get_allocator())) {}
  // dst := make(map[K]V, len(src)); for k, v := range src { dst[k] = v }
  GoSwissMap(const GoSwissMap& other, const Alloc& alloc) requires std::is_copy_constructible_v<V>
      : hash_(other.hash_), eq_(other.eq_), alloc_(alloc) {
    reserve(other.size());
    other.for_each([&](const K& k, const V& v) { insert(k, V(v)); });
  }
  GoSwissMap(GoSwissMap&& other) noexcept
      : hash_(std::move(other.hash_)), eq_(std::move(other.eq_)), alloc_(other.alloc_) {
    take(other);
  }
  GoSwissMap& operator=(const GoSwissMap& other) requires std::is_copy_constructible_v<V> {
    if (this != &other) *this = GoSwissMap(other, get_allocator());  // keeps this map's ledger
    return *this;
  }
  GoSwissMap& operator=(GoSwissMap&& other) noexcept {
    if (this != &other) {
      release();
      hash_ = std::move(other.hash_);
      eq_ = std::move(other.eq_);
      alloc_ = other.alloc_;  // propagate_on_container_move_assignment
      take(other);
    }
    return *this;
  }
  ~GoSwissMap() { release(); }

  Alloc get_allocator() const { return Alloc(alloc_); }

  // --- the SlotMap interface ------------------------------------------------
  template <class Value>
  bool insert(const K& key, Value&& value) {
    return put(key, std::forward<Value>(value), false);
  }
  template <class Value>
  bool insert_or_assign(const K& key, Value&& value) {
    return put(key, std::forward<Value>(value), true);
  }
  V* find(const K& key) {
    const SlotRef s = lookup(key);
    return s.g ? s.g->value(s.i) : nullptr;
  }
  const V* find(const K& key) const {
    const SlotRef s = lookup(key);
    return s.g ? s.g->value(s.i) : nullptr;
  }
  bool erase(const K& key);
  template <class Pred>
  std::size_t erase_if(Pred pred);  // goswiss_iteration.hpp
  bool erase_first();               // goswiss_iteration.hpp
  std::size_t size() const { return used_; }
  void clear();
  void reserve(std::size_t n);
  template <class F>
  void for_each(F&& f) const;  // goswiss_iteration.hpp
  std::optional<std::uint32_t> probe_length(const K& key) const;  // goswiss_inspect.hpp
  MapStats stats() const;                                         // goswiss_inspect.hpp
  std::string check_invariants() const;                           // goswiss_inspect.hpp

  GoSwissStats goswiss_stats() const;  // goswiss_inspect.hpp

 private:
  friend struct GoSwissMapTestAccess;
  struct SlotRef {
    group_type* g = nullptr;
    unsigned i = 0;
  };
  enum class PutResult { kInserted, kExisted, kRehashed };
  struct Iter;  // goswiss_iteration.hpp

  using GroupAlloc = typename std::allocator_traits<Alloc>::template rebind_alloc<group_type>;
  using GroupTraits = std::allocator_traits<GroupAlloc>;
  using TableAlloc = typename std::allocator_traits<Alloc>::template rebind_alloc<table_type>;
  using TableTraits = std::allocator_traits<TableAlloc>;
  using DirAlloc = typename std::allocator_traits<Alloc>::template rebind_alloc<table_type*>;
  using DirTraits = std::allocator_traits<DirAlloc>;

  std::uint64_t hash_of(const K& key) const {
    return static_cast<std::uint64_t>(hash_(key)) ^ seed_;
  }
  // directoryIndex: the top globalDepth bits (a shift by 64 is undefined in C++, hence dirLen 1).
  table_type* table_for(std::uint64_t hash) const {
    return dir_[dir_len_ == 1 ? 0 : hash >> global_shift_];
  }

  // The random stream (see the header): wyrand, as the classic model's fastrand.
  std::uint64_t rand64() {
    rand_state_ += 0xa0761d6478bd642full;
    const auto m = static_cast<unsigned __int128>(rand_state_) * (rand_state_ ^ 0xe7037ed1a0b428dbull);
    return static_cast<std::uint64_t>(m >> 64) ^ static_cast<std::uint64_t>(m);
  }
  void seed_stream(const K& first_key) {
    rand_state_ ^= fmix64(static_cast<std::uint64_t>(hash_(first_key)) + rand_state_);
    seed_ = rand64();
    stream_seeded_ = true;
  }
  void redraw_seed() {
    seed_ = rand64();
    ++counters_.seed_redraws;
  }

  SlotRef lookup(const K& key) const;
  template <class Value>
  bool put(const K& key, Value&& value, bool overwrite);
  template <class Value>
  bool put_small(std::uint64_t hash, const K& key, Value&& value, bool overwrite);
  template <class Value>
  PutResult put_slot(table_type* t, std::uint64_t hash, const K& key, Value&& value, bool overwrite,
                     std::uint64_t& probes);
  bool delete_small(std::uint64_t hash, const K& key);
  bool delete_in_table(table_type* t, std::uint64_t hash, const K& key);

  // Slots: construction, destruction, ASan poisoning.
  template <class Key, class Value>
  static void construct(group_type* g, unsigned i, Key&& key, Value&& value) {
    unpoison_slot(g->key_slot(i), sizeof(K));
    unpoison_slot(g->value_slot(i), sizeof(V));
    ::new (g->key_slot(i)) K(std::forward<Key>(key));
    ::new (g->value_slot(i)) V(std::forward<Value>(value));
  }
  static void destroy(group_type* g, unsigned i) {
    std::destroy_at(g->key(i));
    std::destroy_at(g->value(i));
    poison_slot(g->key_slot(i), sizeof(K));
    poison_slot(g->value_slot(i), sizeof(V));
  }
  static void reset_group(group_type* g) {  // setEmpty, slots poisoned
    g->set_empty();
    poison_slot(g->slots, sizeof g->slots);
  }
  static void destroy_full_slots(group_type* g) {
    for (std::uint64_t m = match_full(g->ctrl_word()); m != 0; m = remove_first(m)) destroy(g, first(m));
  }

  // Allocation (newGroups, newTable, the directory array).
  group_type* allocate_groups(std::uint64_t n) {
    group_type* p = GroupTraits::allocate(alloc_, n);
    for (std::uint64_t j = 0; j < n; ++j) reset_group(::new (static_cast<void*>(p + j)) group_type);
    return p;
  }
  void deallocate_groups(group_type* p, std::uint64_t n) {
    unpoison_slot(p, n * sizeof(group_type));
    GroupTraits::deallocate(alloc_, p, n);
  }
  table_type* new_table(std::uint64_t capacity, std::int64_t index, std::uint8_t local_depth);
  void free_table(table_type* t) {  // destroys what the table still holds
    for (std::uint64_t j = 0; j <= t->length_mask; ++j) destroy_full_slots(t->groups + j);
    deallocate_groups(t->groups, t->length_mask + 1);
    TableAlloc ta(alloc_);
    TableTraits::deallocate(ta, t, 1);
  }
  table_type** allocate_directory(std::uint64_t n) {
    DirAlloc da(alloc_);
    return DirTraits::allocate(da, n);
  }
  void deallocate_directory(table_type** d, std::uint64_t n) {
    DirAlloc da(alloc_);
    DirTraits::deallocate(da, d, n);
  }
  // A replaced table or small group: freed now, or kept until the running
  // iteration ends (it still reads the keys there; their values have moved).
  void retire_table(table_type* t) {
    if (iterating_ > 0) retired_tables_.push_back(t);
    else free_table(t);
  }
  void retire_small_group(group_type* g) {
    if (iterating_ > 0) {
      retired_groups_.push_back(g);
    } else {
      destroy_full_slots(g);
      deallocate_groups(g, 1);
    }
  }
  // Moving one entry into a new table (grow, split, growToTable). Under a
  // running iteration the key is copied, so that the old table still has it.
  template <class Dest>
  void transfer(group_type* from, unsigned i, Dest&& put_into) {
    K& key = *from->key(i);
    if (iterating_ > 0) put_into(static_cast<const K&>(key), std::move(*from->value(i)));
    else put_into(std::move(key), std::move(*from->value(i)));
  }
  template <class Key, class Value>
  void unchecked_put_slot(table_type* t, std::uint64_t hash, Key&& key, Value&& value);

  void grow_to_small();
  void grow_to_table();
  // Rehash (goswiss_rehash.hpp).
  void rehash(table_type* t);
  void grow(table_type* t, std::uint16_t new_capacity);
  void split(table_type* t);
  void replace_table(table_type* nt);
  void install_table_split(table_type* old, table_type* left, table_type* right);
  void prune_tombstones(table_type* t);
  void clear_table(table_type* t);

  // Every distinct table once, in directory order (what Go's loops over the
  // directory do with `entries := 1 << (globalDepth - localDepth)`).
  template <class F>
  void for_each_table(F&& f) const {
    for (std::uint64_t i = 0; i < dir_len_;) {
      table_type* t = dir_[i];
      f(t);
      i += std::uint64_t{1} << (global_depth_ - t->local_depth);
    }
  }

  // Iteration (goswiss_iteration.hpp).
  void iter_init(Iter& it, std::uint64_t entry_offset, std::uint64_t dir_offset) const;
  bool iter_next(Iter& it, const K*& key, const V*& value) const;
  void end_mutating_iteration();

  void release();
  void take(GoSwissMap& o);

  Hash hash_;
  Eq eq_;
  GroupAlloc alloc_;

  // Map
  std::uint64_t used_ = 0;
  std::uint64_t seed_ = 0;
  group_type* small_ = nullptr;  // dirPtr of a small map (dirLen == 0)
  table_type** dir_ = nullptr;   // dirPtr of a map with tables
  std::uint64_t dir_len_ = 0;
  std::uint8_t global_depth_ = 0;
  std::uint8_t global_shift_ = 64;
  bool tombstone_possible_ = false;
  std::uint64_t clear_seq_ = 0;

  int iterating_ = 0;  // mutating iterations running (erase_if, erase_first)
  std::vector<table_type*, typename std::allocator_traits<Alloc>::template rebind_alloc<table_type*>>
      retired_tables_{GroupAlloc(alloc_)};
  std::vector<group_type*, typename std::allocator_traits<Alloc>::template rebind_alloc<group_type*>>
      retired_groups_{GroupAlloc(alloc_)};

  std::uint64_t rand_state_ = 0x5107'1a9e'0060'0002ull;
  bool stream_seeded_ = false;
  GoSwissStats counters_;  // only the cumulative fields are kept here
  std::uint64_t rebuilds_ = 0;  // reserve() rebuilding an empty map
  std::uint64_t insert_probes_ = 0;
  std::uint64_t inserts_ = 0;
};

// --- getWithKey / getWithKeySmall ------------------------------------------------
template <class K, class V, class Hash, class Eq, class Alloc>
auto GoSwissMap<K, V, Hash, Eq, Alloc>::lookup(const K& key) const -> SlotRef {
  if (used_ == 0) return {};
  const std::uint64_t hash = hash_of(key);
  const std::uint8_t h = h2(hash);
  if (dir_len_ == 0) {  // a single group: no probing, no empty-slot check
    for (std::uint64_t m = match_h2(small_->ctrl_word(), h); m != 0; m = remove_first(m))
      if (eq_(*small_->key(first(m)), key)) return {small_, first(m)};
    return {};
  }
  const table_type* t = table_for(hash);
  for (ProbeSeq seq(h1(hash), t->length_mask);; seq.next()) {
    group_type* g = t->groups + seq.offset;
    const std::uint64_t w = g->ctrl_word();
    for (std::uint64_t m = match_h2(w, h); m != 0; m = remove_first(m))
      if (eq_(*g->key(first(m)), key)) return {g, first(m)};
    if (match_empty(w) != 0) return {};  // the end of the probe sequence
  }
}

// --- Map.PutSlot -----------------------------------------------------------------
template <class K, class V, class Hash, class Eq, class Alloc>
template <class Value>
bool GoSwissMap<K, V, Hash, Eq, Alloc>::put(const K& key, Value&& value, bool overwrite) {
  if (!stream_seeded_) [[unlikely]] seed_stream(key);
  const std::uint64_t hash = hash_of(key);
  if (dir_len_ == 0) {
    if (small_ == nullptr) grow_to_small();
    if (used_ < kGroupSlots) return put_small(hash, key, std::forward<Value>(value), overwrite);
    // Can't fit another entry: a full map, even if the key exists (Go's TODO).
    grow_to_table();
  }
  std::uint64_t probes = 0;
  for (;;) {
    const PutResult r = put_slot(table_for(hash), hash, key, std::forward<Value>(value), overwrite, probes);
    if (r == PutResult::kRehashed) continue;  // the table was replaced: find the new one
    if (r == PutResult::kExisted) return false;
    insert_probes_ += probes;
    ++inserts_;
    return true;
  }
}

// putSlotSmall (putSlotSmallFast64): the key's H2 matches, else the first free slot.
template <class K, class V, class Hash, class Eq, class Alloc>
template <class Value>
bool GoSwissMap<K, V, Hash, Eq, Alloc>::put_small(std::uint64_t hash, const K& key, Value&& value,
                                                  bool overwrite) {
  group_type* g = small_;
  const std::uint64_t w = g->ctrl_word();
  for (std::uint64_t m = match_h2(w, h2(hash)); m != 0; m = remove_first(m)) {
    if (eq_(*g->key(first(m)), key)) {
      if (overwrite) *g->value(first(m)) = std::forward<Value>(value);
      return false;
    }
  }
  // No deleted slots in a small map (deleteSmall), so empty-or-deleted = empty.
  const unsigned i = first(match_empty_or_deleted(w));
  construct(g, i, key, std::forward<Value>(value));
  g->ctrl[i] = h2(hash);
  ++used_;
  ++counters_.inserts_into_empty;
  insert_probes_ += 1;
  ++inserts_;
  return true;
}

// table.PutSlot, as runtime_mapassign_fast64 inlines it.
template <class K, class V, class Hash, class Eq, class Alloc>
template <class Value>
auto GoSwissMap<K, V, Hash, Eq, Alloc>::put_slot(table_type* t, std::uint64_t hash, const K& key,
                                                 Value&& value, bool overwrite, std::uint64_t& probes)
    -> PutResult {
  group_type* first_deleted_group = nullptr;
  unsigned first_deleted_slot = 0;
  const std::uint8_t h = h2(hash);
  for (ProbeSeq seq(h1(hash), t->length_mask);; seq.next()) {
    group_type* g = t->groups + seq.offset;
    ++probes;
    const std::uint64_t w = g->ctrl_word();
    for (std::uint64_t m = match_h2(w, h); m != 0; m = remove_first(m)) {
      if (eq_(*g->key(first(m)), key)) {
        if (overwrite) *g->value(first(m)) = std::forward<Value>(value);
        return PutResult::kExisted;
      }
    }
    const std::uint64_t free = match_empty_or_deleted(w);
    if (free == 0) continue;  // nothing but full slots: keep probing
    unsigned i = first(free);
    if (g->ctrl[i] == kCtrlDeleted) {  // remember the first tombstone, keep probing
      if (first_deleted_group == nullptr) {
        first_deleted_group = g;
        first_deleted_slot = i;
      }
      continue;
    }
    // An empty slot: the end of the probe sequence. The key is new.
    const bool into_tombstone = first_deleted_group != nullptr;
    if (into_tombstone) {
      g = first_deleted_group;
      i = first_deleted_slot;
      ++t->growth_left;  // decremented below: reusing a tombstone costs no growth
    }
    if (t->growth_left == 0) prune_tombstones(t);
    if (t->growth_left > 0) {
      construct(g, i, key, std::forward<Value>(value));
      g->ctrl[i] = h;
      --t->growth_left;
      ++t->used;
      ++used_;
      ++(into_tombstone ? counters_.inserts_into_tombstone : counters_.inserts_into_empty);
      return PutResult::kInserted;
    }
    rehash(t);
    return PutResult::kRehashed;
  }
}

// uncheckedPutSlot: a key known to be absent into a table without tombstones.
template <class K, class V, class Hash, class Eq, class Alloc>
template <class Key, class Value>
void GoSwissMap<K, V, Hash, Eq, Alloc>::unchecked_put_slot(table_type* t, std::uint64_t hash, Key&& key,
                                                           Value&& value) {
  for (ProbeSeq seq(h1(hash), t->length_mask);; seq.next()) {
    group_type* g = t->groups + seq.offset;
    const std::uint64_t free = match_empty_or_deleted(g->ctrl_word());
    if (free == 0) continue;
    const unsigned i = first(free);
    construct(g, i, std::forward<Key>(key), std::forward<Value>(value));
    --t->growth_left;
    ++t->used;
    g->ctrl[i] = h2(hash);
    return;
  }
}

// --- Map.Delete, deleteSmall, table.Delete -------------------------------------------
template <class K, class V, class Hash, class Eq, class Alloc>
bool GoSwissMap<K, V, Hash, Eq, Alloc>::erase(const K& key) {
  if (used_ == 0) return false;
  const std::uint64_t hash = hash_of(key);
  bool found;
  if (dir_len_ == 0) {
    found = delete_small(hash, key);
  } else {
    found = delete_in_table(table_for(hash), hash, key);
  }
  if (used_ == 0) redraw_seed();  // https://go.dev/issue/25237
  return found;
}

template <class K, class V, class Hash, class Eq, class Alloc>
bool GoSwissMap<K, V, Hash, Eq, Alloc>::delete_small(std::uint64_t hash, const K& key) {
  group_type* g = small_;
  for (std::uint64_t m = match_h2(g->ctrl_word(), h2(hash)); m != 0; m = remove_first(m)) {
    const unsigned i = first(m);
    if (!eq_(*g->key(i), key)) continue;
    --used_;
    destroy(g, i);
    g->ctrl[i] = kCtrlEmpty;  // one group: a freed slot is reusable at once
    return true;
  }
  return false;
}

template <class K, class V, class Hash, class Eq, class Alloc>
bool GoSwissMap<K, V, Hash, Eq, Alloc>::delete_in_table(table_type* t, std::uint64_t hash, const K& key) {
  const std::uint8_t h = h2(hash);
  for (ProbeSeq seq(h1(hash), t->length_mask);; seq.next()) {
    group_type* g = t->groups + seq.offset;
    const std::uint64_t w = g->ctrl_word();
    for (std::uint64_t m = match_h2(w, h); m != 0; m = remove_first(m)) {
      const unsigned i = first(m);
      if (!eq_(*g->key(i), key)) continue;
      --t->used;
      --used_;
      destroy(g, i);
      // Only a full group can sit in the middle of a probe sequence; a group
      // with an empty slot ends every probe that reaches it.
      if (match_empty(w) != 0) {
        g->ctrl[i] = kCtrlEmpty;
        ++t->growth_left;
      } else {
        g->ctrl[i] = kCtrlDeleted;
        tombstone_possible_ = true;
      }
      return true;
    }
    if (match_empty(w) != 0) return false;
  }
}

// --- growToSmall, growToTable ----------------------------------------------------
template <class K, class V, class Hash, class Eq, class Alloc>
void GoSwissMap<K, V, Hash, Eq, Alloc>::grow_to_small() {
  small_ = allocate_groups(1);
}

template <class K, class V, class Hash, class Eq, class Alloc>
void GoSwissMap<K, V, Hash, Eq, Alloc>::grow_to_table() {
  table_type* t = new_table(2 * kGroupSlots, 0, 0);
  group_type* g = small_;
  for (unsigned i = 0; i < kGroupSlots; ++i) {
    if (!is_full(g->ctrl[i])) continue;
    const std::uint64_t hash = hash_of(*g->key(i));
    transfer(g, i, [&](auto&& k, auto&& v) {
      unchecked_put_slot(t, hash, std::forward<decltype(k)>(k), std::forward<decltype(v)>(v));
    });
  }
  dir_ = allocate_directory(1);
  dir_[0] = t;
  dir_len_ = 1;
  global_depth_ = 0;
  global_shift_ = 64;
  small_ = nullptr;
  retire_small_group(g);
  ++counters_.grows_to_table;
}

// newTable + reset: capacity rounded up to a power of two, at least one group.
template <class K, class V, class Hash, class Eq, class Alloc>
auto GoSwissMap<K, V, Hash, Eq, Alloc>::new_table(std::uint64_t capacity, std::int64_t index,
                                                  std::uint8_t local_depth) -> table_type* {
  if (capacity < kGroupSlots) capacity = kGroupSlots;
  capacity = std::bit_ceil(capacity);
  TableAlloc ta(alloc_);
  table_type* t = ::new (static_cast<void*>(TableTraits::allocate(ta, 1))) table_type;
  t->index = index;
  t->local_depth = local_depth;
  const std::uint64_t groups = capacity / kGroupSlots;
  t->groups = allocate_groups(groups);
  t->length_mask = groups - 1;
  t->capacity = static_cast<std::uint16_t>(capacity);
  t->growth_left = t->max_growth_left();
  return t;
}

// --- Map.Clear, table.Clear, clearSmall --------------------------------------------
template <class K, class V, class Hash, class Eq, class Alloc>
void GoSwissMap<K, V, Hash, Eq, Alloc>::clear() {
  if (used_ == 0 && !tombstone_possible_) return;
  if (dir_len_ == 0) {
    destroy_full_slots(small_);
    reset_group(small_);
  } else {
    for_each_table([&](table_type* t) { clear_table(t); });
    tombstone_possible_ = false;  // the directory is kept, as in Go ("TODO: shrink directory?")
  }
  used_ = 0;
  ++clear_seq_;
  redraw_seed();
}

template <class K, class V, class Hash, class Eq, class Alloc>
void GoSwissMap<K, V, Hash, Eq, Alloc>::clear_table(table_type* t) {
  const std::uint16_t mgl = t->max_growth_left();
  if (t->used == 0 && t->growth_left == mgl) return;  // no entries and no tombstones
  for (std::uint64_t j = 0; j <= t->length_mask; ++j) {
    destroy_full_slots(t->groups + j);
    reset_group(t->groups + j);
  }
  t->used = 0;
  t->growth_left = mgl;
}

// --- NewMap(hint) ------------------------------------------------------------------
// Go sizes a map only at make(map[K]V, hint); reserve() does that to a map
// that holds nothing, and never rebuilds a map whose tables are already as big.
template <class K, class V, class Hash, class Eq, class Alloc>
void GoSwissMap<K, V, Hash, Eq, Alloc>::reserve(std::size_t n) {
  if (used_ != 0 || iterating_ > 0 || n <= kGroupSlots) return;  // small: allocated on first write
  const std::uint64_t target = static_cast<std::uint64_t>(n) * kGroupSlots / kMaxAvgGroupLoad;
  const std::uint64_t dir_size = std::bit_ceil((target + kMaxTableCapacity - 1) / kMaxTableCapacity);
  const std::uint64_t per_table = std::max<std::uint64_t>(
      kGroupSlots, std::bit_ceil(std::max<std::uint64_t>(target / dir_size, 1)));
  std::uint64_t have = 0;
  for_each_table([&](const table_type* t) { have += t->capacity; });
  if (have >= dir_size * per_table) return;
  release();
  global_depth_ = static_cast<std::uint8_t>(std::countr_zero(dir_size));
  global_shift_ = static_cast<std::uint8_t>(64 - global_depth_);
  dir_ = allocate_directory(dir_size);
  dir_len_ = dir_size;
  for (std::uint64_t i = 0; i < dir_size; ++i)
    dir_[i] = new_table(target / dir_size, static_cast<std::int64_t>(i), global_depth_);
  ++rebuilds_;
}

// --- lifetime ------------------------------------------------------------------------
template <class K, class V, class Hash, class Eq, class Alloc>
void GoSwissMap<K, V, Hash, Eq, Alloc>::release() {
  if (small_ != nullptr) {
    destroy_full_slots(small_);
    deallocate_groups(small_, 1);
    small_ = nullptr;
  }
  if (dir_ != nullptr) {
    for (std::uint64_t i = 0; i < dir_len_;) {
      table_type* t = dir_[i];
      i += std::uint64_t{1} << (global_depth_ - t->local_depth);  // read before t is freed
      free_table(t);
    }
    deallocate_directory(dir_, dir_len_);
    dir_ = nullptr;
  }
  dir_len_ = 0;
  global_depth_ = 0;
  global_shift_ = 64;
  used_ = 0;
  tombstone_possible_ = false;
}

template <class K, class V, class Hash, class Eq, class Alloc>
void GoSwissMap<K, V, Hash, Eq, Alloc>::take(GoSwissMap& o) {
  retired_tables_ = decltype(retired_tables_)(alloc_);
  retired_groups_ = decltype(retired_groups_)(alloc_);
  used_ = o.used_;
  seed_ = o.seed_;
  small_ = o.small_;
  dir_ = o.dir_;
  dir_len_ = o.dir_len_;
  global_depth_ = o.global_depth_;
  global_shift_ = o.global_shift_;
  tombstone_possible_ = o.tombstone_possible_;
  clear_seq_ = o.clear_seq_;
  rand_state_ = o.rand_state_;
  stream_seeded_ = o.stream_seeded_;
  counters_ = o.counters_;
  rebuilds_ = o.rebuilds_;
  insert_probes_ = o.insert_probes_;
  inserts_ = o.inserts_;
  o.small_ = nullptr;
  o.dir_ = nullptr;
  o.dir_len_ = 0;
  o.global_depth_ = 0;
  o.global_shift_ = 64;
  o.used_ = 0;
  o.tombstone_possible_ = false;
}

}  // namespace slotlab::goswiss

#include "maps/strategies/go_swiss/goswiss_inspect.hpp"
#include "maps/strategies/go_swiss/goswiss_iteration.hpp"
#include "maps/strategies/go_swiss/goswiss_rehash.hpp"

namespace slotlab {

struct GoSwissStrategy {
  static constexpr std::string_view name = "goswiss";
  static constexpr std::string_view summary =
      "Go 1.24+ Swiss map: empty if the group has room, else tombstone; prune or grow/split at "
      "7/8 (tables <= 1024 slots, extendible-hashing directory)";
  template <class K, class V, class Hash, class Eq = std::equal_to<K>>
  using map = goswiss::GoSwissMap<K, V, Hash, Eq>;
};

}  // namespace slotlab
