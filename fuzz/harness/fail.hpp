// How a fuzz target reports a finding: one line on stderr naming what went
// wrong, then abort(). libFuzzer turns the abort into a crash artifact, the
// replay tool into a failing ctest; both keep the message as the first clue.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>

namespace slotlab::fuzz {

[[noreturn]] inline void fail(const std::string& what) {
  std::fprintf(stderr, "slotlab fuzz finding: %s\n", what.c_str());
  std::fflush(stderr);
  std::abort();
}

}  // namespace slotlab::fuzz
