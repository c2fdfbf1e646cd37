// The input format of the map fuzz targets (format version 1), decoded front to
// back with fixed-width fields. A hand-rolled reader rather than
// FuzzedDataProvider (which takes integers from the end of the input): with
// every field at a fixed place, the committed seeds are readable, the
// dictionary's tokens are whole operations, and a mutation changes one
// operation instead of shifting every later one.
//
//   byte 0   format version; inputs of any other version are ignored, so old
//            regression inputs stay meaningful when the format grows.
//   byte 1   configuration
//              bits 0-1  hasher: 0 weak, 1 collide, 2 strong, 3 collide
//              bit  2    key type: 0 uint64, 1 std::string
//              bits 3-4  key domain: 8, 32, 256 or 4096 keys (4096: keys take 2 bytes)
//              bits 5-6  uint64 key spacing: 1, 16, 2^32, 2^56 (key = index * spacing;
//                        2^56 with the weak hash puts every key on home slot 0 of a
//                        masked table; strings ignore it)
//              bit  7    full check after every op (1) or every kCheckEvery ops (0)
//   then     operations until the input ends: an opcode byte (taken modulo 32,
//            so every byte is an operation; the table below weights them), then
//            its operands. A truncated last operation is dropped.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace slotlab::fuzz {

inline constexpr std::uint8_t kFormatVersion = 1;
// A full check walks every lane's whole map (and asks find() for every key):
// at 16 it was a quarter of the breadth target's time. Every op already checks
// its return value and size(); the full check also runs at the end, on the
// explicit check op, and after every op when the configuration asks for it.
inline constexpr std::size_t kCheckEvery = 64;
// Bounds the work one input can ask for: every key op runs on every strategy
// and its oracle. A target picks its budget: small and fast (breadth, many
// inputs per second) or larger (tables big enough for in-place rebuilds,
// long overflow chains and growth of hundreds of keys).
struct Budget {
  std::size_t max_key_ops;  // key operations per input, runs included
  std::uint32_t max_run;    // keys per insert or erase run
};

enum class OpKind : std::uint8_t {
  kInsert,           // key
  kInsertOrAssign,   // key
  kErase,            // key
  kFind,             // key: presence, value, probe_length
  kFindAndWrite,     // key: writes a new value through the returned pointer
  kEraseIf,          // threshold: erases values whose mixed payload byte < threshold
  kEraseFirst,       // -
  kReserve,          // n (byte): reserve(size + 4 * n)
  kClear,            // -
  kCheck,            // -: iterate-and-compare, invariants, stats
  kCopyOrMove,       // variant byte (see CopyVariant)
  kInsertRun,        // key, count byte: insert keys key, key+1, ... (1..Budget::max_run)
  kEraseRun,         // key, count byte: erase keys key, key+1, ...
};

enum class CopyVariant : std::uint8_t {
  kCopyConstruct,  // continue on a copy; the original is checked, then destroyed
  kCopyAssign,     // assign over a map already holding other keys
  kMoveConstruct,
  kMoveAssign,     // move over a map already holding other keys
};
inline constexpr std::size_t kCopyVariants = 4;

// opcode % 32 -> operation; inserts and erases dominate, as they do in churn.
inline constexpr std::array<OpKind, 32> kOpcodeTable = {
    OpKind::kInsert,         OpKind::kInsert,         OpKind::kInsert,
    OpKind::kInsert,         OpKind::kInsert,         OpKind::kInsert,
    OpKind::kInsert,         OpKind::kInsertOrAssign, OpKind::kInsertOrAssign,
    OpKind::kInsertOrAssign, OpKind::kErase,          OpKind::kErase,
    OpKind::kErase,          OpKind::kErase,          OpKind::kErase,
    OpKind::kErase,          OpKind::kFind,           OpKind::kFind,
    OpKind::kFind,           OpKind::kFindAndWrite,   OpKind::kFindAndWrite,
    OpKind::kEraseIf,        OpKind::kEraseFirst,     OpKind::kEraseFirst,
    OpKind::kReserve,        OpKind::kClear,          OpKind::kCheck,
    OpKind::kCopyOrMove,     OpKind::kInsertRun,      OpKind::kInsertRun,
    OpKind::kEraseRun,       OpKind::kEraseRun,
};

enum class HasherChoice : std::uint8_t { kWeak, kCollide, kStrong };

struct Config {
  HasherChoice hasher;
  bool string_keys;
  std::uint32_t key_domain;
  std::uint64_t key_spacing;
  bool check_every_op;

  static Config decode(std::uint8_t b) {
    static constexpr HasherChoice kHashers[4] = {HasherChoice::kWeak, HasherChoice::kCollide,
                                                 HasherChoice::kStrong, HasherChoice::kCollide};
    static constexpr std::uint32_t kDomains[4] = {8, 32, 256, 4096};
    static constexpr std::uint64_t kSpacings[4] = {1, 16, std::uint64_t{1} << 32,
                                                   std::uint64_t{1} << 56};
    return Config{kHashers[b & 3], ((b >> 2) & 1) != 0, kDomains[(b >> 3) & 3],
                  kSpacings[(b >> 5) & 3], ((b >> 7) & 1) != 0};
  }
};

struct Op {
  OpKind kind;
  std::uint32_t key_index = 0;  // into the key domain
  std::uint32_t arg = 0;        // threshold, reserve n, variant or run length
};

// Reads operations front to back; next() is empty at the end of the input.
class OpStream {
 public:
  OpStream(const std::uint8_t* data, std::size_t size, const Config& config, const Budget& budget)
      : p_(data), end_(data + size), domain_(config.key_domain), max_run_(budget.max_run) {}

  std::optional<Op> next() {
    std::uint8_t opcode;
    if (!byte(opcode)) return std::nullopt;
    Op op{kOpcodeTable[opcode % kOpcodeTable.size()]};
    switch (op.kind) {
      case OpKind::kInsert:
      case OpKind::kInsertOrAssign:
      case OpKind::kErase:
      case OpKind::kFind:
      case OpKind::kFindAndWrite:
        if (!key(op.key_index)) return std::nullopt;
        break;
      case OpKind::kEraseIf:
      case OpKind::kReserve:
      case OpKind::kCopyOrMove: {
        std::uint8_t b;
        if (!byte(b)) return std::nullopt;
        op.arg = b;
        break;
      }
      case OpKind::kInsertRun:
      case OpKind::kEraseRun: {
        std::uint8_t count;
        if (!key(op.key_index) || !byte(count)) return std::nullopt;
        op.arg = 1 + count % max_run_;
        break;
      }
      case OpKind::kEraseFirst:
      case OpKind::kClear:
      case OpKind::kCheck:
        break;
    }
    return op;
  }

 private:
  bool byte(std::uint8_t& b) {
    if (p_ == end_) return false;
    b = *p_++;
    return true;
  }
  bool key(std::uint32_t& index) {
    std::uint8_t lo, hi = 0;
    if (!byte(lo)) return false;
    if (domain_ > 256 && !byte(hi)) return false;
    index = (static_cast<std::uint32_t>(hi) << 8 | lo) % domain_;
    return true;
  }

  const std::uint8_t* p_;
  const std::uint8_t* end_;
  std::uint32_t domain_;
  std::uint32_t max_run_;
};

// The n-th key of the domain. Strings mix short ones (kept inside std::string's
// small buffer) with long heap-allocated ones sharing their first 8 bytes, so
// the weak hash (first 8 bytes) collides them and a map that mishandles key
// lifetimes touches freed memory ASan can see.
template <class K>
K key_of(std::uint32_t index, const Config& config);
template <>
inline std::uint64_t key_of<std::uint64_t>(std::uint32_t index, const Config& config) {
  return std::uint64_t{index} * config.key_spacing;
}
template <>
inline std::string key_of<std::string>(std::uint32_t index, const Config&) {
  if (index % 2 == 0) return "k" + std::to_string(index);
  return "long-shared-prefix/" + std::to_string(index);
}

}  // namespace slotlab::fuzz
