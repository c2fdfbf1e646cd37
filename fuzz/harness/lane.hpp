// Lane: one strategy's map run side by side with its own std::unordered_map
// oracle. Every operation is applied to both and every observable result is
// compared: return values, the size after every op, values found, the key
// erase_first chose; full order-insensitive equality, the strategy's
// check_invariants() and the consistency of its stats() at checkpoints.
//
// Each lane owns its oracle because erase_first and erase-by-iteration let the
// strategy choose which key goes (its iteration order), and orders differ --
// Abseil's even differs from run to run (its per-table salt is the slot
// array's address). So contents may diverge between lanes, never between a
// lane's map and its oracle. Nothing here depends on iteration order.
//
// Memory: every map counts its bytes in its CountingAllocator's ledger, and
// a ledger is only as good as its credits. The lane keeps a handle on the
// ledger of each map it owned (get_allocator().ledger()), so it can audit it
// after the map is gone: back at exactly zero bytes when the map is destroyed
// (at the end of the input, or replaced by a copy or move: move assignment
// must free the target's old table through the target's own ledger), never
// below zero (a size_t that wraps shows as bytes beyond peak_bytes), as many
// deallocations as allocations, and clear() never allocates; a clear() that
// drops the table (slots N -> 0: absl frees tables of more than 127 slots)
// leaves 0 bytes. Maps that keep their table on clear() (go, the linear-probing
// family, robin, boost, std's bucket array) are audited when destroyed.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "fuzz/harness/fail.hpp"
#include "fuzz/harness/op_stream.hpp"
#include "fuzz/harness/tracked_value.hpp"
#include "maps/core/counting_allocator.hpp"
#include "maps/core/map_stats.hpp"
#include "maps/core/slot_map.hpp"

namespace slotlab::fuzz {

// The mixed byte erase_if's predicate compares with its threshold: a pure
// function of the value, so the map and the oracle erase the same entries.
inline std::uint8_t erase_if_byte(std::uint64_t payload) {
  return static_cast<std::uint8_t>((payload * 0x9E3779B97F4A7C15ull) >> 56);
}

template <class K>
std::string describe_key(const K& key) {
  if constexpr (std::is_same_v<K, std::string>) return "\"" + key + "\"";
  else return std::to_string(key);
}

// The ledger a map's CountingAllocator writes to (registry.hpp: every map
// counts through one); nullptr when a map does not expose its allocator, and
// then its lane cannot audit memory.
template <class M>
std::shared_ptr<const AllocationLedger> ledger_of(const M& m) {
  if constexpr (requires { m.get_allocator().ledger(); }) return m.get_allocator().ledger();
  else return nullptr;
}

// What the op loop sees of a lane: one virtual call per op, so each strategy's
// lanes are compiled in their own translation unit (lane_shard.cpp) -- the
// build parallelises, and a change to one strategy recompiles one shard.
template <class K>
class LaneBase {
 public:
  virtual ~LaneBase() = default;
  virtual std::size_t size() const = 0;
  virtual void at(std::size_t op_number, const char* op_name) = 0;
  virtual void insert(const K& key, std::uint64_t value) = 0;
  virtual void insert_or_assign(const K& key, std::uint64_t value) = 0;
  virtual void erase(const K& key) = 0;
  virtual void find(const K& key) = 0;
  virtual void find_and_write(const K& key, std::uint64_t value) = 0;
  virtual void erase_if(std::uint32_t threshold) = 0;
  virtual void erase_first() = 0;
  virtual void reserve(std::size_t n) = 0;
  virtual void clear() = 0;
  virtual void copy_or_move(CopyVariant variant, const K& filler_key) = 0;
  virtual void full_check(bool with_stats) = 0;
  // Destroys the map and audits its ledger; nothing may be called after it.
  virtual void destroy_map() = 0;
};

template <class Strategy, class K, class Hash>
class Lane final : public LaneBase<K> {
 public:
  using Map = typename Strategy::template map<K, TrackedValue, Hash>;
  static_assert(SlotMap<Map>, "a registered strategy must satisfy the SlotMap concept");

  Lane() {
    map_.emplace(Hash{});
    ledger_ = ledger_of(*map_);
  }

  std::size_t size() const override { return map_->size(); }
  const Map& map() const { return *map_; }
  Map& map() { return *map_; }

  // Where the current op is, for messages.
  void at(std::size_t op_number, const char* op_name) override {
    op_number_ = op_number;
    op_name_ = op_name;
  }

  void insert(const K& key, std::uint64_t value) override {
    TrackedValue v(value);
    const bool expect = oracle_.try_emplace(key, value).second;
    const bool got = map_->insert(key, std::move(v));
    if (got != expect) mismatch("insert(" + describe_key(key) + ") returned " + yes_no(got));
    if (!got && !v.has_payload())
      mismatch("insert(" + describe_key(key) + ") of an existing key consumed the caller's value");
    if (got) ++new_keys_;
    check_size();
  }

  void insert_or_assign(const K& key, std::uint64_t value) override {
    const bool expect = oracle_.insert_or_assign(key, value).second;
    const bool got = map_->insert_or_assign(key, TrackedValue(value));
    if (got != expect)
      mismatch("insert_or_assign(" + describe_key(key) + ") returned " + yes_no(got));
    if (got) ++new_keys_;
    check_value(key);
    check_size();
  }

  void erase(const K& key) override {
    const bool expect = oracle_.erase(key) == 1;
    const bool got = map_->erase(key);
    if (got != expect) mismatch("erase(" + describe_key(key) + ") returned " + yes_no(got));
    if (got) ++removed_;
    if (map_->find(key) != nullptr) mismatch("erase(" + describe_key(key) + ") left the key findable");
    check_size();
  }

  void find(const K& key) override {
    check_value(key);
    // An empty map may answer without looking (go's mapaccess does); a
    // non-empty one inspects at least the key's home slot or bucket.
    if (auto probes = std::as_const(*map_).probe_length(key); probes && *probes < 1 && map_->size() > 0)
      mismatch("probe_length(" + describe_key(key) + ") is 0 in a non-empty map");
  }

  void find_and_write(const K& key, std::uint64_t value) override {
    TrackedValue* found = map_->find(key);
    auto it = oracle_.find(key);
    if ((found != nullptr) != (it != oracle_.end()))
      mismatch("find(" + describe_key(key) + ") " + (found ? "found a key the oracle lacks" : "missed a key"));
    if (!found) return;
    *found = TrackedValue(value);
    it->second = value;
    check_value(key);
  }

  void erase_if(std::uint32_t threshold) override {
    const std::size_t expect = std::erase_if(oracle_, [&](const auto& kv) {
      return erase_if_byte(kv.second) < threshold;
    });
    const std::size_t got = map_->erase_if([&](const K& key, const TrackedValue& v) {
      auto it = oracle_.find(key);  // the oracle already dropped the erased ones
      const std::uint64_t payload = v.payload();
      const bool erase = erase_if_byte(payload) < threshold;
      if (!erase && (it == oracle_.end() || it->second != payload))
        mismatch("erase_if visited " + describe_key(key) + " with a value the oracle does not hold");
      return erase;
    });
    if (got != expect)
      mismatch("erase_if erased " + std::to_string(got) + ", the oracle " + std::to_string(expect));
    removed_ += got;
    check_size();
  }

  // The strategy picks the key (its first in iteration order); the oracle
  // follows: exactly one of its keys must have become unfindable.
  void erase_first() override {
    const bool expect = !oracle_.empty();
    const bool got = map_->erase_first();
    if (got != expect) mismatch(std::string("erase_first returned ") + yes_no(got));
    if (!got) return check_size();
    ++removed_;
    const K* gone = nullptr;
    for (const auto& [key, value] : oracle_) {
      if (map_->find(key) != nullptr) continue;
      if (gone) mismatch("erase_first removed both " + describe_key(*gone) + " and " + describe_key(key));
      gone = &key;
    }
    if (!gone) mismatch("erase_first returned true but every key is still there");
    oracle_.erase(*gone);
    check_size();
  }

  void reserve(std::size_t n) override {
    map_->reserve(n);
    check_size();
  }

  void clear() override {
    removed_ += oracle_.size();
    oracle_.clear();
    const std::size_t bytes_before = ledger_ ? ledger_->bytes : 0;
    const Count slots_before = ledger_ ? map_->stats().slots : std::nullopt;
    map_->clear();
    check_size();
    if (map_->find(K{}) != nullptr) mismatch("clear() left a key findable");
    if (!ledger_) return;
    if (ledger_->bytes > bytes_before)
      mismatch("clear() allocated: the ledger went from " + std::to_string(bytes_before) + " to " +
               std::to_string(ledger_->bytes) + " bytes");
    // Only a clear() that drops the table is audited here: a map may hold memory at 0
    // slots (robin after copy-assigning an empty map keeps its bucket vector's capacity).
    if (const MapStats s = map_->stats();
        slots_before && *slots_before > 0 && s.slots && *s.slots == 0 && ledger_->bytes != 0)
      mismatch("clear() dropped the table (" + std::to_string(*slots_before) +
               " slots -> 0) but the ledger holds " + std::to_string(ledger_->bytes) + " bytes");
  }

  // Each variant ends with the lane's map replaced by the result, so later ops
  // run on a copied or moved-to structure (its tombstones, overflow chains and
  // half-done growth included).
  void copy_or_move(CopyVariant variant, const K& filler_key) override {
    reused_before_ += map_->stats().reused_slot_inserts.value_or(0) - base_.reused;
    // Every ledger a map of this op used; all but the surviving map's must end at zero.
    std::vector<std::shared_ptr<const AllocationLedger>> ledgers{ledger_};
    switch (variant) {
      case CopyVariant::kCopyConstruct: {
        Map copy(*map_);
        check_equal(copy, "the copy");
        check_equal(*map_, "the original after a copy");
        map_.reset();
        map_.emplace(std::move(copy));
        break;
      }
      case CopyVariant::kCopyAssign: {
        Map target{Hash{}};
        ledgers.push_back(ledger_of(target));
        target.insert(filler_key, TrackedValue(~std::uint64_t{0}));
        target = *map_;
        check_equal(*map_, "the original after a copy assignment");
        map_.reset();
        map_.emplace(std::move(target));
        break;
      }
      case CopyVariant::kMoveConstruct: {
        Map moved(std::move(*map_));
        map_.reset();
        map_.emplace(std::move(moved));
        break;
      }
      case CopyVariant::kMoveAssign: {
        Map target{Hash{}};
        ledgers.push_back(ledger_of(target));
        target.insert(filler_key, TrackedValue(~std::uint64_t{0}));
        target = std::move(*map_);
        map_.reset();
        map_.emplace(std::move(target));
        break;
      }
    }
    check_equal(*map_, "the map after a copy or move");
    ledger_ = ledger_of(*map_);
    for (const auto& ledger : ledgers)
      if (ledger != ledger_) check_released(ledger, "a map destroyed by the copy or move");
    check_ledger();
    rebaseline();
  }

  // Iterate-and-compare and the strategy's invariant checker; with_stats adds
  // the consistency of stats(), which walks the whole table (probe lengths),
  // so the periodic checks leave it to explicit check ops and the final check.
  void full_check(bool with_stats) override {
    check_equal(*map_, "the map");
    if (std::string problem = map_->check_invariants(); !problem.empty())
      mismatch("check_invariants: " + problem);
    if (with_stats) check_stats();
  }

  void destroy_map() override {
    map_.reset();
    check_released(ledger_, "the lane's map after its destruction");
  }

 private:
  static const char* yes_no(bool b) { return b ? "true" : "false"; }

  [[noreturn]] void mismatch(const std::string& what) const {
    fail(std::string(Strategy::name) + ", op " + std::to_string(op_number_) + " (" + op_name_ +
         "): " + what);
  }

  void check_size() const {
    if (map_->size() != oracle_.size())
      mismatch("size() is " + std::to_string(map_->size()) + ", the oracle has " +
               std::to_string(oracle_.size()));
    check_ledger();
  }

  // After every mutation: two loads and compares. peak_bytes only ever rises
  // with bytes, so bytes beyond it means more was credited than was charged.
  void check_ledger() const {
    if (!ledger_) return;
    if (ledger_->bytes > ledger_->peak_bytes)
      mismatch("the allocator ledger went below zero bytes (reads " + std::to_string(ledger_->bytes) +
               ", peak " + std::to_string(ledger_->peak_bytes) + "): a deallocation credited twice or too much");
    if (ledger_->deallocations > ledger_->allocations)
      mismatch("the allocator ledger counts " + std::to_string(ledger_->deallocations) +
               " deallocations after only " + std::to_string(ledger_->allocations) + " allocations");
  }

  // A ledger whose every map is gone: all it was charged must have been credited back.
  void check_released(const std::shared_ptr<const AllocationLedger>& ledger, const char* whose) const {
    if (!ledger) return;
    if (ledger->bytes != 0 || ledger->allocations != ledger->deallocations)
      mismatch(std::string("the allocator ledger of ") + whose + " holds " + std::to_string(ledger->bytes) +
               " bytes (" + std::to_string(ledger->allocations) + " allocations, " +
               std::to_string(ledger->deallocations) + " deallocations): memory freed without credit, or leaked");
  }

  void check_value(const K& key) {
    const TrackedValue* found = std::as_const(*map_).find(key);
    auto it = oracle_.find(key);
    if ((found != nullptr) != (it != oracle_.end()))
      mismatch("find(" + describe_key(key) + ") " + (found ? "found a key the oracle lacks" : "missed a key"));
    if (found && found->payload() != it->second)
      mismatch("find(" + describe_key(key) + ") sees value " + std::to_string(found->payload()) +
               ", the oracle " + std::to_string(it->second));
  }

  // Order-insensitive equality: every entry visited once, each one in the
  // oracle with the same value, as many as the oracle holds; then every oracle
  // key must be findable (a key iteration reaches but lookup does not is a bug).
  void check_equal(const Map& m, const char* which) const {
    std::size_t visited = 0;
    m.for_each([&](const K& key, const TrackedValue& v) {
      ++visited;
      auto it = oracle_.find(key);
      if (it == oracle_.end()) mismatch(std::string(which) + " holds " + describe_key(key) + ", the oracle does not");
      if (it->second != v.payload())
        mismatch(std::string(which) + " holds " + describe_key(key) + " with a stale value");
    });
    if (visited != oracle_.size())
      mismatch(std::string(which) + ": iteration visits " + std::to_string(visited) +
               " entries, the oracle holds " + std::to_string(oracle_.size()));
    for (const auto& [key, value] : oracle_) {
      const TrackedValue* found = m.find(key);
      if (!found || found->payload() != value)
        mismatch(std::string(which) + ": iteration reached " + describe_key(key) + " but find() does not");
    }
  }

  // What every strategy's stats must satisfy, whichever fields it can fill.
  void check_stats() {
    const MapStats s = map_->stats();
    if (s.size != oracle_.size())
      mismatch("stats().size is " + std::to_string(s.size) + ", the oracle has " + std::to_string(oracle_.size()));
    if (s.tombstones && s.slots && *s.tombstones + s.size > *s.slots && s.overflow_buckets == std::nullopt)
      mismatch("stats(): tombstones (" + std::to_string(*s.tombstones) + ") + size exceed slots (" +
               std::to_string(*s.slots) + ")");
    if (s.bytes && s.peak_bytes && *s.bytes > *s.peak_bytes) mismatch("stats(): bytes exceed peak_bytes");
    if (s.bytes && ledger_ && *s.bytes != ledger_->bytes)
      mismatch("stats().bytes is " + std::to_string(*s.bytes) + ", the map's allocator ledger " +
               std::to_string(ledger_->bytes));
    if (s.mean_probe && s.size > 0 && *s.mean_probe < 1.0) mismatch("stats(): mean_probe below 1");
    if (s.mean_probe && s.max_probe && static_cast<double>(*s.max_probe) < *s.mean_probe)
      mismatch("stats(): max_probe below mean_probe");
    if (s.rehashes) {
      if (*s.rehashes < base_.rehashes) mismatch("stats(): rehashes went down");
      base_.rehashes = *s.rehashes;
    }
    // Every new key lands in a fresh or a reused slot, and each reuse needs a
    // slot freed by an earlier removal -- in this lane's history, as a copy or
    // move may carry freed slots along.
    if (s.fresh_slot_inserts && s.reused_slot_inserts) {
      const std::uint64_t landed = *s.fresh_slot_inserts + *s.reused_slot_inserts - base_.landed;
      if (landed != new_keys_ - base_.new_keys)
        mismatch("stats(): fresh + reused slot inserts grew by " + std::to_string(landed) + " over " +
                 std::to_string(new_keys_ - base_.new_keys) + " new keys");
      const std::uint64_t reused = reused_before_ + *s.reused_slot_inserts - base_.reused;
      if (reused > removed_)
        mismatch("stats(): " + std::to_string(reused) + " reused-slot inserts after only " +
                 std::to_string(removed_) + " removals");
    }
    if (s.inserts && *s.inserts - base_.inserts != new_keys_ - base_.new_keys)
      mismatch("stats(): inserts grew by " + std::to_string(*s.inserts - base_.inserts) + " over " +
               std::to_string(new_keys_ - base_.new_keys) + " new keys");
  }

  // After a copy or move the counters belong to another object; compare
  // growth from here on.
  void rebaseline() {
    const MapStats s = map_->stats();
    base_.new_keys = new_keys_;
    base_.landed = s.fresh_slot_inserts.value_or(0) + s.reused_slot_inserts.value_or(0);
    base_.reused = s.reused_slot_inserts.value_or(0);
    base_.inserts = s.inserts.value_or(0);
    base_.rehashes = s.rehashes.value_or(0);
  }

  struct Baseline {
    std::uint64_t new_keys = 0, landed = 0, reused = 0, inserts = 0, rehashes = 0;
  };

  std::optional<Map> map_;
  std::shared_ptr<const AllocationLedger> ledger_;  // of map_, kept past its destruction
  std::unordered_map<K, std::uint64_t> oracle_;
  std::uint64_t new_keys_ = 0;  // inserts of keys the oracle did not hold
  std::uint64_t removed_ = 0;   // keys removed by any means
  std::uint64_t reused_before_ = 0;  // reused-slot inserts before the last copy or move
  Baseline base_;
  std::size_t op_number_ = 0;
  const char* op_name_ = "";
};

}  // namespace slotlab::fuzz
