// CountingAllocator: the one way bytes and peak bytes are measured, for every
// map alike. The harness hands each map its own allocator; its ledger is shared
// by every rebound copy, so the node allocator of std::unordered_map and the
// slot array of absl::flat_hash_map are counted the same way.
//
// A copy-constructed container gets a fresh ledger
// (select_on_container_copy_construction) so that each map reports only its
// own memory; move assignment and swap carry the ledger along with the memory.
#pragma once

#include <algorithm>
#include <cstddef>
#include <memory>
#include <new>
#include <type_traits>

namespace slotlab {

struct AllocationLedger {
  std::size_t bytes = 0;
  std::size_t peak_bytes = 0;
  std::size_t allocations = 0;
  std::size_t deallocations = 0;
};

template <class T>
class CountingAllocator {
 public:
  using value_type = T;
  using propagate_on_container_copy_assignment = std::false_type;
  using propagate_on_container_move_assignment = std::true_type;
  using propagate_on_container_swap = std::true_type;
  using is_always_equal = std::false_type;

  CountingAllocator() : ledger_(std::make_shared<AllocationLedger>()) {}
  explicit CountingAllocator(std::shared_ptr<AllocationLedger> ledger)
      : ledger_(std::move(ledger)) {}
  template <class U>
  CountingAllocator(const CountingAllocator<U>& other) noexcept  // NOLINT: rebind
      : ledger_(other.ledger()) {}

  T* allocate(std::size_t n) {
    const std::size_t size = n * sizeof(T);
    T* p = static_cast<T*>(::operator new(size, std::align_val_t{alignof(T)}));
    ledger_->bytes += size;
    ledger_->peak_bytes = std::max(ledger_->peak_bytes, ledger_->bytes);
    ++ledger_->allocations;
    return p;
  }
  void deallocate(T* p, std::size_t n) noexcept {
    ledger_->bytes -= n * sizeof(T);
    ++ledger_->deallocations;
    ::operator delete(p, std::align_val_t{alignof(T)});
  }

  CountingAllocator select_on_container_copy_construction() const {
    return CountingAllocator();
  }

  const std::shared_ptr<AllocationLedger>& ledger() const noexcept { return ledger_; }

  template <class U>
  bool operator==(const CountingAllocator<U>& other) const noexcept {
    return ledger_ == other.ledger();
  }

 private:
  std::shared_ptr<AllocationLedger> ledger_;
};

}  // namespace slotlab
