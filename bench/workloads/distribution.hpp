// Distribution: a sample of non-negative integers (latencies in ns, reuse
// distances in inserts) summarised as the percentiles the reports quote and a
// power-of-two histogram, printed as one JSON object. Keeps every sample
// (4 bytes each), so percentiles are exact, not sketched.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace slotlab::bench {

class Distribution {
 public:
  void reserve(std::size_t n) { samples_.reserve(n); }
  void add(std::uint64_t v) {
    samples_.push_back(static_cast<std::uint32_t>(std::min<std::uint64_t>(v, UINT32_MAX)));
  }
  std::size_t count() const { return samples_.size(); }
  // Nearest-rank percentile, q in (0, 1]; 0 for an empty sample.
  std::uint32_t quantile(double q) {
    if (samples_.empty()) return 0;
    std::sort(samples_.begin(), samples_.end());
    return at(q);
  }

  // {"count", "mean", "p50", "p90", "p99", "p99.9", "p99.99", "max",
  //  "histogram": [[lo, hi, count], ...]} with buckets [2^k, 2^(k+1)) and [0, 1).
  std::string json() {
    if (samples_.empty()) return "{\"count\": 0}";
    std::sort(samples_.begin(), samples_.end());
    double sum = 0;
    for (auto v : samples_) sum += v;
    std::string s = "{\"count\": " + std::to_string(samples_.size());
    s += ", \"mean\": " + number(sum / samples_.size());
    const std::pair<const char*, double> quantiles[] = {
        {"p50", 0.5}, {"p90", 0.9}, {"p99", 0.99}, {"p99.9", 0.999}, {"p99.99", 0.9999}};
    for (auto [name, q] : quantiles) s += std::string(", \"") + name + "\": " + std::to_string(at(q));
    s += ", \"max\": " + std::to_string(samples_.back());
    s += ", \"histogram\": [";
    std::uint64_t lo = 0, hi = 1;
    std::size_t i = 0;
    bool first = true;
    while (i < samples_.size()) {
      std::size_t j = i;
      while (j < samples_.size() && samples_[j] < hi) ++j;
      if (j > i) {
        s += std::string(first ? "" : ", ") + "[" + std::to_string(lo) + ", " +
             std::to_string(hi) + ", " + std::to_string(j - i) + "]";
        first = false;
      }
      i = j;
      lo = hi;
      hi *= 2;
    }
    return s + "]}";
  }

 private:
  // Nearest-rank percentile of the sorted samples.
  std::uint32_t at(double q) const {
    const auto rank = static_cast<std::size_t>(std::ceil(q * samples_.size()));
    return samples_[rank == 0 ? 0 : rank - 1];
  }
  static std::string number(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3f", v);
    return buf;
  }
  std::vector<std::uint32_t> samples_;
};

}  // namespace slotlab::bench
