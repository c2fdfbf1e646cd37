#!/bin/bash -eu
# Builds slotlab's fuzz targets under the OSS-Fuzz / ClusterFuzzLite contract:
#   $CXX, $CXXFLAGS       compiler and the engine's instrumentation/sanitizer flags
#   $LIB_FUZZING_ENGINE   the engine to link (libFuzzer: -fsanitize=fuzzer)
#   $OUT                  where <target>, <target>_seed_corpus.zip, <target>.dict
#                         and <target>.options go
#   $SRC                  the checkout's parent (the Dockerfile copies slotlab to $SRC/slotlab)
# Optional: SLOTLAB_SRC (default: the checkout this script sits in),
# SLOTLAB_INCLUDES (extra include dirs for tsl and Boost; Debian needs none).
# Tested without docker by setting the variables by hand: see fuzz/README.md.

SLOTLAB_SRC="${SLOTLAB_SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
# target:body -- differential_deep is the differential body with its own options
TARGETS="differential:differential differential_deep:differential"

includes=(-I"$SLOTLAB_SRC")
for dir in ${SLOTLAB_INCLUDES:-}; do includes+=(-I"$dir"); done
# The coverage choices of fuzz/CMakeLists.txt (it says why): no edges from
# Abseil (address-dependent) or libstdc++ (noise), no trace-cmp hooks (half the
# target's time, no guidance for this input format). Only clang's
# libFuzzer-style instrumentation understands these flags.
extra=()
if [[ "$CXXFLAGS" == *fsanitize=fuzzer* || "$CXXFLAGS" == *sanitize-coverage* ]]; then
  extra+=(-fsanitize-coverage-ignorelist="$SLOTLAB_SRC/fuzz/coverage_ignorelist.txt"
          -fno-sanitize-coverage=trace-cmp)
fi
absl_cflags=$(pkg-config --cflags absl_flat_hash_map absl_hashtable_debug)
absl_libs=$(pkg-config --libs absl_flat_hash_map absl_hashtable_debug)

# The lane shards (fuzz/harness/lane_shards.hpp): one object per shard.
work=$(mktemp -d)
shards=()
for shard in $(seq 0 7); do
  # shellcheck disable=SC2086  # CXXFLAGS and the pkg-config output are word lists
  $CXX $CXXFLAGS -std=c++20 -DNDEBUG "${includes[@]}" "${extra[@]}" $absl_cflags \
    -DSLOTLAB_FUZZ_SHARD="$shard" -c "$SLOTLAB_SRC/fuzz/harness/lane_shard.cpp" -o "$work/lanes_$shard.o" &
  shards+=("$work/lanes_$shard.o")
done
wait

for entry in $TARGETS; do
  target=${entry%%:*} body=${entry##*:}
  # shellcheck disable=SC2086
  $CXX $CXXFLAGS -std=c++20 -DNDEBUG "${includes[@]}" "${extra[@]}" $absl_cflags \
    -o "$OUT/$target" "$SLOTLAB_SRC/fuzz/targets/$body.cpp" "${shards[@]}" $LIB_FUZZING_ENGINE $absl_libs
  rm -f "$OUT/${target}_seed_corpus.zip"
  (cd "$SLOTLAB_SRC/fuzz/corpus/$body" && zip -q -j "$OUT/${target}_seed_corpus.zip" ./*)
  cp "$SLOTLAB_SRC/fuzz/$body.dict" "$OUT/$target.dict"
  sed "s/^dict = .*/dict = $target.dict/" "$SLOTLAB_SRC/fuzz/$target.options" > "$OUT/$target.options"
done
rm -rf "$work"
