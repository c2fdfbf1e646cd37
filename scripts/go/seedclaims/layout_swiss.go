//go:build go1.24

// The Swiss-table map's layout, Go >= 1.24 (internal/runtime/maps): a Map
// header whose dirPtr is either one group (a small map: dirLen 0, <= 8 keys)
// or a directory of *table; a table holds a power-of-two array of groups, each
// group a control word (8 bytes, byte i for slot i) then 8 slots of
// {key, elem}.
package main

import "unsafe"

const generation = "swiss"

// swissMap is internal/runtime/maps.Map's header (map.go).
type swissMap struct {
	used              uint64
	seed              uintptr
	dirPtr            unsafe.Pointer
	dirLen            int
	globalDepth       uint8
	globalShift       uint8
	writing           uint8
	tombstonePossible bool
	clearSeq          uint64
}

// table is internal/runtime/maps.table (table.go).
type table struct {
	used       uint16
	capacity   uint16
	growthLeft uint16
	localDepth uint8
	index      int
	groups     unsafe.Pointer
	lengthMask uint64
}

// Control bytes (group.go): 0x80 empty, 0xFE deleted (tombstone), 0x00-0x7F a
// key's H2 (the hash's low 7 bits).
const (
	ctrlEmpty   = 0x80
	ctrlDeleted = 0xFE
)

func header[K comparable, V any](m map[K]V) *swissMap {
	return *(**swissMap)(unsafe.Pointer(&m))
}

// slotGeometry: typ.SlotSize and typ.ElemOff are those of struct{key K; elem V}.
func slotGeometry[K comparable, V any]() (slotSize, elemOff, groupSize uintptr) {
	var s struct {
		k K
		v V
	}
	slotSize, elemOff = unsafe.Sizeof(s), unsafe.Offsetof(s.v)
	return slotSize, elemOff, 8 + 8*slotSize
}

func tablesOf(h *swissMap) []*table {
	var out []*table
	for i := 0; i < h.dirLen; i++ {
		t := *(**table)(unsafe.Pointer(uintptr(h.dirPtr) + uintptr(i)*unsafe.Sizeof(uintptr(0))))
		if len(out) == 0 || out[len(out)-1] != t { // a table of local depth < global depth repeats
			out = append(out, t)
		}
	}
	return out
}

// slotsOf lists every slot: the small map's one group, or table by table,
// group by group (slot.group numbers groups across tables).
func slotsOf[K comparable, V any](m map[K]V) []slot {
	onHeap(m)
	h := header(m)
	if h == nil || h.dirPtr == nil {
		return nil
	}
	ss, eo, gs := slotGeometry[K, V]()
	var out []slot
	group := func(g unsafe.Pointer, n int) {
		for j := uintptr(0); j < 8; j++ {
			s := unsafe.Pointer(uintptr(g) + 8 + j*ss)
			out = append(out, slot{ctrl: *(*uint8)(unsafe.Pointer(uintptr(g) + j)),
				ctrlp: unsafe.Pointer(uintptr(g) + j), key: s,
				elem: unsafe.Pointer(uintptr(s) + eo), group: n, index: int(j)})
		}
	}
	if h.dirLen == 0 {
		group(h.dirPtr, 0)
		return out
	}
	n := 0
	for _, t := range tablesOf(h) {
		for g := uint64(0); g <= t.lengthMask; g++ {
			group(unsafe.Pointer(uintptr(t.groups)+uintptr(g)*gs), n)
			n++
		}
	}
	return out
}

func isFull(ctrl uint8) bool { return ctrl&0x80 == 0 }

func stateName(ctrl uint8) string {
	switch {
	case ctrl == ctrlEmpty:
		return "empty"
	case ctrl == ctrlDeleted:
		return "deleted"
	case isFull(ctrl):
		return "key"
	}
	return "other"
}

func shapeOf[K comparable, V any](m map[K]V) shape {
	onHeap(m)
	h := header(m)
	s := shape{Count: int(h.used), Small: h.dirLen == 0, DirLen: h.dirLen}
	if h.dirLen == 0 {
		s.Slots = 8
		return s
	}
	for _, t := range tablesOf(h) {
		s.Tables++
		s.Slots += int(t.capacity)
		s.GrowthLeft += int(t.growthLeft)
	}
	return s
}
