// Looking inside the Go map model: stats(), go_stats(), probe_length() and the
// invariant checker used by the tests (and by the fuzzers).
//
// Stats conventions (MapStats):
//   slots             8 x the buckets linked into the table's chains (main +
//                     overflow; during a grow also the old chains not yet
//                     evacuated); spare preallocated buckets are not counted
//   tombstones        emptyOne slots (all of them: with Go's conversion every
//                     emptyOne has a live slot after it in its chain)
//   overflow_buckets  Go's own noverflow counter, so it compares with the
//                     runtime's; the exact count is go_stats().overflow_buckets_in_use
//   buckets_log2      B
//   reused_slot_inserts  new keys stored in an emptyOne slot
//   fresh_slot_inserts   new keys stored in an emptyRest slot or a new overflow
//                     bucket. An emptyRest slot may have held a key before (the
//                     trailing run of a chain turns back to emptyRest): the
//                     tophash cannot tell, so reused is a lower bound on slots
//                     that held a key before; go_stats() splits the three cases.
//   insert_probes     tophash slots mapassign scanned for each new key (the
//                     whole chain up to and including the emptyRest that ends it)
//   rehashes          grows (doubling and same-size) plus reserve() rebuilds
#pragma once


#include "maps/adapters/container_adapter.hpp"  // fill_probe_stats

namespace slotlab::go {

template <class K, class V, class Hash, class Eq, class Alloc>
std::optional<std::uint32_t> GoMap<K, V, Hash, Eq, Alloc>::probe_length(const K& key) const {
  if (count_ == 0) return 0;  // mapaccess returns before touching a bucket
  const std::uint64_t hash = hash_of(key);
  const std::uint8_t top = tophash_of(hash);
  std::uint32_t probes = 0;
  for (bucket_type* b = chain_for(hash); b != nullptr; b = b->overflow) {
    for (unsigned i = 0; i < kBucketCnt; ++i) {
      ++probes;
      if (b->tophash[i] != top) {
        if (b->tophash[i] == kEmptyRest) return probes;
        continue;
      }
      if (eq_(*b->key(i), key)) return probes;
    }
  }
  return probes;
}

template <class K, class V, class Hash, class Eq, class Alloc>
GoStats GoMap<K, V, Hash, Eq, Alloc>::go_stats() const {
  GoStats s = counters_;
  s.count = count_;
  s.B = B_;
  s.noverflow = noverflow_;
  s.hash0 = hash0_;
  s.growing = growing();
  s.same_size_grow = same_size_grow_;
  s.nevacuate = growing() ? nevacuate_ : 0;
  s.overflow_buckets_in_use = 0;
  s.empty_one_slots = s.empty_rest_slots = 0;
  auto walk = [&](const bucket_type* b) {
    for (bool head = true; b != nullptr; b = b->overflow, head = false) {
      if (!head) ++s.overflow_buckets_in_use;
      for (unsigned i = 0; i < kBucketCnt; ++i) {
        s.empty_one_slots += b->tophash[i] == kEmptyOne;
        s.empty_rest_slots += b->tophash[i] == kEmptyRest;
      }
    }
  };
  if (buckets_ != nullptr)
    for (std::uint64_t j = 0, n = std::uint64_t{1} << B_; j < n; ++j) walk(buckets_ + j);
  if (growing())
    for (std::uint64_t j = 0, n = noldbuckets(); j < n; ++j)
      if (!oldbuckets_[j].evacuated()) walk(oldbuckets_ + j);
  s.preallocated_overflow_left =
      next_overflow_ != nullptr ? static_cast<std::uint64_t>(overflow_end_ - next_overflow_) : 0;
  return s;
}

template <class K, class V, class Hash, class Eq, class Alloc>
MapStats GoMap<K, V, Hash, Eq, Alloc>::stats() const {
  const GoStats g = go_stats();
  MapStats s;
  s.size = count_;
  std::uint64_t chains = buckets_ != nullptr ? (std::uint64_t{1} << B_) : 0;
  if (growing())
    for (std::uint64_t j = 0, n = noldbuckets(); j < n; ++j) chains += !oldbuckets_[j].evacuated();
  s.slots = kBucketCnt * (chains + g.overflow_buckets_in_use);
  if constexpr (requires { alloc_.ledger(); }) {
    s.bytes = alloc_.ledger()->bytes;
    s.peak_bytes = alloc_.ledger()->peak_bytes;
  }
  s.tombstones = g.empty_one_slots;
  s.overflow_buckets = g.noverflow;
  s.buckets_log2 = g.B;
  s.rehashes = grows_and_rebuilds_;
  s.fresh_slot_inserts = g.inserts_into_empty_rest + g.inserts_into_new_overflow;
  s.reused_slot_inserts = g.inserts_into_empty_one;
  s.overflow_inserts = g.inserts_into_new_overflow;
  s.insert_probes = insert_probes_;
  s.inserts = inserts_;
  s.probe_unit = kProbeUnit;
  fill_probe_stats(*this, s);
  return s;
}

template <class K, class V, class Hash, class Eq, class Alloc>
std::string GoMap<K, V, Hash, Eq, Alloc>::check_invariants() const {
  using std::to_string;
  if (buckets_ == nullptr) {
    if (count_ != 0) return "no bucket array but count is " + to_string(count_);
    if (growing()) return "growing without a bucket array";
    return "";
  }
  if (!growing() && same_size_grow_) return "sameSizeGrow flag set while not growing";
  std::uint64_t live = 0, overflow_in_use = 0;
  // One chain of either array: state machine, hashes, reachability.
  auto check_chain = [&](const bucket_type* head, std::uint64_t index, unsigned chain_B,
                         const char* which) -> std::string {
    // The messages are built only on failure: the fuzzers run this check every
    // few operations, and formatting a name for every slot was most of its cost.
    auto where = [&] { return std::string(which) + " bucket " + to_string(index); };
    bool rest_seen = false, empty_one_pending = false;
    unsigned depth = 0;
    for (const bucket_type* b = head; b != nullptr; b = b->overflow, ++depth) {
      if (b != head) ++overflow_in_use;
      for (unsigned i = 0; i < kBucketCnt; ++i) {
        const std::uint8_t top = b->tophash[i];
        auto slot = [&] { return where() + " (overflow " + to_string(depth) + ", slot " + to_string(i) + ")"; };
        if (top > kEmptyOne && top < kMinTopHash)
          return slot() + ": evacuation state " + to_string(top) + " in a live chain";
        if (rest_seen && top != kEmptyRest)
          return slot() + ": tophash " + to_string(top) + " after an emptyRest";
        if (top == kEmptyRest) {
          if (empty_one_pending) return slot() + ": emptyOne run before emptyRest not converted";
          rest_seen = true;
          continue;
        }
        if (top == kEmptyOne) {
          empty_one_pending = true;
          continue;
        }
        empty_one_pending = false;
        ++live;
        const K& key = *b->key(i);
        const std::uint64_t hash = hash_of(key);
        if (tophash_of(hash) != top)
          return slot() + ": stored tophash " + to_string(top) + " but the key's is " +
                 to_string(tophash_of(hash));
        if ((hash & bucket_mask(chain_B)) != index)
          return slot() + ": key belongs to bucket " + to_string(hash & bucket_mask(chain_B));
        const Slot s = lookup(key);
        if (s.b != b || s.i != i)
          return slot() + (s.b == nullptr ? ": key not found by lookup"
                                        : ": key stored twice (lookup finds another copy)");
      }
    }
    if (empty_one_pending) return where() + ": chain ends in emptyOne, not emptyRest";
    return "";
  };

  const std::uint64_t nbuckets = std::uint64_t{1} << B_;
  for (std::uint64_t j = 0; j < nbuckets; ++j) {
    if (growing() && !oldbuckets_[j & oldbucket_mask()].evacuated()) {
      const bucket_type& b = buckets_[j];
      if (b.overflow != nullptr || b.tophash_word() != 0)
        return "new bucket " + to_string(j) + " written before its old bucket was evacuated";
    }
    const char* label = growing() ? "new" : "main";  // "main bucket 3"; "old bucket 1" below
    if (std::string e = check_chain(buckets_ + j, j, B_, label); !e.empty()) return e;
  }
  if (B_ < 16 && noverflow_ != overflow_in_use)
    return "noverflow " + to_string(noverflow_) + " but " + to_string(overflow_in_use) +
           " overflow buckets are linked (B < 16 counts exactly)";
  if (next_overflow_ != nullptr &&
      (next_overflow_ < buckets_ + nbuckets || next_overflow_ >= overflow_end_ ||
       overflow_end_ != buckets_ + nbuckets_allocated_))
    return "nextOverflow points outside the array's spare buckets";
  if (growing()) {
    const std::uint64_t nold = noldbuckets();
    if (nevacuate_ >= nold) return "growing but nevacuate has passed every old bucket";
    for (std::uint64_t j = 0; j < nold; ++j) {
      const bucket_type* head = oldbuckets_ + j;
      if (head->evacuated()) {
        for (const bucket_type* b = head; b != nullptr; b = b->overflow)
          for (unsigned i = 0; i < kBucketCnt; ++i)
            if (b->tophash[i] < kEvacuatedX || b->tophash[i] > kEvacuatedEmpty)
              return "old bucket " + to_string(j) + " is half evacuated (slot state " +
                     to_string(b->tophash[i]) + ")";
        continue;
      }
      if (j < nevacuate_) return "old bucket " + to_string(j) + " below nevacuate is not evacuated";
      if (std::string e = check_chain(head, j, same_size_grow_ ? B_ : B_ - 1, "old"); !e.empty())
        return e;
    }
  }
  if (live != count_)
    return "count is " + to_string(count_) + " but " + to_string(live) + " slots are live";
  std::uint64_t walked = 0;
  for_each([&](const K&, const V&) { ++walked; });
  if (walked != count_)
    return "iteration visits " + to_string(walked) + " entries, count is " + to_string(count_);
  return "";
}

}  // namespace slotlab::go
