// Growth of the Swiss-map model: table.rehash, grow, split, localDepthMask,
// Map.replaceTable, Map.installTableSplit and table.pruneTombstones
// (internal/runtime/maps/table.go and map.go, Go 1.26).
//
// A table is only ever rebuilt whole, by the insert that finds growthLeft at
// 0 after pruneTombstones could not free enough: doubled while the new
// capacity stays <= maxTableCapacity (1024 slots), else split into two tables
// of 1024 on the next hash bit from the top. Both rebuild without tombstones
// (uncheckedPutSlot in group-then-slot order). Go never rehashes in place:
// that would reorder slots under a running iterator.
#pragma once

namespace slotlab::goswiss {

template <class K, class V, class Hash, class Eq, class Alloc>
void GoSwissMap<K, V, Hash, Eq, Alloc>::rehash(table_type* t) {
  const unsigned new_capacity = 2u * t->capacity;
  if (new_capacity <= kMaxTableCapacity) {
    grow(t, static_cast<std::uint16_t>(new_capacity));
    return;
  }
  split(t);
}

template <class K, class V, class Hash, class Eq, class Alloc>
void GoSwissMap<K, V, Hash, Eq, Alloc>::grow(table_type* t, std::uint16_t new_capacity) {
  table_type* nt = new_table(new_capacity, t->index, t->local_depth);
  for (std::uint64_t j = 0; j <= t->length_mask; ++j) {
    group_type* g = t->groups + j;
    for (std::uint64_t m = match_full(g->ctrl_word()); m != 0; m = remove_first(m)) {
      const unsigned i = first(m);
      const std::uint64_t hash = hash_of(*g->key(i));
      transfer(g, i, [&](auto&& k, auto&& v) {
        unchecked_put_slot(nt, hash, std::forward<decltype(k)>(k), std::forward<decltype(v)>(v));
      });
    }
  }
  replace_table(nt);
  t->index = -1;
  retire_table(t);
  ++counters_.grows;
}

template <class K, class V, class Hash, class Eq, class Alloc>
void GoSwissMap<K, V, Hash, Eq, Alloc>::split(table_type* t) {
  const std::uint8_t local_depth = static_cast<std::uint8_t>(t->local_depth + 1);
  table_type* left = new_table(kMaxTableCapacity, -1, local_depth);
  table_type* right = new_table(kMaxTableCapacity, -1, local_depth);
  const std::uint64_t mask = std::uint64_t{1} << (64 - local_depth);  // localDepthMask
  for (std::uint64_t j = 0; j <= t->length_mask; ++j) {
    group_type* g = t->groups + j;
    for (std::uint64_t m = match_full(g->ctrl_word()); m != 0; m = remove_first(m)) {
      const unsigned i = first(m);
      const std::uint64_t hash = hash_of(*g->key(i));
      table_type* to = (hash & mask) == 0 ? left : right;
      transfer(g, i, [&](auto&& k, auto&& v) {
        unchecked_put_slot(to, hash, std::forward<decltype(k)>(k), std::forward<decltype(v)>(v));
      });
    }
  }
  install_table_split(t, left, right);
  t->index = -1;
  retire_table(t);
  ++counters_.splits;
}

// replaceTable: every directory entry the table covers (2^(globalDepth-localDepth)).
template <class K, class V, class Hash, class Eq, class Alloc>
void GoSwissMap<K, V, Hash, Eq, Alloc>::replace_table(table_type* nt) {
  const std::uint64_t entries = std::uint64_t{1} << (global_depth_ - nt->local_depth);
  for (std::uint64_t i = 0; i < entries; ++i) dir_[static_cast<std::uint64_t>(nt->index) + i] = nt;
}

template <class K, class V, class Hash, class Eq, class Alloc>
void GoSwissMap<K, V, Hash, Eq, Alloc>::install_table_split(table_type* old, table_type* left,
                                                            table_type* right) {
  if (old->local_depth == global_depth_) {
    // No room for another level: double the directory; every table now
    // covers twice the entries, starting at twice its index.
    table_type** nd = allocate_directory(2 * dir_len_);
    for (std::uint64_t i = 0; i < dir_len_; ++i) {
      table_type* t = dir_[i];
      nd[2 * i] = t;
      nd[2 * i + 1] = t;
      // t may sit at several indices; only its first one is its index.
      if (t->index == static_cast<std::int64_t>(i)) t->index = static_cast<std::int64_t>(2 * i);
    }
    deallocate_directory(dir_, dir_len_);
    dir_ = nd;
    dir_len_ *= 2;
    ++global_depth_;
    --global_shift_;
    ++counters_.directory_grows;
  }
  left->index = old->index;
  replace_table(left);
  const std::int64_t entries = std::int64_t{1} << (global_depth_ - left->local_depth);
  right->index = left->index + entries;
  replace_table(right);
}

// pruneTombstones: best effort, O(capacity), so only when it pays -- at least
// 10% of the capacity in tombstones, and at least 10% removable. A tombstone
// group is needed when some key's probe sequence passes through it before
// reaching the key's group; the others' tombstones become empty. Slots never
// move (an iterator may be walking them).
template <class K, class V, class Hash, class Eq, class Alloc>
void GoSwissMap<K, V, Hash, Eq, Alloc>::prune_tombstones(table_type* t) {
  ++counters_.prune_calls;
  if (t->tombstones() * 10u < t->capacity) return;  // not worth the effort
  std::uint32_t needed[(kMaxTableCapacity / kGroupSlots + 31) / 32] = {};
  auto mark = [&](std::uint64_t j) { needed[j / 32] |= std::uint32_t{1} << (j % 32); };
  auto is_needed = [&](std::uint64_t j) { return (needed[j / 32] >> (j % 32) & 1) != 0; };
  for (std::uint64_t j = 0; j <= t->length_mask; ++j) {
    const group_type* g = t->groups + j;
    for (std::uint64_t m = match_full(g->ctrl_word()); m != 0; m = remove_first(m)) {
      const std::uint64_t hash = hash_of(*g->key(first(m)));
      for (ProbeSeq seq(h1(hash), t->length_mask); seq.offset != j; seq.next())
        if (match_empty_or_deleted(t->groups[seq.offset].ctrl_word()) != 0)
          mark(seq.offset);  // deleted, not empty: the key is further on
    }
    if (match_empty(g->ctrl_word()) != 0) mark(j);  // no tombstones to take from it
  }
  unsigned removable = 0;
  for (std::uint64_t j = 0; j <= t->length_mask; ++j)
    if (!is_needed(j)) removable += count(match_empty_or_deleted(t->groups[j].ctrl_word()));
  if (removable * 10u < t->capacity) return;  // the caller grows instead
  for (std::uint64_t j = 0; j <= t->length_mask; ++j) {
    if (is_needed(j)) continue;
    group_type* g = t->groups + j;
    for (std::uint64_t m = match_empty_or_deleted(g->ctrl_word()); m != 0; m = remove_first(m)) {
      g->ctrl[first(m)] = kCtrlEmpty;
      ++t->growth_left;
    }
  }
  ++counters_.prunes;
  counters_.tombstones_pruned += removable;
}

}  // namespace slotlab::goswiss
