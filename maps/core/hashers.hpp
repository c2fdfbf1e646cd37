// The hashers the harness hands to every map, so that the comparison is of
// deletion strategies and not of hash functions.
//
//   strong  : a 64-bit mixer with a fixed seed (murmur3's fmix64 finaliser over
//             key ^ seed; strings folded 8 bytes at a time). Declared avalanching,
//             so boost::unordered_flat_map does not add its own mixing on top.
//   weak    : identity for integers, as libstdc++'s std::hash<uint64_t> is; for
//             strings the first 8 bytes read as an integer. Boost re-mixes it
//             (that is Boost's design, and part of what is measured); Abseil,
//             tsl and the linear-probing core use it as given.
//   collide : the full 64-bit hash of an integer key is strong(key >> 4): each
//             aligned block of 16 consecutive keys shares one hash, so they
//             share a bucket, an H1 group and an H2 tag in every design. For
//             strings, the last character is ignored. The workload generators
//             emit keys in such blocks (see bench/workloads/keys.hpp).
//
// All hashers are deterministic: no per-process seed, so runs reproduce.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace slotlab {

inline constexpr std::uint64_t kStrongSeed = 0x9E3779B97F4A7C15ull;

constexpr std::uint64_t fmix64(std::uint64_t k) {
  k ^= k >> 33;
  k *= 0xff51afd7ed558ccdull;
  k ^= k >> 33;
  k *= 0xc4ceb9fe1a85ec53ull;
  k ^= k >> 33;
  return k;
}

inline std::uint64_t load_le64(const char* p, std::size_t n) {
  std::uint64_t v = 0;
  std::memcpy(&v, p, n < 8 ? n : 8);
  return v;
}

struct StrongHash {
  static constexpr std::string_view name = "strong";
  using is_avalanching = void;  // boost::unordered: skip its post-mixing
  std::size_t operator()(std::uint64_t key) const noexcept {
    return fmix64(key ^ kStrongSeed);
  }
  std::size_t operator()(std::string_view key) const noexcept {
    std::uint64_t h = kStrongSeed ^ (key.size() * 0xc2b2ae3d27d4eb4full);
    std::size_t i = 0;
    for (; i + 8 <= key.size(); i += 8) h = fmix64(h ^ load_le64(key.data() + i, 8)) + i;
    if (i < key.size()) h = fmix64(h ^ load_le64(key.data() + i, key.size() - i));
    return fmix64(h);
  }
  std::size_t operator()(const std::string& key) const noexcept {
    return (*this)(std::string_view(key));
  }
};

struct WeakHash {
  static constexpr std::string_view name = "weak";
  std::size_t operator()(std::uint64_t key) const noexcept { return key; }
  std::size_t operator()(std::string_view key) const noexcept {
    return load_le64(key.data(), key.size());
  }
  std::size_t operator()(const std::string& key) const noexcept {
    return (*this)(std::string_view(key));
  }
};

struct CollideHash {
  static constexpr std::string_view name = "collide";
  static constexpr unsigned kBlockBits = 4;  // 16 keys share one hash
  std::size_t operator()(std::uint64_t key) const noexcept {
    return StrongHash{}(key >> kBlockBits);
  }
  std::size_t operator()(std::string_view key) const noexcept {
    return StrongHash{}(key.substr(0, key.empty() ? 0 : key.size() - 1));
  }
  std::size_t operator()(const std::string& key) const noexcept {
    return (*this)(std::string_view(key));
  }
};

}  // namespace slotlab

namespace slotlab {

// Calls fn(H{}) for the one of Hashers whose name is `name`; false if none is.
// A tool instantiates its work once per hasher listed, so one that needs fewer
// lists fewer (bench/families: the profiles' hashes).
template <class... Hashers, class Fn>
bool with_hasher_among(std::string_view name, Fn&& fn) {
  return ((name == Hashers::name && (fn(Hashers{}), true)) || ...);
}
// Every hasher, for the tools that take --hash.
template <class Fn>
bool with_hasher(std::string_view name, Fn&& fn) {
  return with_hasher_among<StrongHash, WeakHash, CollideHash>(name, fn);
}
inline constexpr std::string_view kHasherNames = "strong, weak, collide";

}  // namespace slotlab
