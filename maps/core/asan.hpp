// Use-after-erase made visible. An erased slot still holds valid-looking bytes
// until another key lands in it: a stale pointer reads yesterday's value and no
// race detector notices. Under AddressSanitizer the in-house strategies poison
// a slot when it is emptied or erased and unpoison it just before reuse, as
// Abseil's raw_hash_set does (SanitizerPoisonObject); ASan then reports the
// stale read. Without ASan these compile to nothing.
#pragma once

#include <cstddef>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SLOTLAB_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) && !defined(SLOTLAB_ASAN)
#define SLOTLAB_ASAN 1
#endif

#ifdef SLOTLAB_ASAN
#include <sanitizer/asan_interface.h>
#endif

namespace slotlab {

inline constexpr bool kAsanPoisoning =
#ifdef SLOTLAB_ASAN
    true;
#else
    false;
#endif

inline void poison_slot(const void* p, std::size_t n) {
#ifdef SLOTLAB_ASAN
  ASAN_POISON_MEMORY_REGION(p, n);
#else
  (void)p, (void)n;
#endif
}

inline void unpoison_slot(const void* p, std::size_t n) {
#ifdef SLOTLAB_ASAN
  ASAN_UNPOISON_MEMORY_REGION(p, n);
#else
  (void)p, (void)n;
#endif
}

}  // namespace slotlab
