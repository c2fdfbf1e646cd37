// differential: every registered strategy against std::unordered_map on one
// decoded op sequence (format: fuzz/harness/op_stream.hpp). The small budget
// keeps tables under ~100 keys and the target fast: breadth first.
#include <cstddef>
#include <cstdint>

#include "fuzz/harness/differential.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  slotlab::fuzz::run_input(data, size, slotlab::fuzz::Budget{.max_key_ops = 96, .max_run = 16});
  return 0;
}
