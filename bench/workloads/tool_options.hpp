// The command line of the small measurement tools (latency, reuse, cache):
// --name value pairs checked against a list, one-line errors and exit 2, the
// registry's names for --map.
#pragma once

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "maps/core/hashers.hpp"
#include "maps/registry.hpp"

namespace slotlab::bench {

class ToolOptions {
 public:
  ToolOptions(const char* tool, int argc, char** argv, std::vector<std::string> flags)
      : tool_(tool) {
    for (int i = 1; i < argc; ++i) {
      std::string flag = argv[i];
      if (flag == "--list-maps") {
        std::printf("%s\n", strategy_names("\n").c_str());
        std::exit(0);
      }
      bool known = false;
      for (const auto& f : flags) known |= f == flag;
      if (!known) {
        std::string valid;
        for (const auto& f : flags) valid += " " + f;
        fail("unknown option '" + flag + "'; valid:" + valid);
      }
      if (i + 1 >= argc) fail(flag + " needs a value");
      values_[flag] = argv[++i];
    }
  }
  [[noreturn]] void fail(const std::string& message) const {
    std::fprintf(stderr, "%s: %s\n", tool_, message.c_str());
    std::exit(2);
  }
  std::string text(const std::string& flag, std::string fallback) const {
    auto it = values_.find(flag);
    return it == values_.end() ? fallback : it->second;
  }
  std::uint64_t count(const std::string& flag, std::uint64_t fallback, std::uint64_t min = 1) const {
    auto it = values_.find(flag);
    if (it == values_.end()) return fallback;
    const char* t = it->second.c_str();
    char* end = nullptr;
    errno = 0;
    const unsigned long long v = std::strtoull(t, &end, 10);
    if (*t == '\0' || *t == '-' || *end != '\0' || errno != 0)
      fail(flag + " wants a whole number, got '" + it->second + "'");
    if (v < min) fail(flag + " must be at least " + std::to_string(min));
    return v;
  }
  // --map, required and registered; --hash, checked.
  std::string map() const {
    const std::string m = text("--map", "");
    if (m.empty()) fail("--map is required; valid maps: " + strategy_names());
    bool known = false;
    for_each_strategy([&](auto s) { known |= decltype(s)::name == m; });
    if (!known) fail("unknown map '" + m + "'; valid maps: " + strategy_names());
    return m;
  }
  std::string hash() const {
    const std::string h = text("--hash", "strong");
    if (!with_hasher(h, [](auto) {}))
      fail("unknown hash '" + h + "'; valid hashes: " + std::string(kHasherNames));
    return h;
  }

 private:
  const char* tool_;
  std::map<std::string, std::string> values_;
};

}  // namespace slotlab::bench
