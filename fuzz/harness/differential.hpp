// The differential run: decodes one input and applies every operation to a
// lane per strategy (see lane.hpp). Strategies come from the registry (through
// lane_shards.hpp), so a newly registered one is fuzzed without touching this
// file.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz/harness/lane.hpp"
#include "fuzz/harness/lane_shards.hpp"
#include "fuzz/harness/op_stream.hpp"
#include "fuzz/harness/tracked_value.hpp"
#include "maps/core/hashers.hpp"

namespace slotlab::fuzz {

inline const char* op_name(OpKind kind) {
  switch (kind) {
    case OpKind::kInsert: return "insert";
    case OpKind::kInsertOrAssign: return "insert_or_assign";
    case OpKind::kErase: return "erase";
    case OpKind::kFind: return "find";
    case OpKind::kFindAndWrite: return "find-and-write";
    case OpKind::kEraseIf: return "erase_if";
    case OpKind::kEraseFirst: return "erase_first";
    case OpKind::kReserve: return "reserve";
    case OpKind::kClear: return "clear";
    case OpKind::kCheck: return "iterate-and-compare";
    case OpKind::kCopyOrMove: return "copy/move";
    case OpKind::kInsertRun: return "insert run";
    case OpKind::kEraseRun: return "erase run";
  }
  return "?";
}

template <class K>
std::size_t total_size(const Lanes<K>& lanes) {
  std::size_t n = 0;
  for (const auto& lane : lanes) n += lane->size();
  return n;
}

template <class K>
void run_lanes(Lanes<K>& lanes, OpStream& ops, const Config& config, const Budget& budget) {
  auto each = [&](auto&& fn) {
    for (auto& lane : lanes) fn(*lane);
  };
  std::size_t key_ops = 0;
  std::uint64_t next_value = 1;  // every write stores a value never seen before
  std::size_t n = 0;
  for (auto op = ops.next(); op && key_ops < budget.max_key_ops; op = ops.next(), ++n) {
    const char* name = op_name(op->kind);
    each([&](auto& lane) { lane.at(n, name); });
    const K key = key_of<K>(op->key_index, config);
    const std::uint64_t value = next_value++;
    ++key_ops;
    switch (op->kind) {
      case OpKind::kInsert: each([&](auto& l) { l.insert(key, value); }); break;
      case OpKind::kInsertOrAssign: each([&](auto& l) { l.insert_or_assign(key, value); }); break;
      case OpKind::kErase: each([&](auto& l) { l.erase(key); }); break;
      case OpKind::kFind: each([&](auto& l) { l.find(key); }); break;
      case OpKind::kFindAndWrite: each([&](auto& l) { l.find_and_write(key, value); }); break;
      case OpKind::kEraseIf: each([&](auto& l) { l.erase_if(op->arg); }); break;
      case OpKind::kEraseFirst: each([&](auto& l) { l.erase_first(); }); break;
      case OpKind::kReserve: each([&](auto& l) { l.reserve(l.size() + 4 * op->arg); }); break;
      case OpKind::kClear: each([&](auto& l) { l.clear(); }); break;
      case OpKind::kCheck: each([&](auto& l) { l.full_check(true); }); break;
      case OpKind::kCopyOrMove:
        each([&](auto& l) { l.copy_or_move(static_cast<CopyVariant>(op->arg % kCopyVariants), key); });
        break;
      case OpKind::kInsertRun:
      case OpKind::kEraseRun:
        for (std::uint32_t i = 0; i < op->arg && key_ops < budget.max_key_ops; ++i, ++key_ops) {
          const K run_key = key_of<K>((op->key_index + i) % config.key_domain, config);
          const std::uint64_t run_value = next_value++;
          if (op->kind == OpKind::kInsertRun) each([&](auto& l) { l.insert(run_key, run_value); });
          else each([&](auto& l) { l.erase(run_key); });
        }
        break;
    }
    // Only the maps hold payloads between ops: one per key, or something leaked
    // (an erase that did not destroy) or was lost.
    if (TrackedValue::holding != static_cast<std::int64_t>(total_size(lanes)))
      fail("after op " + std::to_string(n) + " (" + name + "): " + std::to_string(TrackedValue::holding) +
           " values hold a payload, the maps hold " + std::to_string(total_size(lanes)) + " keys");
    if (config.check_every_op || n % kCheckEvery == kCheckEvery - 1) each([&](auto& l) { l.full_check(false); });
  }
  each([&](auto& l) {
    l.at(n, "final check");
    l.full_check(true);
  });
  each([&](auto& l) {
    l.at(n, "destruction");
    l.destroy_map();
  });
}

// Runs one input against every registered strategy; returns normally when
// every lane agreed with its oracle and nothing leaked.
inline void run_input(const std::uint8_t* data, std::size_t size, const Budget& budget) {
  if (size < 2 || data[0] != kFormatVersion) return;
  const Config config = Config::decode(data[1]);
  OpStream ops(data + 2, size - 2, config, budget);
  auto with_key_and_hash = [&](auto key_tag, auto hash) {
    using K = decltype(key_tag);
    using Hash = decltype(hash);
    {
      Lanes<K> lanes = make_lanes<K, Hash>();
      run_lanes<K>(lanes, ops, config, budget);
    }
    if (TrackedValue::alive != 0 || TrackedValue::holding != 0)
      fail(std::to_string(TrackedValue::alive) + " values alive (" + std::to_string(TrackedValue::holding) +
           " with a payload) after every map was destroyed: " +
           (TrackedValue::alive > 0 ? "a leak" : "a value destroyed more often than constructed"));
  };
  auto with_hash = [&](auto key_tag) {
    switch (config.hasher) {
      case HasherChoice::kWeak: return with_key_and_hash(key_tag, WeakHash{});
      case HasherChoice::kCollide: return with_key_and_hash(key_tag, CollideHash{});
      case HasherChoice::kStrong: return with_key_and_hash(key_tag, StrongHash{});
    }
  };
  if (config.string_keys) with_hash(std::string{});
  else with_hash(std::uint64_t{});
}

}  // namespace slotlab::fuzz
