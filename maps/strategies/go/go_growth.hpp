// Growth of the Go map model: hashGrow, growWork, evacuate and
// advanceEvacuationMark from runtime/map.go, step for step.
//
// A grow allocates the new array and nothing else; entries move one old
// bucket (with its overflow chain) at a time, when a write is about to touch
// that bucket, plus the lowest not-yet-evacuated bucket so the grow finishes
// in at most 2^oldB writes. noverflow restarts at 0 with the new array, and
// overflow buckets evacuate() needs are counted in it too.
#pragma once

namespace slotlab::go {

template <class K, class V, class Hash, class Eq, class Alloc>
void GoMap<K, V, Hash, Eq, Alloc>::hash_grow() {
  unsigned bigger = 1;
  if (!over_load_factor(count_ + 1, B_)) {
    bigger = 0;
    same_size_grow_ = true;
    ++counters_.same_size_grows;
  } else {
    ++counters_.doubling_grows;
  }
  bucket_type* const old = buckets_;
  const std::size_t old_allocated = nbuckets_allocated_;
  make_bucket_array(B_ + bigger);
  B_ += bigger;
  oldbuckets_ = old;
  nold_allocated_ = old_allocated;
  nevacuate_ = 0;
  noverflow_ = 0;
  ++grows_and_rebuilds_;
}

template <class K, class V, class Hash, class Eq, class Alloc>
void GoMap<K, V, Hash, Eq, Alloc>::grow_work(std::uint64_t bucket) {
  evacuate(bucket & oldbucket_mask());  // the bucket about to be used
  if (growing()) evacuate(nevacuate_);  // and one more, to make progress
}

template <class K, class V, class Hash, class Eq, class Alloc>
void GoMap<K, V, Hash, Eq, Alloc>::evacuate(std::uint64_t oldbucket) {
  bucket_type* b = oldbuckets_ + oldbucket;
  const std::uint64_t newbit = noldbuckets();
  if (!b->evacuated()) {
    struct Dst {
      bucket_type* b;
      unsigned i;
    } xy[2] = {{buckets_ + oldbucket, 0}, {nullptr, 0}};
    if (!same_size_grow_) xy[1].b = buckets_ + oldbucket + newbit;
    bool kept_keys = false;
    for (; b != nullptr; b = b->overflow) {
      for (unsigned i = 0; i < kBucketCnt; ++i) {
        const std::uint8_t top = b->tophash[i];
        if (is_empty(top)) {
          b->tophash[i] = kEvacuatedEmpty;
          continue;
        }
        unsigned use_y = 0;
        if (!same_size_grow_ && (hash_of(*b->key(i)) & newbit) != 0) use_y = 1;
        b->tophash[i] = static_cast<std::uint8_t>(kEvacuatedX + use_y);
        Dst& dst = xy[use_y];
        if (dst.i == kBucketCnt) {
          dst.b = new_overflow(dst.b);
          dst.i = 0;
        }
        dst.b->tophash[dst.i] = top;
        unpoison_slot(dst.b->key_slot(dst.i), sizeof(K));
        unpoison_slot(dst.b->value_slot(dst.i), sizeof(V));
        if (iterating_) {
          // A running iterator may still read this key here (mapiternext
          // looks evacuated keys up in the new table), so it stays.
          ::new (dst.b->key_slot(dst.i)) K(*b->key(i));
          kept_keys = true;
        } else {
          ::new (dst.b->key_slot(dst.i)) K(std::move(*b->key(i)));
          destroy_key(b, i);
        }
        ::new (dst.b->value_slot(dst.i)) V(std::move(*b->value(i)));
        std::destroy_at(b->value(i));
        poison_slot(b->value_slot(i), sizeof(V));
        ++dst.i;
      }
    }
    if (kept_keys) retained_chains_.push_back(oldbuckets_ + oldbucket);
    ++counters_.buckets_evacuated;
  }
  if (oldbucket == nevacuate_) advance_evacuation_mark(newbit);
}

template <class K, class V, class Hash, class Eq, class Alloc>
void GoMap<K, V, Hash, Eq, Alloc>::advance_evacuation_mark(std::uint64_t newbit) {
  ++nevacuate_;
  // Go's safeguard: look at most 1024 buckets ahead, to keep each write O(1).
  const std::uint64_t stop = std::min<std::uint64_t>(nevacuate_ + 1024, newbit);
  while (nevacuate_ != stop && oldbuckets_[nevacuate_].evacuated()) ++nevacuate_;
  if (nevacuate_ == newbit) finish_growth();
}

template <class K, class V, class Hash, class Eq, class Alloc>
void GoMap<K, V, Hash, Eq, Alloc>::finish_growth() {
  if (iterating_) {  // the iterator may stand in an old chain: free it afterwards
    deferred_old_ = oldbuckets_;
    deferred_old_allocated_ = nold_allocated_;
    deferred_old_chains_ = noldbuckets();
    oldbuckets_ = nullptr;
  } else {
    free_old_array();
  }
  same_size_grow_ = false;
}

}  // namespace slotlab::go
