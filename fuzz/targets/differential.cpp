// differential: every registered strategy against std::unordered_map on one
// decoded op sequence (format: fuzz/harness/op_stream.hpp).
//
// The work an input may ask for grows with its length (runs multiply ops), so
// libFuzzer's -max_len chooses the regime: short inputs keep tables under ~100
// keys and the target fast (breadth); `scripts/slotlab fuzz --max-len 512`
// reaches tables of ~1000 keys (in-place rebuilds, long chains, big growth).
#include <cstddef>
#include <cstdint>

#include "fuzz/harness/differential.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const slotlab::fuzz::Budget budget{.max_key_ops = 32 + 2 * size, .max_run = 64};
  slotlab::fuzz::run_input(data, size, budget);
  return 0;
}
