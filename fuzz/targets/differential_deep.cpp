// differential_deep: the differential target with room for tables of up to
// ~1000 keys (runs of 64): Abseil's in-place rebuilds, multi-group probe
// sequences, long overflow chains and growth of large tables, at a lower
// exec/s. Same input format and checks as `differential`.
#include <cstddef>
#include <cstdint>

#include "fuzz/harness/differential.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  slotlab::fuzz::run_input(data, size, slotlab::fuzz::Budget{.max_key_ops = 1024, .max_run = 64});
  return 0;
}
