// GoStats: what only the Go model can tell, beyond the shared MapStats --
// the seed question's numbers (where each new key landed: an emptyOne slot,
// an emptyRest slot, or a new overflow bucket) and the growth bookkeeping.
#pragma once

#include <cstdint>

namespace slotlab::go {

struct GoStats {
  // hmap header, as the runtime keeps it.
  std::uint64_t count = 0;
  unsigned B = 0;
  std::uint16_t noverflow = 0;      // Go's own counter (exact below B=16, sampled above)
  std::uint64_t hash0 = 0;          // the per-map seed mixed into the harness hash
  bool growing = false;
  bool same_size_grow = false;
  std::uint64_t nevacuate = 0;

  // The table as it is (walked, exact).
  std::uint64_t overflow_buckets_in_use = 0;    // linked into chains (current + old array)
  std::uint64_t preallocated_overflow_left = 0; // makeBucketArray's spare buckets not yet taken
  std::uint64_t empty_one_slots = 0;            // tombstones
  std::uint64_t empty_rest_slots = 0;           // in buckets that exist (incl. overflow)

  // Cumulative since construction: where each new key landed.
  std::uint64_t inserts_into_empty_one = 0;     // a slot an erase marked emptyOne
  std::uint64_t inserts_into_empty_rest = 0;    // an emptyRest slot (never used, or cleared at a chain's tail)
  std::uint64_t inserts_into_new_overflow = 0;  // chain full: newoverflow()
  std::uint64_t doubling_grows = 0;
  std::uint64_t same_size_grows = 0;
  std::uint64_t seed_redraws = 0;               // count dropped to 0 (mapdelete) or clear()
  std::uint64_t buckets_evacuated = 0;          // old buckets moved by evacuate()
};

}  // namespace slotlab::go
