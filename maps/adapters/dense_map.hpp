// dense: google::dense_hash_map (sparsehash 2.0.3, Debian's libsparsehash-dev),
// the open-addressing tombstone map a generation of C++ code used.
//
// Design (sparsehash/internal/densehashtable.h): one flat array of
// pair<const K, V>, a power of two long, quadratic (triangular) probing
// (JUMP_(key, num_probes) = num_probes: home, +1, +3, +6, ...). Two keys are
// reserved: set_empty_key marks never-used buckets, set_deleted_key marks
// erased ones.
//
// Deletion and reuse: erase (set_deleted) overwrites the bucket's key with the
// deleted key and assigns V() to its value -- a tombstone; num_deleted counts
// them. find_position returns the first deleted bucket on the probe path as the
// insert position when the key is absent, so insert_at reuses it (and
// decrements num_deleted) or takes the empty bucket that ended the probe
// (incrementing num_elements, which counts live + deleted). Rebuild
// (resize_delta, before an insert): when num_elements + 1 -- tombstones
// included -- would pass 50% of the buckets, the table is copied into a new
// array (copy_from drops the tombstones), doubled only if the live keys need
// it; after erases, an insert may also shrink it below 20% live (maybe_shrink).
// Tombstones are therefore reclaimed only by reuse on a probe path or by a
// whole-table copy.
//
// Reserved keys: a user key equal to one of the two sentinels cannot live in
// the table, so the adapter keeps each of them in a side slot of its own
// (std::optional beside the table; iteration visits them after the table).
// The sentinels are 0 (empty) and 1 (deleted) for integer keys -- keys the
// fuzzers and tests do generate, so the side slots are exercised constantly --
// and "" and "\xff" for strings. A side-slot lookup counts as one probe.
//
// What it reports, through the public API only (no patched header):
//   slots       = bucket_count()
//   bytes       = the counting allocator (sparsehash's C++03 allocator
//                 requirements are met by a thin shim over CountingAllocator)
//   tombstones  = buckets holding the deleted key, counted in stats() through
//                 the non-advancing local iterator begin(i), which reads
//                 bucket i as it is (dense_hash_map hides num_deleted)
//   probe length= buckets a lookup visits, replayed exactly: the probe
//                 sequence of find_position recomputed from hash_funct(), each
//                 bucket read through begin(i), until the key (hit) or an
//                 empty bucket (miss, that bucket included)
//   rehashes    = the table's address changes (every resize allocates the new
//                 array while the old one is alive, so the address must move)
//   fresh/reused inserts: not available (empty). Where an insert lands is
//                 known only inside find_position; telling a deleted bucket
//                 from an empty one would take a second probe sequence per
//                 insert (bucket(key) before operator[]), a cost the other
//                 maps do not pay. bench/reuse measures dense's slot reuse
//                 through slot addresses, as for every map.
//
// Values: dense_hashtable copies values -- into the table from a temporary,
// from the old array into the new one on a resize (then destroys the old),
// and its empty-value template into every fresh bucket. Trivially copyable
// values are stored as they are; any other V (move-only, or one whose copies
// are observable, as the fuzzers' TrackedValue) is stored in a StealingCell,
// whose "copy" moves the value out of its source. That is sound because the
// adapter never lets dense_hash_map copy a table that stays alive: the
// adapter's own copy constructor copies entry by entry with V's real copy.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>

#include <sparsehash/dense_hash_map>

#include "maps/adapters/container_adapter.hpp"
#include "maps/core/counting_allocator.hpp"
#include "maps/core/map_stats.hpp"

namespace slotlab {

// The two keys dense_hash_map reserves, per key type.
template <class K, class = void>
struct DenseReservedKeys;
template <class K>
struct DenseReservedKeys<K, std::enable_if_t<std::is_integral_v<K>>> {
  static K empty() { return K{0}; }
  static K deleted() { return K{1}; }
};
template <>
struct DenseReservedKeys<std::string> {
  static std::string empty() { return std::string(); }
  static std::string deleted() { return std::string("\xff"); }
};

// A value dense_hashtable may "copy": the copy takes the value and leaves the
// source empty (see the header comment for why that is sound here).
template <class V>
class StealingCell {
 public:
  StealingCell() = default;
  explicit StealingCell(V&& v) : v_(std::move(v)) {}
  StealingCell(const StealingCell& source) : v_(std::move(source.v_)) { source.v_.reset(); }
  StealingCell& operator=(const StealingCell& source) {
    if (this != &source) {
      v_ = std::move(source.v_);
      source.v_.reset();
    }
    return *this;
  }
  StealingCell& operator=(StealingCell&& source) noexcept {
    v_ = std::move(source.v_);
    source.v_.reset();
    return *this;
  }
  bool holds() const { return v_.has_value(); }
  V& get() { return *v_; }
  const V& get() const { return *v_; }

 private:
  mutable std::optional<V> v_;
};

template <class V>
inline constexpr bool kDenseStoresDirectly =
    std::is_trivially_copyable_v<V> && std::is_default_constructible_v<V>;

// sparsehash 2.0.3 predates std::allocator_traits: it wants rebind, pointer,
// size_type, ... members. The counting itself is CountingAllocator's.
template <class T>
class SparsehashAllocator : public CountingAllocator<T> {
 public:
  using pointer = T*;
  using const_pointer = const T*;
  using reference = T&;
  using const_reference = const T&;
  using size_type = std::size_t;
  using difference_type = std::ptrdiff_t;
  template <class U>
  struct rebind {
    using other = SparsehashAllocator<U>;
  };
  using CountingAllocator<T>::CountingAllocator;
  template <class U>
  SparsehashAllocator(const CountingAllocator<U>& other) noexcept  // NOLINT: rebind
      : CountingAllocator<T>(other.ledger()) {}
  size_type max_size() const noexcept { return std::numeric_limits<size_type>::max() / sizeof(T); }
};

template <class K, class V, class Hash, class Eq = std::equal_to<K>,
          class Alloc = CountingAllocator<std::pair<const K, V>>>
class DenseMap {
  using Stored = std::conditional_t<kDenseStoresDirectly<V>, V, StealingCell<V>>;
  using Reserved = DenseReservedKeys<K>;

 public:
  using key_type = K;
  using mapped_type = V;
  using hasher = Hash;
  using allocator_type = Alloc;
  using container_type =
      google::dense_hash_map<K, Stored, Hash, Eq, SparsehashAllocator<std::pair<const K, Stored>>>;

  DenseMap() : DenseMap(Hash{}) {}
  explicit DenseMap(const Hash& hash, const Alloc& alloc = Alloc()) { init(0, hash, alloc); }

  // Entry by entry with V's own copy (dense_hash_map's copy would go through
  // StealingCell), onto a fresh ledger, sized for the live keys.
  DenseMap(const DenseMap& other) requires std::copy_constructible<V>
      : side_empty_(other.side_empty_), side_deleted_(other.side_deleted_),
        rehashes_(other.rehashes_) {
    init(other.c_->size(), other.c_->hash_funct(),
         Alloc(other.get_allocator().select_on_container_copy_construction()));
    for (const auto& [key, stored] : *other.c_) (*c_)[key] = Stored(V(value_of(stored)));
  }
  // The table moves by swap with a fresh one on the source's ledger:
  // dense_hash_map has no move constructor, and its swap leaves each allocator
  // where it was.
  DenseMap(DenseMap&& other) noexcept { take(std::move(other)); }
  DenseMap& operator=(const DenseMap& other) requires std::copy_constructible<V> {
    if (this != &other) *this = DenseMap(other);
    return *this;
  }
  DenseMap& operator=(DenseMap&& other) noexcept {
    if (this != &other) take(std::move(other));
    return *this;
  }

  template <class Value>
  bool insert(const K& key, Value&& value) {
    if (auto* side = side_slot(key)) {
      if (*side) return false;
      side->emplace(std::forward<Value>(value));
      return true;
    }
    return place(key, std::forward<Value>(value), /*assign_existing=*/false);
  }
  template <class Value>
  bool insert_or_assign(const K& key, Value&& value) {
    if (auto* side = side_slot(key)) {
      const bool inserted = !*side;
      if (inserted) side->emplace(std::forward<Value>(value));
      else **side = std::forward<Value>(value);
      return inserted;
    }
    return place(key, std::forward<Value>(value), /*assign_existing=*/true);
  }
  V* find(const K& key) {
    if (auto* side = side_slot(key)) return *side ? &**side : nullptr;
    auto it = c_->find(key);
    return it == c_->end() ? nullptr : &value_of(it->second);
  }
  const V* find(const K& key) const {
    if (eq(key, empty_key_)) return side_empty_ ? &*side_empty_ : nullptr;
    if (eq(key, deleted_key_)) return side_deleted_ ? &*side_deleted_ : nullptr;
    auto it = c_->find(key);
    return it == c_->end() ? nullptr : &value_of(it->second);
  }
  bool erase(const K& key) {
    if (auto* side = side_slot(key)) {
      const bool had = side->has_value();
      side->reset();
      return had;
    }
    return c_->erase(key) != 0;
  }
  template <class Pred>
  std::size_t erase_if(Pred pred) {
    std::size_t erased = 0;
    // dense's erase(iterator) only marks the bucket: the iterator stays valid
    // and ++ skips the new tombstone.
    for (auto it = c_->begin(); it != c_->end(); ++it) {
      if (pred(it->first, std::as_const(value_of(it->second)))) {
        c_->erase(it);
        ++erased;
      }
    }
    for_each_side([&](const K& key, std::optional<V>& side) {
      if (pred(key, std::as_const(*side))) {
        side.reset();
        ++erased;
      }
    });
    return erased;
  }
  bool erase_first() {
    if (c_->begin() != c_->end()) {
      c_->erase(c_->begin());
      return true;
    }
    bool erased = false;
    for_each_side([&](const K&, std::optional<V>& side) {
      if (!erased) {
        side.reset();
        erased = true;
      }
    });
    return erased;
  }
  std::size_t size() const {
    return c_->size() + side_empty_.has_value() + side_deleted_.has_value();
  }
  void clear() {
    c_->clear();
    side_empty_.reset();
    side_deleted_.reset();
  }
  void reserve(std::size_t n) {
    const auto* before = table_address();
    c_->resize(n);
    if (table_address() != before) ++rehashes_;
  }
  template <class F>
  void for_each(F&& f) const {
    for (const auto& [key, stored] : *c_) f(key, value_of(stored));
    if (side_empty_) f(reserved_empty(), *side_empty_);
    if (side_deleted_) f(reserved_deleted(), *side_deleted_);
  }

  std::optional<std::uint32_t> probe_length(const K& key) const {
    if (is_reserved(key)) return 1;
    std::uint32_t visited = 0;
    walk_probe(key, [&](const K& bucket_key) {
      ++visited;
      return eq(bucket_key, key);
    });
    return visited;
  }

  MapStats stats() const {
    MapStats s;
    s.size = size();
    s.slots = c_->bucket_count();
    const auto& ledger = *get_allocator().ledger();
    s.bytes = ledger.bytes;
    s.peak_bytes = ledger.peak_bytes;
    s.tombstones = count_buckets().deleted;
    s.rehashes = rehashes_;
    s.probe_unit = "buckets";
    fill_probe_stats(*this, s);
    return s;
  }

  // The bucket array read back through the public API: the live buckets agree
  // with size(), an empty bucket remains (else a miss would never end), and
  // every live key lies on its own probe path before any empty bucket.
  std::string check_invariants() const {
    const BucketCounts n = count_buckets();
    if (n.live != c_->size())
      return "the bucket array holds " + std::to_string(n.live) + " live keys but size() is " +
             std::to_string(c_->size());
    if (n.live + n.deleted >= c_->bucket_count()) return "no empty bucket is left: a miss would never end";
    for (auto it = c_->begin(); it != c_->end(); ++it) {
      const K& key = it->first;
      if (!walk_probe(key, [&](const K& bucket_key) { return eq(bucket_key, key); }))
        return "a live key is not on its probe path";
      if constexpr (!kDenseStoresDirectly<V>)
        if (!it->second.holds()) return "a live bucket holds no value";
    }
    return {};
  }

  allocator_type get_allocator() const { return Alloc(c_->get_allocator()); }
  const container_type& container() const { return *c_; }

 private:
  void init(std::size_t expected, const Hash& hash, const Alloc& alloc) {
    c_.emplace(expected, hash, Eq(), SparsehashAllocator<std::pair<const K, Stored>>(alloc));
    c_->set_empty_key(Reserved::empty());
    c_->set_deleted_key(Reserved::deleted());
  }
  void take(DenseMap&& other) {
    c_.reset();
    init(0, other.c_->hash_funct(), other.get_allocator());
    c_->swap(*other.c_);
    side_empty_ = std::exchange(other.side_empty_, std::nullopt);
    side_deleted_ = std::exchange(other.side_deleted_, std::nullopt);
    rehashes_ = other.rehashes_;
  }
  static V& value_of(Stored& s) {
    if constexpr (kDenseStoresDirectly<V>) return s;
    else return s.get();
  }
  static const V& value_of(const Stored& s) {
    if constexpr (kDenseStoresDirectly<V>) return s;
    else return s.get();
  }
  static const K& reserved_empty() {
    static const K key = Reserved::empty();
    return key;
  }
  static const K& reserved_deleted() {
    static const K key = Reserved::deleted();
    return key;
  }

  bool eq(const K& a, const K& b) const { return c_->key_eq()(a, b); }
  bool is_reserved(const K& key) const { return eq(key, empty_key_) || eq(key, deleted_key_); }
  std::optional<V>* side_slot(const K& key) {
    if (eq(key, empty_key_)) return &side_empty_;
    if (eq(key, deleted_key_)) return &side_deleted_;
    return nullptr;
  }
  template <class F>
  void for_each_side(F&& f) {
    if (side_empty_) f(reserved_empty(), side_empty_);
    if (side_deleted_) f(reserved_deleted(), side_deleted_);
  }

  // find_position's probe sequence, bucket by bucket: calls stop(bucket key)
  // on every non-empty bucket; true when stop said so, false at an empty one.
  template <class Stop>
  bool walk_probe(const K& key, Stop stop) const {
    const std::size_t mask = c_->bucket_count() - 1;
    std::size_t bucket = c_->hash_funct()(key) & mask;
    for (std::size_t probes = 1;; ++probes) {
      const K& here = c_->begin(bucket)->first;
      if (eq(here, empty_key_)) {
        stop(here);  // the empty bucket that ends a miss is visited too
        return false;
      }
      if (stop(here)) return true;
      bucket = (bucket + probes) & mask;
    }
  }

  const void* table_address() const { return &*c_->begin(std::size_t{0}); }

  struct BucketCounts {
    std::size_t live = 0, deleted = 0;
  };
  BucketCounts count_buckets() const {
    BucketCounts n;
    for (std::size_t i = 0; i < c_->bucket_count(); ++i) {
      const K& k = c_->begin(i)->first;
      if (eq(k, empty_key_)) continue;
      if (eq(k, deleted_key_)) ++n.deleted;
      else ++n.live;
    }
    return n;
  }

  // operator[] is one find_position: an existing key is returned untouched (the
  // caller keeps its value), a new one gets V() where the probe says -- the
  // first deleted bucket on its path, else the empty one that ended it -- after
  // resize_delta made room. The value is assigned after.
  template <class Value>
  bool place(const K& key, Value&& value, bool assign_existing) {
    const void* table_before = table_address();
    const std::size_t size_before = c_->size();
    Stored& slot = (*c_)[key];
    if (table_address() != table_before) ++rehashes_;
    const bool inserted = c_->size() != size_before;
    if (!inserted && !assign_existing) return false;
    if constexpr (kDenseStoresDirectly<V>) slot = std::forward<Value>(value);
    else slot = Stored(V(std::forward<Value>(value)));
    return inserted;
  }

  std::optional<container_type> c_;
  K empty_key_ = Reserved::empty();
  K deleted_key_ = Reserved::deleted();
  std::optional<V> side_empty_, side_deleted_;
  std::uint64_t rehashes_ = 0;
};

struct DenseStrategy {
  static constexpr std::string_view name = "dense";
  static constexpr std::string_view summary =
      "google::dense_hash_map: deleted-key tombstone, quadratic probing, reclaimed only by reuse or resize";
  template <class K, class V, class Hash, class Eq = std::equal_to<K>>
  using map = DenseMap<K, V, Hash, Eq>;
};

}  // namespace slotlab
