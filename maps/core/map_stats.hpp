// MapStats: the one snapshot every strategy returns from stats().
//
// A field is std::optional because "not available" must never look like a
// measured zero: a strategy that cannot see its tombstones (std::unordered_map
// has none to see) or its probe lengths (boost::unordered_flat_map exposes no
// such hook) leaves the field empty, and the trace tool prints an empty cell.
// A zero means the strategy counted and found none -- e.g. robin_map's
// backward-shift erase provably leaves no tombstone.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace slotlab {

using Count = std::optional<std::uint64_t>;
using Ratio = std::optional<double>;

struct MapStats {
  std::uint64_t size = 0;     // live keys
  Count slots;                // slot capacity (buckets * 8 for go, nodes' buckets for std)
  Count bytes;                // bytes held now, from the counting allocator
  Count peak_bytes;           // high-water mark of bytes
  Count tombstones;           // slots marked deleted and not yet reused
  Count overflow_buckets;     // go: the runtime's noverflow counter
  Count buckets_log2;         // go: B
  Ratio mean_probe;           // successful-lookup probe length over live keys (1 = home)
  Count max_probe;
  Count rehashes;             // rebuilds of the slot array since construction
  // Where new keys land. "Freed by an erase" is literal: a slot emptied or
  // tombstoned by an erase (or by the backward shift an erase sets off) is
  // reused; a never-used slot, or room a rebuild set aside without any erase
  // (graveyard's planted tombstones), is fresh. So reused <= erases, always.
  Count fresh_slot_inserts;   // new keys stored in a never-used (empty) slot
  Count reused_slot_inserts;  // new keys stored in a slot freed by an erase
  Count overflow_inserts;     // go: new keys that needed a new overflow bucket
  Count insert_probes;        // slots inspected by all inserts of new keys (cumulative)
  Count inserts;              // inserts of new keys counted in insert_probes
  Count shifted_slots;        // keys moved by backward-shift erases (cumulative); linear-probing family only
  // Slots from home to the slot each new key landed in, + 1 (cumulative, over
  // `inserts`): the insertion cost of Bender-Kuszmaul-Kuszmaul's analysis, which
  // leaves out the scan that confirms the key is absent. Linear-probing family only.
  Count place_probes;
  // Of fresh_slot_inserts, those that filled a tombstone a rebuild planted
  // (graveyard hashing's reserved room). Linear-probing family only; 0 for the
  // policies that never plant.
  Count planted_tombstone_fills;
  // goswiss (Go 1.24+ Swiss map): distinct tables and the directory's length
  // (dirLen; both 0 for a small map). Empty for maps without a directory.
  Count tables;
  Count directory_len;
  // What one probe is for this strategy: "slots", "groups", "nodes", ...
  std::string_view probe_unit = "";
};

}  // namespace slotlab
