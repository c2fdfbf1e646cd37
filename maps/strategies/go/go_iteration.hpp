// Iteration of the Go map model: mapiterinit/mapiternext from runtime/map.go.
//
// An iterator remembers B and the bucket array it started on. While a grow
// is in flight and the iterator started during it, a bucket whose old bucket
// is not yet evacuated is read from the old chain, keeping only the keys that
// will land in this new bucket; an entry found evacuated under the iterator
// (an erase moved it) is looked up in the live table, so a key erased in the
// meantime is skipped and a moved one is seen once. Every live key is visited
// exactly once, growth or not.
//
// for_each starts at bucket 0, slot 0, so that observing a map never draws
// from its random stream (stats() iterates); erase_if and erase_first are Go's
// `for k := range m { ... delete(m, k) }` and start where Go would, at a
// random bucket and slot offset.
#pragma once

namespace slotlab::go {

template <class K, class V, class Hash, class Eq, class Alloc>
template <class Visit>
void GoMap<K, V, Hash, Eq, Alloc>::range(std::uint64_t r, Visit&& visit) const {
  if (count_ == 0) return;
  constexpr std::uint64_t kNoCheck = ~std::uint64_t{0};
  const unsigned it_B = B_;
  bucket_type* const it_buckets = buckets_;
  const std::uint64_t start_bucket = r & bucket_mask(it_B);
  const unsigned offset = static_cast<unsigned>(r >> it_B) & (kBucketCnt - 1);
  std::uint64_t bucket = start_bucket;
  bool wrapped = false;
  for (;;) {
    if (bucket == start_bucket && wrapped) return;
    bucket_type* b;
    std::uint64_t check_bucket = kNoCheck;
    if (growing() && it_B == B_) {
      b = oldbuckets_ + (bucket & oldbucket_mask());
      if (!b->evacuated()) check_bucket = bucket;
      else b = it_buckets + bucket;
    } else {
      b = it_buckets + bucket;
    }
    if (++bucket == (std::uint64_t{1} << it_B)) {
      bucket = 0;
      wrapped = true;
    }
    for (; b != nullptr; b = b->overflow) {
      for (unsigned i = 0; i < kBucketCnt; ++i) {
        const unsigned offi = (i + offset) & (kBucketCnt - 1);
        const std::uint8_t top = b->tophash[offi];
        if (is_empty(top) || top == kEvacuatedEmpty) continue;
        const K& key = *b->key(offi);
        // Doubling in flight, reading an old chain: only the keys bound for
        // this new bucket (the others are met at bucket + newbit).
        if (check_bucket != kNoCheck && !same_size_grow_ &&
            (hash_of(key) & bucket_mask(it_B)) != check_bucket)
          continue;
        if (top != kEvacuatedX && top != kEvacuatedY) {
          if (!visit(key, *b->value(offi))) return;
        } else {
          const Slot s = lookup(key);  // mapaccessK: the golden data moved
          if (s.b == nullptr) continue;  // erased since
          if (!visit(*s.b->key(s.i), *s.b->value(s.i))) return;
        }
      }
    }
  }
}

template <class K, class V, class Hash, class Eq, class Alloc>
template <class F>
void GoMap<K, V, Hash, Eq, Alloc>::for_each(F&& f) const {
  range(0, [&](const K& k, const V& v) {
    f(k, v);
    return true;
  });
}

template <class K, class V, class Hash, class Eq, class Alloc>
template <class Pred>
std::size_t GoMap<K, V, Hash, Eq, Alloc>::erase_if(Pred pred) {
  std::size_t erased = 0;
  iterating_ = true;
  struct End {
    GoMap* m;
    ~End() { m->end_mutating_iteration(); }
  } end{this};
  range(fastrand64(), [&](const K& k, const V& v) {
    if (pred(k, v)) {
      erase(k);
      ++erased;
    }
    return true;
  });
  return erased;
}

template <class K, class V, class Hash, class Eq, class Alloc>
bool GoMap<K, V, Hash, Eq, Alloc>::erase_first() {
  bool erased = false;
  iterating_ = true;
  struct End {
    GoMap* m;
    ~End() { m->end_mutating_iteration(); }
  } end{this};
  range(fastrand64(), [&](const K& k, const V&) {
    erased = erase(k);
    return false;
  });
  return erased;
}

// The iterator is gone: evacuated keys it might have read, and an old array
// whose grow finished under it, can go now.
template <class K, class V, class Hash, class Eq, class Alloc>
void GoMap<K, V, Hash, Eq, Alloc>::end_mutating_iteration() {
  for (bucket_type* chain : retained_chains_) destroy_chain(chain, true);
  retained_chains_.clear();
  if (deferred_old_ != nullptr) {
    free_bucket_array(deferred_old_, deferred_old_allocated_, deferred_old_chains_);
    deferred_old_ = nullptr;
  }
  iterating_ = false;
}

}  // namespace slotlab::go
