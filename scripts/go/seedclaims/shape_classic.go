//go:build !go1.24

// The classic map's size as its header (runtime.hmap, mirrored in
// ../internal/goruntime/classic.go) states it, for the growth experiment:
// count, B (2^B buckets of 8 slots), whether a grow (hashGrow) is in flight,
// and noverflow, the overflow-bucket estimate that triggers a same-size grow.
package main

import "slotlab/internal/goruntime"

func shapeOf[K comparable, V any](m map[K]V) shape {
	h := goruntime.Header(m)
	return shape{Count: h.Count, B: int(h.B), Slots: 8 << h.B, Growing: h.Growing(),
		Noverflow: int(h.Noverflow)}
}
