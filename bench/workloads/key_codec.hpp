// KeyCodec: turns a key id (a KeyStream value) into the key type a map stores,
// so every workload is written once over ids and runs with 64-bit or string keys.
//
//   IntKeys        the id itself.
//   StringKeys<L>  L bytes: the id's 8 bytes first (the weak hasher reads only
//                  those, so weak-hash strings behave like weak-hash integers),
//                  then id-derived filler, so the strong hasher and equality
//                  see every byte differ. The key is built in a reused buffer:
//                  the codec allocates nothing per op; maps copy what they store.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>

namespace slotlab::bench {

struct IntKeys {
  using key_type = std::uint64_t;
  static constexpr const char* kName = "u64";
  std::uint64_t operator()(std::uint64_t id) const { return id; }
};

template <std::size_t Length>
class StringKeys {
  static_assert(Length >= 8 && Length % 8 == 0);

 public:
  using key_type = std::string;
  StringKeys() : buffer_(Length, '\0') {}
  const std::string& operator()(std::uint64_t id) {
    for (std::size_t i = 0; i < Length; i += 8) {
      const std::uint64_t word = i == 0 ? id : id ^ (i * 0x9E3779B97F4A7C15ull);
      std::memcpy(buffer_.data() + i, &word, 8);
    }
    return buffer_;
  }

 private:
  std::string buffer_;
};

}  // namespace slotlab::bench
