//go:build !go1.24

// The classic map's layout (Go 1.19-1.23, runtime/map.go), for model `go`.
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
	"runtime"
	"strings"
	"unsafe"
)

const (
	generation   = "classic"
	layoutFile   = "classic.go"
	reusedMeans  = "insert into an emptyOne slot (tophash 1); emptyRest (0) and new overflow buckets are fresh"
	newGroupName = "new overflow bucket"
)

// hmap is runtime.hmap's header in Go 1.19 through 1.23 (runtime/map.go).
type hmap struct {
	count      int
	flags      uint8
	B          uint8
	noverflow  uint16
	hash0      uint32
	buckets    unsafe.Pointer
	oldbuckets unsafe.Pointer
	nevacuate  uintptr
	extra      unsafe.Pointer
}

func header(m map[uint64]uint64) *hmap {
	return (*hmap)(unsafe.Add(*(*unsafe.Pointer)(unsafe.Pointer(&m)), skew()))
}

// bmap for map[uint64]uint64: tophash [8]uint8, keys [8]uint64, elems
// [8]uint64, overflow pointer -- 144 bytes, the overflow pointer last.
const bucketSize, overflowOffset, keysOffset, elemsOffset = 144, 136, 8, 72

// tophash values (runtime/map.go).
const emptyRest, emptyOne, evacuatedEmpty, minTopHash = 0, 1, 4, 5

func isFull(c int) bool       { return c >= minTopHash }
func isReusedByte(c int) bool { return c == emptyOne }
func ctrlName(c int) string {
	switch {
	case c == emptyRest:
		return "emptyRest"
	case c == emptyOne:
		return "emptyOne"
	case c <= evacuatedEmpty:
		return "evacuated"
	}
	return "full"
}

func checkVersion() {
	v := runtime.Version()
	supported := false
	for _, p := range []string{"go1.19", "go1.20", "go1.21", "go1.22", "go1.23"} {
		supported = supported || strings.HasPrefix(v, p)
	}
	if !supported {
		usage("built with " + v + "; the hmap header read here is Go 1.19-1.23's")
	}
}

func bucketAt(h *hmap, i uintptr) unsafe.Pointer {
	return unsafe.Pointer(uintptr(h.buckets) + i*bucketSize)
}

func overflowOf(b unsafe.Pointer) unsafe.Pointer {
	return *(*unsafe.Pointer)(unsafe.Pointer(uintptr(b) + overflowOffset))
}

// finishGrow rewrites an existing key until no grow is in flight: each write
// evacuates buckets (growWork), so the layout check sees one bucket array.
func finishGrow(m map[uint64]uint64, k uint64) {
	v := m[k]
	for header(m).oldbuckets != nil {
		m[k] = v
	}
}

// checkLayout reads two maps whose contents it knows (5 keys in one bucket; 5000
// keys over 2^10 buckets) and checks count, B, every tophash byte and every
// key and elem against them.
func checkLayout() string {
	for _, size := range []int{5, 5000} {
		m := make(map[uint64]uint64)
		want := make(map[uint64]uint64)
		for i := 1; i <= size; i++ {
			k := fmix64(uint64(i) * 0x9E3779B97F4A7C15)
			m[k], want[k] = ^k, ^k
		}
		finishGrow(m, fmix64(0x9E3779B97F4A7C15))
		h := header(m)
		if h.count != len(m) {
			layoutMismatch(fmt.Sprintf("hmap.count reads %d, len(m) is %d", h.count, len(m)))
		}
		if h.B > 30 || float64(size) > 6.5*float64(uint64(1)<<h.B) || (h.B > 0 && float64(size) <= 6.5*float64(uint64(1)<<(h.B-1))) {
			layoutMismatch(fmt.Sprintf("hmap.B reads %d for %d keys", h.B, size))
		}
		found := 0
		for i := uintptr(0); i < uintptr(1)<<h.B; i++ {
			for b := bucketAt(h, i); b != nil; b = overflowOf(b) {
				for j := uintptr(0); j < 8; j++ {
					top := int(*(*uint8)(unsafe.Pointer(uintptr(b) + j)))
					if top == emptyRest || top == emptyOne {
						continue
					}
					if !isFull(top) {
						layoutMismatch(fmt.Sprintf("tophash byte %d outside a grow", top))
					}
					k := *(*uint64)(unsafe.Pointer(uintptr(b) + keysOffset + 8*j))
					v := *(*uint64)(unsafe.Pointer(uintptr(b) + elemsOffset + 8*j))
					if w, ok := want[k]; !ok || w != v {
						layoutMismatch(fmt.Sprintf("slot %d of bucket %d holds %#x -> %#x, not a key of the map", j, i, k, v))
					}
					found++
				}
			}
		}
		if found != size {
			layoutMismatch(fmt.Sprintf("%d full slots for %d keys", found, size))
		}
	}
	return "hmap count, B, buckets, oldbuckets; bucket tophash[8], keys, elems, overflow pointer (144 bytes), on maps of 5 and 5000 known keys"
}

// overflowInUse walks every chain of the bucket array and counts the
// overflow buckets linked into it: the exact figure noverflow estimates.
// -1 while a grow is in flight (the old array would need walking too).
func overflowInUse(h *hmap) int {
	if h.oldbuckets != nil || h.buckets == nil {
		return -1
	}
	n := 0
	for i := uintptr(0); i < uintptr(1)<<h.B; i++ {
		for b := overflowOf(bucketAt(h, i)); b != nil; b = overflowOf(b) {
			n++
		}
	}
	return n
}

// take snapshots every chain's tophash bytes for the reuse probe.
func take(m map[uint64]uint64, s *snapshot) {
	s.reset()
	h := header(m)
	s.rebuilding = h.oldbuckets != nil
	s.shape = append(s.shape, uintptr(h.buckets), uintptr(h.B))
	if h.buckets == nil {
		return
	}
	for i := uintptr(0); i < uintptr(1)<<h.B; i++ {
		for b := bucketAt(h, i); b != nil; b = overflowOf(b) {
			s.groups = append(s.groups, uintptr(b))
			s.ctrl = append(s.ctrl, *(*uint64)(b))
		}
	}
}

func trace(n, ops, every int, seed uint64) {
	m := make(map[uint64]uint64)
	keys := newKeyStream(seed)
	rng := splitmix64{state: seed}
	live := make([]uint64, 0, n)
	var sameSize, doubling int
	wasGrowing := false
	lastB := uint8(0)
	watch := func() { // after every write: did a grow start?
		h := header(m)
		growing := h.oldbuckets != nil
		if h.B != lastB { // hashGrow raises B at once for a doubling
			doubling += int(h.B - lastB)
			lastB = h.B
		} else if growing && !wasGrowing {
			sameSize++ // a same-size grow keeps B
		}
		wasGrowing = growing
	}
	for i := 0; i < n; i++ {
		k := keys.fresh()
		m[k] = k
		live = append(live, k)
		watch()
	}
	row := func(done int) {
		h := header(m)
		growing := 0
		if h.oldbuckets != nil {
			growing = 1
		}
		inUse := ""
		if n := overflowInUse(h); n >= 0 {
			inUse = fmt.Sprint(n)
		}
		fmt.Printf("%d,%d,%d,%d,%d,%d,%d,%s\n", done, h.count, h.B, h.noverflow, growing, sameSize, doubling, inUse)
	}
	fmt.Println("ops,count,B,noverflow,growing,same_size_grows,doubling_grows,overflow_in_use")
	row(0)
	for done := 1; done <= ops; done++ {
		i := rng.pick(len(live))
		delete(m, live[i])
		watch()
		k := keys.fresh()
		live[i] = k
		m[k] = k
		watch()
		if done%every == 0 {
			row(done)
		}
	}
}
