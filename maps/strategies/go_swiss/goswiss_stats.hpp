// GoSwissStats: what only the Swiss-map model can tell, beyond the shared
// MapStats -- the directory, each table's bookkeeping as Go's `table` struct
// keeps it (used, capacity, growthLeft, localDepth, index), and the cumulative
// record of where new keys landed and what grew, split and pruned.
#pragma once

#include <cstdint>
#include <vector>

namespace slotlab::goswiss {

struct TableStats {
  std::uint64_t index = 0;        // first directory entry (table.index)
  unsigned local_depth = 0;       // table.localDepth
  std::uint64_t used = 0;         // table.used
  std::uint64_t capacity = 0;     // table.capacity, slots
  std::uint64_t growth_left = 0;  // table.growthLeft
  std::uint64_t tombstones = 0;   // ctrlDeleted bytes, counted
};

struct GoSwissStats {
  // Map header, as the runtime keeps it.
  std::uint64_t used = 0;
  bool small = false;             // one group, no table (dirLen == 0, dirPtr != nil)
  std::uint64_t directory_len = 0;  // dirLen
  unsigned global_depth = 0;      // globalDepth
  std::uint64_t seed = 0;         // the per-map seed xored into the harness hash
  bool tombstone_possible = false;  // tombstonePossible
  std::uint64_t tables = 0;       // distinct tables in the directory
  std::vector<TableStats> per_table;  // in directory order, one row per distinct table
  std::uint64_t tombstones = 0;   // over all tables

  // Cumulative since construction.
  std::uint64_t inserts_into_tombstone = 0;  // PutSlot reused firstDeleted
  std::uint64_t inserts_into_empty = 0;      // a ctrlEmpty slot (table or small group)
  std::uint64_t grows_to_table = 0;          // growToTable: small group -> one table of 16
  std::uint64_t grows = 0;                   // table.grow (capacity doubled)
  std::uint64_t splits = 0;                  // table.split (two tables of 1024)
  std::uint64_t directory_grows = 0;         // installTableSplit doubling the directory
  std::uint64_t prune_calls = 0;             // pruneTombstones entered (growthLeft == 0)
  std::uint64_t prunes = 0;                  // ... that removed tombstones
  std::uint64_t tombstones_pruned = 0;       // ctrlDeleted -> ctrlEmpty by those prunes
  std::uint64_t seed_redraws = 0;            // used dropped to 0 on delete, or clear()
};

}  // namespace slotlab::goswiss
