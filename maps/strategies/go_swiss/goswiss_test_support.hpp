// Test-only view into the Swiss-map model: control bytes, the table and group
// a key lands in, and a zero seed so that a test's hasher alone places keys
// (GoSwissMap befriends this).
#pragma once

#include <cstdint>
#include <string>

#include "maps/core/hashers.hpp"
#include "maps/strategies/go_swiss/goswiss_map.hpp"

namespace slotlab::goswiss {

struct GoSwissMapTestAccess {
  // The map's hash becomes the hasher's own (seed 0, never redrawn by the
  // first insert); call on an empty map that has not been written yet.
  template <class M>
  static void zero_seed(M& m) {
    m.stream_seeded_ = true;
    m.seed_ = 0;
  }
  template <class M>
  static std::uint64_t hash_of(const M& m, const typename M::key_type& k) { return m.hash_of(k); }
  // One character per slot of a group: '#' full, 'D' tombstone, '.' empty.
  template <class G>
  static std::string ctrl_string(const G* g) {
    std::string s;
    for (unsigned i = 0; i < kGroupSlots; ++i)
      s += is_full(g->ctrl[i]) ? '#' : g->ctrl[i] == kCtrlDeleted ? 'D' : '.';
    return s;
  }
  template <class M>
  static std::string small_ctrl(const M& m) { return m.small_ ? ctrl_string(m.small_) : ""; }
  // Group j of the table directory entry d points to.
  template <class M>
  static std::string group_ctrl(const M& m, std::uint64_t d, std::uint64_t j) {
    return ctrl_string(m.dir_[d]->groups + j);
  }
  template <class M>
  static const void* table_at(const M& m, std::uint64_t d) { return m.dir_[d]; }
  template <class M>
  static void set_ctrl(M& m, std::uint64_t d, std::uint64_t j, unsigned i, std::uint8_t c) {
    m.dir_[d]->groups[j].ctrl[i] = c;
  }
  template <class M>
  static void set_growth_left(M& m, std::uint64_t d, std::uint16_t v) { m.dir_[d]->growth_left = v; }
  template <class M>
  static void set_local_depth(M& m, std::uint64_t d, std::uint8_t v) { m.dir_[d]->local_depth = v; }
};

// hash = key: with a zero seed, a key's low 7 bits are its H2, the next bits
// pick its home group, the top bits its directory entry.
struct IdentityHash {
  std::size_t operator()(std::uint64_t key) const noexcept { return key; }
};

// A key whose home is group `group` of a table, with H2 `tag`, directory bits `top`.
constexpr std::uint64_t key_at(std::uint64_t group, std::uint8_t tag, std::uint64_t top = 0,
                               unsigned global_depth = 0) {
  return (global_depth ? top << (64 - global_depth) : 0) | (group << 7) | tag;
}

}  // namespace slotlab::goswiss
