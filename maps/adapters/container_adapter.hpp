// ContainerAdapter: the SlotMap facade over any std-like hash container, written
// once for the four third-party maps (absl, robin, boost, std). Each library
// contributes a small policy (see the files beside this one) saying what its
// container type is and what it exposes: capacity, tombstones, probe lengths,
// and a "watermark" that reveals rebuilds.
//
// Rebuild and slot-reuse detection without patching the libraries: before and
// after every insert of a new key the adapter reads the policy's watermark, a
// number that only a rebuild can raise (absl: growth_left; boost: max_load;
// tsl and std: bucket_count), and the capacity, which only a rebuild changes
// (absl's first allocation, capacity 0 -> 1, leaves growth_left at 0). For absl the same number also tells where the key
// landed: absl's prepare_insert decrements growth_left only when the target
// slot was kEmpty, so an unchanged growth_left means a kDeleted slot was reused.
// The cost is two loads per insert, paid by every adapter alike.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "maps/core/counting_allocator.hpp"
#include "maps/core/map_stats.hpp"

namespace slotlab {

// Walks every live key and asks the policy how long its lookup probe is.
// Shared by the adapters and available to in-house strategies.
template <class Map>
void fill_probe_stats(const Map& map, MapStats& s) {
  std::uint64_t sum = 0, max = 0, n = 0;
  bool available = true;
  map.for_each([&](const auto& key, const auto&) {
    if (!available) return;
    auto p = map.probe_length(key);
    if (!p) {
      available = false;
      return;
    }
    sum += *p;
    max = std::max<std::uint64_t>(max, *p);
    ++n;
  });
  if (!available || n == 0) return;  // an empty map has no mean probe length
  s.mean_probe = static_cast<double>(sum) / static_cast<double>(n);
  s.max_probe = max;
}

template <class Policy>
class ContainerAdapter {
 public:
  using container_type = typename Policy::container_type;
  using key_type = typename container_type::key_type;
  using mapped_type = typename container_type::mapped_type;
  using hasher = typename container_type::hasher;
  using allocator_type = typename container_type::allocator_type;

  ContainerAdapter() = default;
  explicit ContainerAdapter(const hasher& hash, const allocator_type& alloc = allocator_type())
      : c_(0, hash, typename container_type::key_equal(), alloc) {}

  // The value is forwarded, so an insert that finds the key leaves it untouched.
  template <class Value>
  bool insert(const key_type& key, Value&& value) {
    const Mark before = mark();
    const bool inserted = c_.try_emplace(key, std::forward<Value>(value)).second;
    if (inserted) note_insert(before);
    return inserted;
  }
  template <class Value>
  bool insert_or_assign(const key_type& key, Value&& value) {
    const Mark before = mark();
    const bool inserted = c_.insert_or_assign(key, std::forward<Value>(value)).second;
    if (inserted) note_insert(before);
    return inserted;
  }
  mapped_type* find(const key_type& key) {
    auto it = c_.find(key);
    if (it == c_.end()) return nullptr;
    // tsl's iterators hand out a const pair; the mutable value is it.value().
    if constexpr (requires { it.value(); }) return &it.value();
    else return &it->second;
  }
  const mapped_type* find(const key_type& key) const {
    auto it = c_.find(key);
    return it == c_.end() ? nullptr : &it->second;
  }
  bool erase(const key_type& key) { return c_.erase(key) != 0; }
  template <class Pred>
  std::size_t erase_if(Pred pred) {
    return Policy::erase_if(c_, [&](const auto& kv) { return pred(kv.first, kv.second); });
  }
  bool erase_first() {
    if (c_.empty()) return false;
    c_.erase(c_.begin());
    return true;
  }
  std::size_t size() const { return c_.size(); }
  // The CountingAllocator, whose ledger the fuzz harness audits after the map is gone.
  allocator_type get_allocator() const { return c_.get_allocator(); }
  void clear() { c_.clear(); }
  void reserve(std::size_t n) {
    const Mark before = mark();
    c_.reserve(n);
    if (mark().rebuilt_since(before)) ++rehashes_;
  }
  template <class F>
  void for_each(F&& f) const {
    for (const auto& kv : c_) f(kv.first, kv.second);
  }
  std::optional<std::uint32_t> probe_length(const key_type& key) const {
    return Policy::probe_length(c_, key);
  }

  MapStats stats() const {
    MapStats s;
    s.size = c_.size();
    s.slots = Policy::capacity(c_);
    const auto& ledger = *c_.get_allocator().ledger();
    s.bytes = ledger.bytes;
    s.peak_bytes = ledger.peak_bytes;
    s.tombstones = Policy::tombstones(c_);
    s.rehashes = rehashes_;
    if constexpr (Policy::kSeesSlotReuse) {
      s.fresh_slot_inserts = fresh_;
      s.reused_slot_inserts = reused_;
    }
    s.probe_unit = Policy::kProbeUnit;
    fill_probe_stats(*this, s);
    return s;
  }

  std::string check_invariants() const {
    std::size_t walked = 0;
    std::string error;
    for_each([&](const key_type& key, const mapped_type& value) {
      ++walked;
      if (error.empty() && find(key) != &value)
        error = "a key met during iteration is not found at the same address";
    });
    if (error.empty() && walked != c_.size())
      error = "iteration visits " + std::to_string(walked) + " entries but size() is " +
              std::to_string(c_.size());
    return error;
  }

  const container_type& container() const { return c_; }

 private:
  struct Mark {
    std::size_t watermark, capacity;
    bool rebuilt_since(const Mark& before) const {
      return watermark > before.watermark || capacity != before.capacity;
    }
  };
  Mark mark() const { return {Policy::watermark(c_), Policy::capacity(c_)}; }

  void note_insert(const Mark& before) {
    const Mark after = mark();
    if (after.rebuilt_since(before)) {
      ++rehashes_;
      ++fresh_;  // after a rebuild every slot is fresh
    } else if constexpr (Policy::kSeesSlotReuse) {
      if (after.watermark == before.watermark) ++reused_; else ++fresh_;
    }
  }

  container_type c_;
  std::uint64_t rehashes_ = 0;
  std::uint64_t fresh_ = 0;
  std::uint64_t reused_ = 0;
};

// The default erase-while-iterating loop, for containers whose erase(iterator)
// returns the next iterator.
template <class C, class Pred>
std::size_t erase_if_by_iteration(C& c, Pred pred) {
  std::size_t erased = 0;
  for (auto it = c.begin(); it != c.end();) {
    if (pred(*it)) {
      it = c.erase(it);
      ++erased;
    } else {
      ++it;
    }
  }
  return erased;
}

}  // namespace slotlab
