//go:build go1.24

// The Swiss-table map's size as its header and tables state it
// (internal/runtime/maps.Map and table, mirrored in
// ../internal/goruntime/swiss.go), for the growth experiment: used, whether it
// is a small map (one group, no table), the directory length, and per table
// the capacity and growthLeft (the inserts left before a rehash).
package main

import "slotlab/internal/goruntime"

func shapeOf[K comparable, V any](m map[K]V) shape {
	h := goruntime.Header(m)
	s := shape{Count: int(h.Used), Small: h.DirLen == 0, DirLen: h.DirLen}
	if h.DirLen == 0 {
		s.Slots = 8
		return s
	}
	for _, t := range h.Tables(nil) {
		s.Tables++
		s.Slots += int(t.Capacity)
		s.GrowthLeft += int(t.GrowthLeft)
	}
	return s
}
