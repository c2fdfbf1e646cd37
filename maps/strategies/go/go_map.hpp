// go: a C++ model of Go 1.19's classic runtime map (runtime/map.go and
// map_fast64.go; the same design ships in Go 1.19-1.23), faithful enough that
// its overflow-bucket counter follows the real runtime's under churn
// (scripts/slotlab validate go checks that against a real Go map).
//
// Deletion and reuse (mapdelete): the key and value are destroyed and the
// slot's tophash becomes emptyOne; if nothing live follows it in the bucket
// chain, the trailing run of emptyOne slots becomes emptyRest, walking
// backwards across overflow buckets. There is no free list: an insert
// (mapassign) scans its key's chain, stops at the first emptyRest, and puts a
// new key in the first empty slot of either kind it passed; with none, it
// links an overflow bucket (a preallocated one from makeBucketArray first).
// Overflow buckets are never unlinked; the only rebuild is growth, started by
// an insert of a new key: doubling when count > 6.5 per bucket, a same-size
// grow when noverflow >= 2^min(B,15). Evacuation is incremental: each write
// moves the old bucket it is about to touch plus the next in order.
//
// Hash: the harness's hasher gives 64 bits; the model xors in a per-map 64-bit
// seed (hash0), then uses the result as Go uses its hash: low B bits pick the
// bucket, the top 8 bits (bumped by minTopHash) are the tophash. The seed is
// drawn at construction and re-drawn whenever count drops to 0 (Go issue
// 25237) and on clear(). An xor permutes buckets and tophash values but cannot
// separate keys the harness hash makes collide -- the harness owns the hash
// function, so a weak hash stays weak here (Go's seeded aeshash would differ).
// Random draws (seed, incrnoverflow's sampling above B=16, iteration start)
// come from a per-map wyrand stream like Go's fastrand, seeded from the first
// key the map is given, so a run reproduces and different workloads draw
// independently.
//
// The bucket array is as long as makeBucketArray makes it: 2^B, plus 2^(B-4)
// spare overflow buckets from B=4, plus the slack of Go's malloc size class
// (computed with this model's bucket size: 144 bytes for uint64 -> uint64, as
// in Go; a std::string key is 32 bytes here, 16 in Go).
// Not modelled: indirect keys/values above 128 bytes; NaN keys.
//
// SlotMap mapping: insert and insert_or_assign are both mapassign (m[k] = v),
// so both do growth work even when the key exists (insert then leaves the
// value alone); find is mapaccess (never moves anything); erase is mapdelete;
// clear is mapclear; reserve is make(map, hint) and only acts on an empty map;
// erase_if and erase_first are `for k := range m { delete(m, k) }`.
//
// Files: bucket.hpp (layout, states, SWAR scans), this file (hmap, lookup,
// assign, delete), go_growth.hpp (hashGrow, growWork, evacuate),
// go_iteration.hpp (mapiterinit/mapiternext: for_each, erase_if,
// erase_first), go_inspect.hpp (stats, probe_length, check_invariants).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
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
#include "maps/strategies/go/bucket.hpp"
#include "maps/strategies/go/go_stats.hpp"

namespace slotlab::go {

struct GoMapTestAccess;  // defined by the tests that corrupt a table on purpose

template <class K, class V, class Hash, class Eq = std::equal_to<K>,
          class Alloc = CountingAllocator<std::pair<const K, V>>>
class GoMap {
  static_assert(std::is_copy_constructible_v<K>,
                "an iterator may still read an evacuated key (mapiternext), so keys are copied "
                "out of old buckets while one runs");

 public:
  using key_type = K;
  using mapped_type = V;
  using hasher = Hash;
  using key_equal = Eq;
  using allocator_type = Alloc;
  using bucket_type = Bucket<K, V>;

  static constexpr std::string_view kProbeUnit =
      "slots (tophash bytes scanned along the bucket chain, as mapaccess does; the match or "
      "the emptyRest that ends the scan included)";

  GoMap() : GoMap(Hash()) {}
  explicit GoMap(const Hash& hash, const Alloc& alloc = Alloc())
      : hash_(hash), alloc_(alloc) {}
  GoMap(const GoMap& other) requires std::is_copy_constructible_v<V>
      : GoMap(other, std::allocator_traits<Alloc>::select_on_container_copy_construction(
                         other.get_allocator())) {}
  // A Go map cannot be copied; this is what Go code writes instead:
  // dst := make(map[K]V, len(src)); for k, v := range src { dst[k] = v }.
  GoMap(const GoMap& other, const Alloc& alloc) requires std::is_copy_constructible_v<V>
      : hash_(other.hash_), eq_(other.eq_), alloc_(alloc) {
    reserve(other.size());
    other.for_each([&](const K& k, const V& v) { insert(k, V(v)); });
  }
  GoMap(GoMap&& other) noexcept
      : hash_(std::move(other.hash_)), eq_(std::move(other.eq_)), alloc_(other.alloc_) {
    take(other);
  }
  GoMap& operator=(const GoMap& other) requires std::is_copy_constructible_v<V> {
    if (this != &other) *this = GoMap(other, get_allocator());  // keeps this map's ledger
    return *this;
  }
  GoMap& operator=(GoMap&& other) noexcept {
    if (this != &other) {
      release();
      hash_ = std::move(other.hash_);
      eq_ = std::move(other.eq_);
      alloc_ = other.alloc_;  // propagate_on_container_move_assignment
      take(other);
    }
    return *this;
  }
  ~GoMap() { release(); }

  Alloc get_allocator() const { return Alloc(alloc_); }

  // --- the SlotMap interface ------------------------------------------------
  template <class Value>
  bool insert(const K& key, Value&& value) {
    return assign(key, std::forward<Value>(value), false);
  }
  template <class Value>
  bool insert_or_assign(const K& key, Value&& value) {
    return assign(key, std::forward<Value>(value), true);
  }
  V* find(const K& key) {
    const Slot s = lookup(key);
    return s.b ? s.b->value(s.i) : nullptr;
  }
  const V* find(const K& key) const {
    const Slot s = lookup(key);
    return s.b ? s.b->value(s.i) : nullptr;
  }
  bool erase(const K& key);
  template <class Pred>
  std::size_t erase_if(Pred pred);  // go_iteration.hpp
  bool erase_first();               // go_iteration.hpp
  std::size_t size() const { return count_; }
  void clear();
  void reserve(std::size_t n);
  template <class F>
  void for_each(F&& f) const;  // go_iteration.hpp
  std::optional<std::uint32_t> probe_length(const K& key) const;  // go_inspect.hpp
  MapStats stats() const;                                         // go_inspect.hpp
  std::string check_invariants() const;                           // go_inspect.hpp

  GoStats go_stats() const;  // go_inspect.hpp

 private:
  friend struct GoMapTestAccess;
  struct Slot {
    bucket_type* b = nullptr;
    unsigned i = 0;
  };
  using BucketAlloc = typename std::allocator_traits<Alloc>::template rebind_alloc<bucket_type>;
  using BucketTraits = std::allocator_traits<BucketAlloc>;

  static constexpr std::uint64_t bucket_mask(unsigned B) { return (std::uint64_t{1} << B) - 1; }
  std::uint64_t hash_of(const K& key) const {
    return static_cast<std::uint64_t>(hash_(key)) ^ hash0_;
  }
  bool growing() const { return oldbuckets_ != nullptr; }
  std::uint64_t noldbuckets() const {
    return std::uint64_t{1} << (same_size_grow_ ? B_ : B_ - 1);
  }
  std::uint64_t oldbucket_mask() const { return noldbuckets() - 1; }

  // Go's fastrand on 64-bit platforms (wyrand), one stream per map.
  std::uint64_t fastrand64() {
    rand_state_ += 0xa0761d6478bd642full;
    const auto m = static_cast<unsigned __int128>(rand_state_) * (rand_state_ ^ 0xe7037ed1a0b428dbull);
    return static_cast<std::uint64_t>(m >> 64) ^ static_cast<std::uint64_t>(m);
  }
  // The random stream starts from the first key ever assigned: reproducible
  // for a given workload, yet independent between workloads (a fixed start
  // would give every map the same coin flips in incrnoverflow, and every run
  // the same seed). hash0 is drawn then too; before it no key is hashed
  // (lookups and deletes in an empty map return at once, as in Go).
  void seed_stream(const K& first_key) {
    rand_state_ ^= fmix64(static_cast<std::uint64_t>(hash_(first_key)) + rand_state_);
    hash0_ = fastrand64();
    stream_seeded_ = true;
  }
  void redraw_seed() {
    hash0_ = fastrand64();
    ++counters_.seed_redraws;
  }

  // The bucket chain a lookup of `hash` reads: the old bucket while it is not
  // yet evacuated, else the new one (mapaccess1).
  bucket_type* chain_for(std::uint64_t hash) const {
    std::uint64_t m = bucket_mask(B_);
    bucket_type* b = buckets_ + (hash & m);
    if (oldbuckets_ != nullptr) {
      if (!same_size_grow_) m >>= 1;
      bucket_type* oldb = oldbuckets_ + (hash & m);
      if (!oldb->evacuated()) b = oldb;
    }
    return b;
  }

  Slot lookup(const K& key) const {
    if (count_ == 0) return {};
    const std::uint64_t hash = hash_of(key);
    const std::uint8_t top = tophash_of(hash);
    for (bucket_type* b = chain_for(hash); b != nullptr; b = b->overflow) {
      const std::uint64_t w = b->tophash_word();
      const std::uint64_t live = before_first_rest(w);
      for (std::uint64_t m = match_top(w, top) & live; m != 0; m &= m - 1) {
        const unsigned i = first_slot(m);
        if (eq_(*b->key(i), key)) return {b, i};
      }
      if (live != ~std::uint64_t{0}) break;  // emptyRest: nothing further down the chain
    }
    return {};
  }

  template <class Value>
  bool assign(const K& key, Value&& value, bool overwrite);

  // Bucket arrays and overflow buckets (makeBucketArray, newoverflow).
  bucket_type* allocate_buckets(std::size_t n) {
    bucket_type* p = BucketTraits::allocate(alloc_, n);
    for (std::size_t j = 0; j < n; ++j) reset_bucket(::new (static_cast<void*>(p + j)) bucket_type);
    return p;
  }
  static void reset_bucket(bucket_type* b) {
    std::memset(b->tophash, kEmptyRest, sizeof b->tophash);
    b->overflow = nullptr;
    poison_slot(b->key_bytes, sizeof b->key_bytes);
    poison_slot(b->value_bytes, sizeof b->value_bytes);
  }
  void deallocate_buckets(bucket_type* p, std::size_t n) {
    unpoison_slot(p, n * sizeof(bucket_type));
    BucketTraits::deallocate(alloc_, p, n);
  }
  void make_bucket_array(unsigned B) {
    const std::size_t base = std::size_t{1} << B;
    const std::size_t n = bucket_array_length(B, sizeof(bucket_type));
    buckets_ = allocate_buckets(n);
    nbuckets_allocated_ = n;
    set_spare_overflow(base);
  }
  void set_spare_overflow(std::size_t base) {
    next_overflow_ = base != nbuckets_allocated_ ? buckets_ + base : nullptr;
    overflow_end_ = buckets_ + nbuckets_allocated_;
  }
  bucket_type* new_overflow(bucket_type* b) {
    bucket_type* ovf;
    if (next_overflow_ != nullptr) {
      ovf = next_overflow_;
      if (++next_overflow_ == overflow_end_) next_overflow_ = nullptr;
    } else {
      ovf = allocate_buckets(1);
    }
    incr_noverflow();
    b->overflow = ovf;
    return ovf;
  }
  void incr_noverflow() {
    if (B_ < 16) {
      ++noverflow_;
      return;
    }
    const std::uint32_t mask = (std::uint32_t{1} << (B_ - 15)) - 1;
    if ((static_cast<std::uint32_t>(fastrand64()) & mask) == 0) ++noverflow_;
  }
  // Frees the individually allocated overflow buckets of an array's chains
  // (spare ones live inside the array) and the array itself.
  void free_bucket_array(bucket_type* array, std::size_t allocated, std::size_t nchains) {
    if (array == nullptr) return;
    for (std::size_t j = 0; j < nchains; ++j) {
      bucket_type* b = array[j].overflow;
      while (b != nullptr) {
        bucket_type* next = b->overflow;
        if (b < array || b >= array + allocated) deallocate_buckets(b, 1);
        b = next;
      }
    }
    deallocate_buckets(array, allocated);
  }
  // Destroys the live entries of one chain (and evacuated keys an iterator kept).
  void destroy_chain(bucket_type* b, bool retained_keys) {
    for (; b != nullptr; b = b->overflow)
      for (unsigned i = 0; i < kBucketCnt; ++i) {
        const std::uint8_t top = b->tophash[i];
        if (top >= kMinTopHash) destroy_slot(b, i);
        else if (retained_keys && (top == kEvacuatedX || top == kEvacuatedY)) destroy_key(b, i);
      }
  }
  void destroy_slot(bucket_type* b, unsigned i) {
    destroy_key(b, i);
    std::destroy_at(b->value(i));
    poison_slot(b->value_slot(i), sizeof(V));
  }
  void destroy_key(bucket_type* b, unsigned i) {
    std::destroy_at(b->key(i));
    poison_slot(b->key_slot(i), sizeof(K));
  }
  void destroy_all_entries() {
    if (buckets_ == nullptr) return;
    for (std::uint64_t j = 0, n = std::uint64_t{1} << B_; j < n; ++j) destroy_chain(buckets_ + j, false);
    if (oldbuckets_ != nullptr)
      for (std::uint64_t j = 0, n = noldbuckets(); j < n; ++j)
        if (!oldbuckets_[j].evacuated()) destroy_chain(oldbuckets_ + j, false);
  }
  void free_old_array() {
    free_bucket_array(oldbuckets_, nold_allocated_, noldbuckets());
    oldbuckets_ = nullptr;
  }
  void release() {
    destroy_all_entries();
    if (oldbuckets_ != nullptr) free_old_array();
    if (buckets_ != nullptr) free_bucket_array(buckets_, nbuckets_allocated_, std::size_t{1} << B_);
    buckets_ = nullptr;
    next_overflow_ = overflow_end_ = nullptr;
    count_ = 0;
  }
  void take(GoMap& o) {
    retained_chains_ = decltype(retained_chains_)(alloc_);
    count_ = o.count_;
    B_ = o.B_;
    noverflow_ = o.noverflow_;
    hash0_ = o.hash0_;
    buckets_ = o.buckets_;
    nbuckets_allocated_ = o.nbuckets_allocated_;
    oldbuckets_ = o.oldbuckets_;
    nold_allocated_ = o.nold_allocated_;
    nevacuate_ = o.nevacuate_;
    same_size_grow_ = o.same_size_grow_;
    next_overflow_ = o.next_overflow_;
    overflow_end_ = o.overflow_end_;
    rand_state_ = o.rand_state_;
    stream_seeded_ = o.stream_seeded_;
    counters_ = o.counters_;
    grows_and_rebuilds_ = o.grows_and_rebuilds_;
    insert_probes_ = o.insert_probes_;
    inserts_ = o.inserts_;
    o.buckets_ = o.oldbuckets_ = nullptr;
    o.count_ = 0;
    o.B_ = 0;
    o.noverflow_ = 0;
    o.same_size_grow_ = false;
    o.next_overflow_ = o.overflow_end_ = nullptr;
  }

  // Growth (go_growth.hpp).
  void hash_grow();
  void grow_work(std::uint64_t bucket);
  void evacuate(std::uint64_t oldbucket);
  void advance_evacuation_mark(std::uint64_t newbit);
  void finish_growth();

  // Iteration (go_iteration.hpp).
  template <class Visit>
  void range(std::uint64_t r, Visit&& visit) const;
  void end_mutating_iteration();

  // The empty-slot state machine (mapdelete's tail).
  void mark_erased(bucket_type* chain_head, bucket_type* b, unsigned i);

  Hash hash_;
  Eq eq_;
  BucketAlloc alloc_;

  // hmap
  std::uint64_t count_ = 0;
  unsigned B_ = 0;
  std::uint16_t noverflow_ = 0;
  std::uint64_t hash0_ = 0;
  bucket_type* buckets_ = nullptr;
  std::size_t nbuckets_allocated_ = 0;  // 2^B plus the spare overflow buckets
  bucket_type* oldbuckets_ = nullptr;
  std::size_t nold_allocated_ = 0;
  std::uint64_t nevacuate_ = 0;
  bool same_size_grow_ = false;
  // mapextra.nextOverflow: the spare buckets of the current array not yet taken.
  bucket_type* next_overflow_ = nullptr;
  bucket_type* overflow_end_ = nullptr;

  // A mutating iteration (erase_if, erase_first) is in progress: evacuation
  // copies keys instead of moving them, and a finished growth's old array is
  // kept until the iteration ends -- what Go's GC and its iterator/oldIterator
  // flags do for a live hiter.
  bool iterating_ = false;
  std::vector<bucket_type*, typename std::allocator_traits<Alloc>::template rebind_alloc<bucket_type*>>
      retained_chains_{BucketAlloc(alloc_)};
  bucket_type* deferred_old_ = nullptr;
  std::size_t deferred_old_allocated_ = 0;
  std::uint64_t deferred_old_chains_ = 0;

  std::uint64_t rand_state_ = 0x5107'1a9e'0060'0001ull;
  bool stream_seeded_ = false;
  GoStats counters_;  // only the cumulative fields are kept here
  std::uint64_t grows_and_rebuilds_ = 0;
  std::uint64_t insert_probes_ = 0;
  std::uint64_t inserts_ = 0;
};

// --- mapassign ---------------------------------------------------------------
template <class K, class V, class Hash, class Eq, class Alloc>
template <class Value>
bool GoMap<K, V, Hash, Eq, Alloc>::assign(const K& key, Value&& value, bool overwrite) {
  if (!stream_seeded_) [[unlikely]] seed_stream(key);
  const std::uint64_t hash = hash_of(key);
  if (buckets_ == nullptr) {  // makemap_small: one bucket, allocated on first write
    buckets_ = allocate_buckets(1);
    nbuckets_allocated_ = 1;
    set_spare_overflow(1);
  }
  const std::uint8_t top = tophash_of(hash);
again:
  const std::uint64_t bucket = hash & bucket_mask(B_);
  if (growing()) grow_work(bucket);
  bucket_type* b = buckets_ + bucket;
  bucket_type* insert_b = nullptr;
  unsigned insert_i = 0;
  std::uint64_t probes = 0;
  for (;;) {
    const std::uint64_t w = b->tophash_word();
    const std::uint64_t live = before_first_rest(w);
    for (std::uint64_t m = match_top(w, top) & live; m != 0; m &= m - 1) {
      const unsigned i = first_slot(m);
      if (eq_(*b->key(i), key)) {
        if (overwrite) *b->value(i) = std::forward<Value>(value);
        return false;
      }
    }
    if (insert_b == nullptr) {
      const std::uint64_t empty = empty_slots(w);
      if (empty != 0) {
        insert_b = b;
        insert_i = first_slot(empty);
      }
    }
    if (live != ~std::uint64_t{0}) {  // emptyRest ends the scan
      probes += first_slot(~live) + 1;
      break;
    }
    probes += kBucketCnt;
    if (b->overflow == nullptr) break;
    b = b->overflow;
  }

  // A new key: growth starts here, and only here.
  if (!growing() && (over_load_factor(count_ + 1, B_) || too_many_overflow_buckets(noverflow_, B_))) {
    hash_grow();
    goto again;  // everything moved; Go does the same
  }

  if (insert_b == nullptr) {
    insert_b = new_overflow(b);
    insert_i = 0;
    ++counters_.inserts_into_new_overflow;
  } else if (insert_b->tophash[insert_i] == kEmptyOne) {
    ++counters_.inserts_into_empty_one;
  } else {
    ++counters_.inserts_into_empty_rest;
  }
  unpoison_slot(insert_b->key_slot(insert_i), sizeof(K));
  unpoison_slot(insert_b->value_slot(insert_i), sizeof(V));
  ::new (insert_b->key_slot(insert_i)) K(key);
  ::new (insert_b->value_slot(insert_i)) V(std::forward<Value>(value));
  insert_b->tophash[insert_i] = top;
  ++count_;
  insert_probes_ += probes;
  ++inserts_;
  return true;
}

// --- mapdelete ---------------------------------------------------------------
template <class K, class V, class Hash, class Eq, class Alloc>
bool GoMap<K, V, Hash, Eq, Alloc>::erase(const K& key) {
  if (count_ == 0) return false;
  const std::uint64_t hash = hash_of(key);
  const std::uint64_t bucket = hash & bucket_mask(B_);
  if (growing()) grow_work(bucket);
  bucket_type* const chain_head = buckets_ + bucket;
  const std::uint8_t top = tophash_of(hash);
  for (bucket_type* b = chain_head; b != nullptr; b = b->overflow) {
    const std::uint64_t w = b->tophash_word();
    const std::uint64_t live = before_first_rest(w);
    for (std::uint64_t m = match_top(w, top) & live; m != 0; m &= m - 1) {
      const unsigned i = first_slot(m);
      if (!eq_(*b->key(i), key)) continue;
      destroy_slot(b, i);
      mark_erased(chain_head, b, i);
      if (--count_ == 0) redraw_seed();  // issue 25237
      return true;
    }
    if (live != ~std::uint64_t{0}) break;
  }
  return false;
}

// The slot becomes emptyOne; if nothing live follows it, the trailing run of
// emptyOne slots becomes emptyRest, walking back across the chain (finding a
// bucket's predecessor by walking from the head, as Go does).
template <class K, class V, class Hash, class Eq, class Alloc>
void GoMap<K, V, Hash, Eq, Alloc>::mark_erased(bucket_type* chain_head, bucket_type* b, unsigned i) {
  b->tophash[i] = kEmptyOne;
  if (i == kBucketCnt - 1) {
    if (b->overflow != nullptr && b->overflow->tophash[0] != kEmptyRest) return;
  } else if (b->tophash[i + 1] != kEmptyRest) {
    return;
  }
  for (;;) {
    b->tophash[i] = kEmptyRest;
    if (i == 0) {
      if (b == chain_head) break;
      bucket_type* c = b;
      for (b = chain_head; b->overflow != c; b = b->overflow) {
      }
      i = kBucketCnt - 1;
    } else {
      --i;
    }
    if (b->tophash[i] != kEmptyOne) break;
  }
}

// --- mapclear, make(map, hint) -----------------------------------------------
template <class K, class V, class Hash, class Eq, class Alloc>
void GoMap<K, V, Hash, Eq, Alloc>::clear() {
  if (count_ == 0) return;  // as mapclear: an empty map keeps its state and seed
  destroy_all_entries();
  if (oldbuckets_ != nullptr) free_old_array();
  same_size_grow_ = false;
  nevacuate_ = 0;
  noverflow_ = 0;
  count_ = 0;
  redraw_seed();
  // Keep the bucket array, drop the overflow buckets (Go leaves them to the GC),
  // and make the spare ones available again, as makeBucketArray(dirtyalloc) does.
  const std::size_t base = std::size_t{1} << B_;
  for (std::size_t j = 0; j < base; ++j) {
    for (bucket_type* b = buckets_[j].overflow; b != nullptr;) {
      bucket_type* next = b->overflow;
      if (b < buckets_ || b >= buckets_ + nbuckets_allocated_) deallocate_buckets(b, 1);
      b = next;
    }
  }
  for (std::size_t j = 0; j < nbuckets_allocated_; ++j) reset_bucket(buckets_ + j);
  set_spare_overflow(base);
}

// Go sizes a map only at make(map[K]V, hint); reserve() does that to a map
// that holds nothing and never grows a map that holds keys.
template <class K, class V, class Hash, class Eq, class Alloc>
void GoMap<K, V, Hash, Eq, Alloc>::reserve(std::size_t n) {
  if (count_ != 0 || growing()) return;
  unsigned B = 0;
  while (over_load_factor(n, B)) ++B;
  if (B <= B_) return;
  release();
  B_ = B;
  noverflow_ = 0;
  if (B != 0) make_bucket_array(B);
  ++grows_and_rebuilds_;
}

}  // namespace slotlab::go

#include "maps/strategies/go/go_growth.hpp"
#include "maps/strategies/go/go_inspect.hpp"
#include "maps/strategies/go/go_iteration.hpp"

namespace slotlab {

struct GoStrategy {
  static constexpr std::string_view name = "go";
  static constexpr std::string_view summary =
      "Go 1.19 map: emptyOne/emptyRest, overflow buckets, same-size grow at noverflow >= 2^min(B,15)";
  template <class K, class V, class Hash, class Eq = std::equal_to<K>>
  using map = go::GoMap<K, V, Hash, Eq>;
};

}  // namespace slotlab
