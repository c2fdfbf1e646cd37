// Iteration of the Swiss-map model: Iter.Init, Iter.Next, nextDirIdx and
// grownKeyElem from internal/runtime/maps/table.go (Go 1.26).
//
// The iterator walks the directory from a random entry (dirOffset) and each
// table from a random slot (entryOffset), skipping the other entries of a
// table that covers several. It keeps the table it is walking even after an
// insert grew or split it (the table is then stale, index -1, and the map
// keeps it alive until the iteration ends, as Go's GC does): keys are still
// chosen from the old table, so none is returned twice, but each is looked
// up again in the live map, so an erased key is skipped and a changed value
// is seen. A directory that doubled under the iterator doubles its index and
// offset. A map small at Init is walked in its one group, looking keys up in
// the tables if it has grown since. Every key present throughout is visited
// exactly once; keys inserted meanwhile may or may not be (Go's spec).
//
// for_each starts at directory entry 0, slot 0, so that observing a map never
// draws from its random stream (stats() iterates); erase_if and erase_first
// are Go's `for k, v := range m { ... delete(m, k) }` and start where Go
// would, at random offsets.
#pragma once

namespace slotlab::goswiss {

template <class K, class V, class Hash, class Eq, class Alloc>
struct GoSwissMap<K, V, Hash, Eq, Alloc>::Iter {
  bool done = true;  // the map was empty at Init (Go: it.m == nil), or the walk is over
  std::uint64_t entry_offset = 0;
  std::uint64_t dir_offset = 0;
  std::uint8_t global_depth = 0;  // the map's at the previous Next
  std::int64_t dir_idx = 0;       // -1: the map was small at Init
  const table_type* tab = nullptr;
  const group_type* group = nullptr;  // the small map's group
  std::uint64_t entry_idx = 0;
};

template <class K, class V, class Hash, class Eq, class Alloc>
void GoSwissMap<K, V, Hash, Eq, Alloc>::iter_init(Iter& it, std::uint64_t entry_offset,
                                                  std::uint64_t dir_offset) const {
  it = Iter{};
  if (used_ == 0) return;
  it.done = false;
  it.dir_idx = dir_len_ == 0 ? -1 : 0;
  it.group = dir_len_ == 0 ? small_ : nullptr;
  it.entry_offset = entry_offset;
  it.dir_offset = dir_offset;
  it.global_depth = global_depth_;
}

template <class K, class V, class Hash, class Eq, class Alloc>
bool GoSwissMap<K, V, Hash, Eq, Alloc>::iter_next(Iter& it, const K*& key, const V*& value) const {
  if (it.done) return false;
  if (it.dir_idx < 0) {  // small at Init
    for (; it.entry_idx < kGroupSlots; ++it.entry_idx) {
      const unsigned k = static_cast<unsigned>((it.entry_idx + it.entry_offset) % kGroupSlots);
      if (!is_full(it.group->ctrl[k])) continue;
      if (dir_len_ > 0) {  // grown to tables since Init: the live entry, if any
        const SlotRef s = lookup(*it.group->key(k));
        if (s.g == nullptr) continue;
        key = s.g->key(s.i);
        value = s.g->value(s.i);
      } else {
        key = it.group->key(k);
        value = it.group->value(k);
      }
      ++it.entry_idx;
      return true;
    }
    it.done = true;
    return false;
  }
  if (it.global_depth != global_depth_) {  // the directory grew: same order, finer index
    const unsigned orders = global_depth_ - it.global_depth;
    it.dir_idx <<= orders;
    it.dir_offset <<= orders;
    it.global_depth = global_depth_;
  }
  for (; it.dir_idx < static_cast<std::int64_t>(dir_len_);) {
    if (it.tab == nullptr) {
      std::uint64_t d = (static_cast<std::uint64_t>(it.dir_idx) + it.dir_offset) & (dir_len_ - 1);
      const table_type* nt = dir_[d];
      if (nt->index != static_cast<std::int64_t>(d)) {
        // The random start fell inside a run of entries of one table: start at its first.
        it.dir_offset -= d - static_cast<std::uint64_t>(nt->index);
      }
      it.tab = nt;
    }
    const std::uint64_t mask = std::uint64_t{it.tab->capacity} - 1;
    while (it.entry_idx <= mask) {
      const std::uint64_t e = (it.entry_idx + it.entry_offset) & mask;
      const unsigned slot = static_cast<unsigned>(e & (kGroupSlots - 1));
      const group_type* g = it.tab->groups + (e / kGroupSlots);
      const std::uint64_t full = remove_below(match_full(g->ctrl_word()), slot);
      if (full == 0) {  // jump past the rest of this group
        it.entry_idx += kGroupSlots - slot;
        continue;
      }
      const unsigned i = first(full);
      it.entry_idx += i - slot;
      if (it.entry_idx > mask) break;  // past the end of this table's walk
      ++it.entry_idx;
      if (it.tab->index == -1) {  // grownKeyElem: grown or split since we started it
        const SlotRef s = lookup(*g->key(i));
        if (s.g == nullptr) continue;  // deleted since
        key = s.g->key(s.i);
        value = s.g->value(s.i);
        return true;
      }
      key = g->key(i);
      value = g->value(i);
      return true;
    }
    // nextDirIdx: skip the other entries of this table (or of its split halves).
    it.dir_idx += std::int64_t{1} << (global_depth_ - it.tab->local_depth);
    it.tab = nullptr;
    it.entry_idx = 0;
  }
  it.done = true;
  return false;
}

template <class K, class V, class Hash, class Eq, class Alloc>
template <class F>
void GoSwissMap<K, V, Hash, Eq, Alloc>::for_each(F&& f) const {
  Iter it;
  iter_init(it, 0, 0);
  const K* k;
  const V* v;
  while (iter_next(it, k, v)) f(*k, *v);
}

template <class K, class V, class Hash, class Eq, class Alloc>
template <class Pred>
std::size_t GoSwissMap<K, V, Hash, Eq, Alloc>::erase_if(Pred pred) {
  if (used_ == 0) return 0;  // Iter.Init draws nothing for an empty map
  std::size_t erased = 0;
  ++iterating_;
  struct End {
    GoSwissMap* m;
    ~End() { m->end_mutating_iteration(); }
  } end{this};
  Iter it;
  const std::uint64_t entry_offset = rand64();
  iter_init(it, entry_offset, rand64());
  const K* k;
  const V* v;
  while (iter_next(it, k, v)) {
    const K key = *k;  // Go's loop variable: a copy, whatever pred does to the map
    if (pred(key, *v)) {
      erase(key);
      ++erased;
    }
  }
  return erased;
}

template <class K, class V, class Hash, class Eq, class Alloc>
bool GoSwissMap<K, V, Hash, Eq, Alloc>::erase_first() {
  if (used_ == 0) return false;
  Iter it;
  const std::uint64_t entry_offset = rand64();
  iter_init(it, entry_offset, rand64());
  const K* k;
  const V* v;
  if (!iter_next(it, k, v)) return false;
  const K key = *k;
  return erase(key);
}

// The iterator is gone: the tables and the small group replaced under it go now.
template <class K, class V, class Hash, class Eq, class Alloc>
void GoSwissMap<K, V, Hash, Eq, Alloc>::end_mutating_iteration() {
  if (--iterating_ > 0) return;
  for (table_type* t : retired_tables_) free_table(t);
  retired_tables_.clear();
  for (group_type* g : retired_groups_) {
    destroy_full_slots(g);
    deallocate_groups(g, 1);
  }
  retired_groups_.clear();
}

}  // namespace slotlab::goswiss
