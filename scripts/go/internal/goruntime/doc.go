// Package goruntime is slotlab's one mirror of the Go runtime's map memory, for
// the programs that read a real map through unsafe (scripts/go/churnmap,
// scripts/go/seedclaims). Go changed its map under the same syntax, so the
// mirror is one file per generation, picked by the toolchain's build tag:
//
//	classic.go  (!go1.24) Go 1.19-1.23's runtime/map.go: the hmap header, 2^B
//	            buckets (bmap) of 8 tophash bytes + 8 keys + 8 elems + an
//	            overflow pointer, the old array during a grow
//	swiss.go    (go1.24)  Go 1.24+'s internal/runtime/maps: the Map header,
//	            a directory of tables, groups of 8 control bytes + 8 slots
//
// Both files offer the same names: Generation, Header (the map's header
// struct), LayoutOf (the bucket / group geometry for a key and elem type),
// IsFull / StateName / Tombstone (the control byte: tophash or Swiss ctrl),
// Ctrl / CtrlWord, CheckVersion and CheckLayout; Slots (every slot in walk
// order) is written once, here, on each file's walk. The structs are copied
// field for field from the installed runtime source, which the runtime does
// not export and may change in any release; a misread header gives garbage,
// not an error, so CheckLayout reads maps whose contents it knows and compares
// every counter, control byte, key and elem against them. A program calls it
// at start and stops (exit 3) on the error it returns.
package goruntime

import (
	"fmt"
	"runtime"
	"unsafe"

	"slotlab/internal/keys"
)

// Slot is one slot as the runtime lays it out. Ctrl is the tophash (classic) or
// control byte (Swiss), CtrlPtr where it lives (to read it again after a
// write); Group is the bucket index (classic, main or old array) or the group
// number across tables (Swiss); Depth the position in the overflow chain
// (classic, 0 for the bucket itself); Old marks the old array during a grow.
type Slot struct {
	Ctrl         uint8
	CtrlPtr      unsafe.Pointer
	Key, Elem    unsafe.Pointer
	Group, Index int
	Depth        int
	Old          bool
}

// HeaderSkew moves every header read by this many bytes. It exists for the
// test that proves CheckLayout fails loudly: a header read 8 bytes off is how
// a runtime that added a field in front would look to this mirror.
var HeaderSkew uintptr

// escaped makes every map read here live on the heap: a map that does not
// escape may sit in its goroutine's stack, which moves when it grows, and the
// slot addresses read through uintptr arithmetic would not move with it.
var escaped any

// headerPointer is the map value's one word: a pointer to its header.
func headerPointer[K comparable, V any](m map[K]V) unsafe.Pointer {
	escaped = m
	p := *(*unsafe.Pointer)(unsafe.Pointer(&m))
	if p == nil {
		return nil
	}
	return unsafe.Add(p, HeaderSkew)
}

// mismatch is CheckLayout's error: the runtime's map is not laid out as the
// mirror reads it.
func mismatch(format string, args ...any) error {
	return fmt.Errorf("the %s map layout mirrored in %s does not match this runtime (%s): %s",
		Generation, File, runtime.Version(), fmt.Sprintf(format, args...))
}

// Slots lists every slot of the map in its generation's walk order (classic:
// bucket by bucket, each followed by its overflow chain, then the old array
// during a grow; Swiss: the small map's group, or table by table, group by
// group).
func Slots[K comparable, V any](m map[K]V) []Slot {
	g := LayoutOf[K, V]()
	var out []Slot
	walkGroups(m, g, func(grp unsafe.Pointer, group, depth int, old bool) {
		for j := uintptr(0); j < 8; j++ {
			out = append(out, Slot{Ctrl: Ctrl(grp, j), CtrlPtr: unsafe.Add(grp, j),
				Key: g.Key(grp, j), Elem: g.Elem(grp, j),
				Group: group, Index: int(j), Depth: depth, Old: old})
		}
	})
	return out
}

// checkKey is the i-th key of the layout check's maps (any distinct keys do;
// these are spread over the hash's bits).
func checkKey(i int) uint64 { return keys.Fmix64(uint64(i) * 0x9E3779B97F4A7C15) }
