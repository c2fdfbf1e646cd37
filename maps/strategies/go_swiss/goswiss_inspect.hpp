// Looking inside the Swiss-map model: stats(), goswiss_stats(), probe_length()
// and the invariant checker used by the tests and the fuzz lanes.
//
// Stats conventions (MapStats):
//   slots          the capacity of every table (8 for a small map, 0 before
//                  the first insert)
//   tombstones     ctrlDeleted bytes, from each table's own arithmetic
//                  (capacity*7/8 - used - growthLeft, Go's tombstones()); the
//                  checker verifies it against the bytes
//   tables, directory_len  distinct tables, dirLen (both 0 for a small map)
//   rehashes       growToTable + grows + splits (+ reserve() rebuilds)
//   reused_slot_inserts  new keys stored in a tombstone
//   fresh_slot_inserts   new keys stored in an empty slot. An empty slot may
//                  have held a key before (a delete in a group with room
//                  empties its slot, and every delete in a small map does):
//                  the control byte cannot tell, so reused counts only what
//                  Go itself distinguishes
//   insert_probes  groups each insert of a new key read (the absence check
//                  runs to the group that ends the probe sequence; a small
//                  map's single group counts 1; an insert that had to rehash
//                  first counts both walks)
//   overflow_buckets, buckets_log2  not notions of this map: empty
#pragma once

#include "maps/adapters/container_adapter.hpp"  // fill_probe_stats

namespace slotlab::goswiss {

template <class K, class V, class Hash, class Eq, class Alloc>
std::optional<std::uint32_t> GoSwissMap<K, V, Hash, Eq, Alloc>::probe_length(const K& key) const {
  if (used_ == 0) return 0;  // Go returns before hashing
  if (dir_len_ == 0) return 1;
  const std::uint64_t hash = hash_of(key);
  const std::uint8_t h = h2(hash);
  const table_type* t = table_for(hash);
  std::uint32_t groups = 0;
  for (ProbeSeq seq(h1(hash), t->length_mask);; seq.next()) {
    const group_type* g = t->groups + seq.offset;
    ++groups;
    const std::uint64_t w = g->ctrl_word();
    for (std::uint64_t m = match_h2(w, h); m != 0; m = remove_first(m))
      if (eq_(*g->key(first(m)), key)) return groups;
    if (match_empty(w) != 0) return groups;
  }
}

template <class K, class V, class Hash, class Eq, class Alloc>
GoSwissStats GoSwissMap<K, V, Hash, Eq, Alloc>::goswiss_stats() const {
  GoSwissStats s = counters_;
  s.used = used_;
  s.small = small_ != nullptr;
  s.directory_len = dir_len_;
  s.global_depth = global_depth_;
  s.seed = seed_;
  s.tombstone_possible = tombstone_possible_;
  s.tables = 0;
  s.tombstones = 0;
  s.per_table.clear();
  if (dir_ == nullptr) return s;
  for_each_table([&](const table_type* t) {
    TableStats ts;
    ts.index = static_cast<std::uint64_t>(t->index);
    ts.local_depth = t->local_depth;
    ts.used = t->used;
    ts.capacity = t->capacity;
    ts.growth_left = t->growth_left;
    for (std::uint64_t j = 0; j <= t->length_mask; ++j)
      for (unsigned i = 0; i < kGroupSlots; ++i) ts.tombstones += t->groups[j].ctrl[i] == kCtrlDeleted;
    s.tombstones += ts.tombstones;
    s.per_table.push_back(ts);
    ++s.tables;
  });
  return s;
}

template <class K, class V, class Hash, class Eq, class Alloc>
MapStats GoSwissMap<K, V, Hash, Eq, Alloc>::stats() const {
  MapStats s;
  s.size = used_;
  std::uint64_t slots = small_ != nullptr ? kGroupSlots : 0, tombstones = 0, tables = 0;
  if (dir_ != nullptr)
    for_each_table([&](const table_type* t) {
      slots += t->capacity;
      tombstones += t->tombstones();
      ++tables;
    });
  s.slots = slots;
  s.tombstones = tombstones;
  s.tables = tables;
  s.directory_len = dir_len_;
  if constexpr (requires { alloc_.ledger(); }) {
    s.bytes = alloc_.ledger()->bytes;
    s.peak_bytes = alloc_.ledger()->peak_bytes;
  }
  s.rehashes = counters_.grows_to_table + counters_.grows + counters_.splits + rebuilds_;
  s.fresh_slot_inserts = counters_.inserts_into_empty;
  s.reused_slot_inserts = counters_.inserts_into_tombstone;
  s.insert_probes = insert_probes_;
  s.inserts = inserts_;
  s.probe_unit = kProbeUnit;
  fill_probe_stats(*this, s);
  return s;
}

template <class K, class V, class Hash, class Eq, class Alloc>
std::string GoSwissMap<K, V, Hash, Eq, Alloc>::check_invariants() const {
  using std::to_string;
  // Messages are built only on failure: the fuzz lanes run this often.
  auto valid_ctrl = [](std::uint8_t c) { return c == kCtrlEmpty || c == kCtrlDeleted || c < 0x80; };
  // A live key: its H2, its table (directory bits), reachable by its own probe sequence, once.
  auto check_key = [&](const group_type* g, unsigned i, const table_type* t,
                       auto where) -> std::string {
    const K& key = *g->key(i);
    const std::uint64_t hash = hash_of(key);
    if (g->ctrl[i] != h2(hash))
      return where() + ": control byte " + to_string(g->ctrl[i]) + " but the key's H2 is " + to_string(h2(hash));
    if (t != nullptr && table_for(hash) != t)
      return where() + ": key belongs to directory entry " +
             to_string(dir_len_ == 1 ? 0 : hash >> global_shift_) + ", another table";
    const SlotRef s = lookup(key);
    if (s.g != g || s.i != i)
      return where() + (s.g == nullptr ? ": key not reachable by its probe sequence"
                                     : ": key stored twice (lookup finds another copy first)");
    return "";
  };

  if (iterating_ == 0 && (!retired_tables_.empty() || !retired_groups_.empty()))
    return "replaced tables kept although no iteration runs";
  if (dir_len_ == 0) {
    if (dir_ != nullptr) return "dirLen 0 but a directory is allocated";
    if (global_depth_ != 0) return "small map with globalDepth " + to_string(global_depth_);
    if (small_ == nullptr) return used_ == 0 ? "" : "no group but used is " + to_string(used_);
    std::uint64_t full = 0;
    for (unsigned i = 0; i < kGroupSlots; ++i) {
      const std::uint8_t c = small_->ctrl[i];
      auto where = [&] { return "small group, slot " + to_string(i); };
      if (!valid_ctrl(c)) return where() + ": invalid control byte " + to_string(c);
      if (c == kCtrlDeleted) return where() + ": a tombstone in a small map";
      if (!is_full(c)) continue;
      ++full;
      if (std::string e = check_key(small_, i, nullptr, where); !e.empty()) return e;
    }
    if (full != used_) return "used is " + to_string(used_) + " but the group holds " + to_string(full);
  } else {
    if (small_ != nullptr) return "a small group beside a directory";
    if (dir_len_ != (std::uint64_t{1} << global_depth_))
      return "dirLen " + to_string(dir_len_) + " is not 2^globalDepth (" + to_string(global_depth_) + ")";
    if (global_shift_ != 64 - global_depth_) return "globalShift is not 64 - globalDepth";
    std::uint64_t used = 0, tombstones = 0;
    for (std::uint64_t d = 0; d < dir_len_; ++d) {
      const table_type* t = dir_[d];
      if (t == nullptr) return "directory entry " + to_string(d) + " is null";
      if (t->local_depth > global_depth_)
        return "directory entry " + to_string(d) + ": localDepth " + to_string(t->local_depth) +
               " > globalDepth " + to_string(global_depth_);
      const std::uint64_t span = std::uint64_t{1} << (global_depth_ - t->local_depth);
      if (t->index != static_cast<std::int64_t>(d & ~(span - 1)))
        return "directory entry " + to_string(d) + ": the table's index is " + to_string(t->index) +
               ", its run of " + to_string(span) + " entries starts at " + to_string(d & ~(span - 1));
      if (static_cast<std::uint64_t>(t->index) != d) continue;  // checked at its first entry
      for (std::uint64_t j = d; j < d + span; ++j)
        if (dir_[j] != t)
          return "directory entries " + to_string(d) + ".." + to_string(d + span - 1) +
                 " should all point to one table (localDepth " + to_string(t->local_depth) + ")";
      const std::string name = "table at directory entry " + to_string(d);
      if (t->capacity < kGroupSlots || t->capacity > kMaxTableCapacity || !std::has_single_bit(t->capacity))
        return name + ": capacity " + to_string(t->capacity);
      if (t->length_mask + 1 != t->capacity / kGroupSlots) return name + ": group count is not capacity/8";
      if (t->growth_left > t->max_growth_left())
        return name + ": growthLeft " + to_string(t->growth_left) + " > maxGrowthLeft";
      if (t->used + t->growth_left > t->capacity * kMaxAvgGroupLoad / kGroupSlots)
        return name + ": used + growthLeft exceed 7/8 of the capacity";
      std::uint64_t full = 0, deleted = 0, empty = 0;
      for (std::uint64_t j = 0; j <= t->length_mask; ++j) {
        const group_type* g = t->groups + j;
        unsigned group_empty = 0, group_deleted = 0;
        for (unsigned i = 0; i < kGroupSlots; ++i) {
          const std::uint8_t c = g->ctrl[i];
          auto where = [&] { return name + ", group " + to_string(j) + ", slot " + to_string(i); };
          if (!valid_ctrl(c)) return where() + ": invalid control byte " + to_string(c);
          if (c == kCtrlEmpty) ++group_empty;
          else if (c == kCtrlDeleted) ++group_deleted;
          else if (std::string e = check_key(g, i, t, where); !e.empty()) return e;
          else ++full;
        }
        // A delete tombstones only in a full group, and a prune empties all of
        // a group's tombstones: a group never holds both.
        if (group_empty != 0 && group_deleted != 0)
          return name + ", group " + to_string(j) + ": both empty slots and tombstones";
        empty += group_empty;
        deleted += group_deleted;
      }
      if (full != t->used) return name + ": used is " + to_string(t->used) + " but " + to_string(full) + " slots are full";
      if (deleted != t->tombstones())
        return name + ": " + to_string(deleted) + " tombstones but capacity*7/8 - used - growthLeft is " +
               to_string(t->tombstones());
      if (empty == 0) return name + ": no empty slot, so a probe for a missing key never ends";
      used += t->used;
      tombstones += deleted;
    }
    if (used != used_) return "used is " + to_string(used_) + " but the tables hold " + to_string(used);
    if (tombstones != 0 && !tombstone_possible_) return "tombstones present but tombstonePossible is false";
  }
  std::uint64_t walked = 0;
  for_each([&](const K&, const V&) { ++walked; });
  if (walked != used_)
    return "iteration visits " + to_string(walked) + " entries, used is " + to_string(used_);
  return "";
}

}  // namespace slotlab::goswiss
