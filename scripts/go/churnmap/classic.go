//go:build !go1.24

// What churnmap reads of the classic map (Go 1.19-1.23, runtime/map.go; the
// mirror is ../internal/goruntime/classic.go), for model `go`.
//
// traceClassic: CSV ops,count,B,noverflow,growing,same_size_grows,
// doubling_grows,overflow_in_use, one row after the fill (ops=0), then one
// every K ops. overflow_in_use is the exact count of overflow buckets linked
// into the bucket array's chains (empty while a grow is in flight). B and
// noverflow are read from the map header (runtime.hmap) through unsafe; grows
// are detected after every write by watching hmap.oldbuckets turn non-nil
// (same-size) or B rise (doubling).
//
// For the reuse probe a slot is reused when an insert fills an emptyOne slot
// (what the model counts as reused_slot_inserts); an emptyRest slot counts as
// fresh even when a delete freed it (mapdelete turns a chain's trailing run of
// emptyOne back to emptyRest, and the tophash cannot tell), but the probe still
// knows the slot by address: such inserts appear under freed_slot_inserts_by_byte
// "emptyRest" and in the reuse distances, as the model's slot-address probe
// counts them.
package main

import (
	"fmt"
	"unsafe"

	"slotlab/internal/goruntime"
)

const (
	reusedMeans  = "insert into an emptyOne slot (tophash 1); emptyRest (0) and new overflow buckets are fresh"
	newGroupName = "new overflow bucket"
)

// buckets: map[uint64]uint64's bmap, tophash [8]uint8, keys [8]uint64, elems
// [8]uint64, overflow pointer -- 144 bytes, the overflow pointer last.
var buckets = goruntime.LayoutOf[uint64, uint64]()

// overflowInUse walks every chain of the bucket array and counts the
// overflow buckets linked into it: the exact figure noverflow estimates.
// -1 while a grow is in flight (the old array would need walking too).
func overflowInUse(h *goruntime.Hmap) int {
	if h.Growing() || h.Buckets == nil {
		return -1
	}
	n := 0
	buckets.EachBucket(h.Buckets, h.B, func(_ unsafe.Pointer, _ uintptr, depth int) {
		if depth > 0 {
			n++
		}
	})
	return n
}

// take snapshots every chain's tophash bytes for the reuse probe.
func take(m map[uint64]uint64, s *snapshot) {
	s.reset()
	h := goruntime.Header(m)
	s.rebuilding = h.Growing()
	s.shape = append(s.shape, uintptr(h.Buckets), uintptr(h.B))
	if h.Buckets == nil {
		return
	}
	s.groups, s.ctrl = buckets.CtrlWords(h, s.groups, s.ctrl)
}

func trace(n, ops, every int, seed uint64) {
	var sameSize, doubling int
	wasGrowing := false
	lastB := uint8(0)
	watch := func(m map[uint64]uint64) { // after every write: did a grow start?
		h := goruntime.Header(m)
		growing := h.Growing()
		if h.B != lastB { // hashGrow raises B at once for a doubling
			doubling += int(h.B - lastB)
			lastB = h.B
		} else if growing && !wasGrowing {
			sameSize++ // a same-size grow keeps B
		}
		wasGrowing = growing
	}
	c := newChurn(n, seed, watch)
	row := func(done int) {
		h := goruntime.Header(c.m)
		growing := 0
		if h.Growing() {
			growing = 1
		}
		inUse := ""
		if n := overflowInUse(h); n >= 0 {
			inUse = fmt.Sprint(n)
		}
		fmt.Printf("%d,%d,%d,%d,%d,%d,%d,%s\n", done, h.Count, h.B, h.Noverflow, growing, sameSize, doubling, inUse)
	}
	fmt.Println("ops,count,B,noverflow,growing,same_size_grows,doubling_grows,overflow_in_use")
	row(0)
	for done := 1; done <= ops; done++ {
		c.replace(func() { watch(c.m) })
		watch(c.m)
		if done%every == 0 {
			row(done)
		}
	}
}
