//go:build go1.24

// The Swiss-table map's layout, Go 1.24+ (internal/runtime/maps). Mirrored
// from the installed source, $(go env GOROOT)/src/internal/runtime/maps:
// map.go (type Map: dirPtr is either one group -- a small map, dirLen 0, at
// most 8 keys -- or a directory of 2^globalDepth *table, a table of local
// depth d filling 2^(globalDepth-d) consecutive entries), table.go (type
// table, tombstones()), group.go (ctrlEmpty, ctrlDeleted, groupsReference) and
// abi.MapType's group layout: 8 control bytes (byte i for slot i), then 8 slots
// of struct{key; elem}, typ.SlotSize and typ.ElemOff being that struct's.
//
// Control bytes: ctrlEmpty, ctrlDeleted (a tombstone: table.Delete leaves one
// where the group has no empty slot, so a probe sequence may run past it),
// else a key's H2 (the hash's low 7 bits, top bit clear).
package goruntime

import (
	"fmt"
	"runtime"
	"strings"
	"unsafe"
)

const (
	Generation = "swiss"
	File       = "internal/goruntime/swiss.go"
)

// Map is internal/runtime/maps.Map (map.go).
type Map struct {
	Used              uint64
	Seed              uintptr
	DirPtr            unsafe.Pointer // *[dirLen]*table, or the small map's one group
	DirLen            int
	GlobalDepth       uint8
	GlobalShift       uint8
	Writing           uint8
	TombstonePossible bool
	ClearSeq          uint64
}

// Table is internal/runtime/maps.table (table.go).
type Table struct {
	Used       uint16
	Capacity   uint16
	GrowthLeft uint16
	LocalDepth uint8
	Index      int
	Groups     struct { // groupsReference
		Data       unsafe.Pointer
		LengthMask uint64
	}
}

const (
	CtrlEmpty, CtrlDeleted = 0x80, 0xFE // group.go
	Tombstone              = CtrlDeleted
	MaxAvgGroupLoad        = 7    // group.go
	MaxTableCapacity       = 1024 // table.go
)

func IsFull(ctrl uint8) bool { return ctrl&CtrlEmpty == 0 }

// StateName names a control byte: "empty", "deleted", "key", or "other" for a
// byte the runtime never writes.
func StateName(ctrl uint8) string {
	switch {
	case ctrl == CtrlEmpty:
		return "empty"
	case ctrl == CtrlDeleted:
		return "deleted"
	case IsFull(ctrl):
		return "key"
	}
	return "other"
}

// Header is the map's Map (nil for a nil map).
func Header[K comparable, V any](m map[K]V) *Map { return (*Map)(headerPointer(m)) }

func (h *Map) Directory() []*Table {
	if h.DirLen == 0 {
		return nil
	}
	return unsafe.Slice((**Table)(h.DirPtr), h.DirLen)
}

// Tables appends to out[:0] the distinct tables in directory order (a table
// covers consecutive directory entries, index .. index + 2^(globalDepth-localDepth) - 1).
func (h *Map) Tables(out []*Table) []*Table {
	out = out[:0]
	dir := h.Directory()
	for i, t := range dir {
		if i == 0 || t != dir[i-1] {
			out = append(out, t)
		}
	}
	return out
}

// Tombstones is table.tombstones(): capacity*7/8 - used - growthLeft.
func (t *Table) Tombstones() int {
	return int(t.Capacity)*MaxAvgGroupLoad/8 - int(t.Used) - int(t.GrowthLeft)
}

// Groups is a group's geometry for one key and elem type (LayoutOf).
type Groups struct{ SlotSize, ElemOff, Size uintptr }

func LayoutOf[K comparable, V any]() Groups {
	var s struct {
		k K
		v V
	}
	return Groups{unsafe.Sizeof(s), unsafe.Offsetof(s.v), 8 + 8*unsafe.Sizeof(s)}
}

// At is group i of the table.
func (g Groups) At(t *Table, i uint64) unsafe.Pointer {
	return unsafe.Add(t.Groups.Data, uintptr(i)*g.Size)
}

func (g Groups) Key(grp unsafe.Pointer, j uintptr) unsafe.Pointer {
	return unsafe.Add(grp, 8+j*g.SlotSize)
}
func (g Groups) Elem(grp unsafe.Pointer, j uintptr) unsafe.Pointer {
	return unsafe.Add(grp, 8+j*g.SlotSize+g.ElemOff)
}

// Ctrl is slot j's control byte.
func Ctrl(grp unsafe.Pointer, j uintptr) uint8 { return *(*uint8)(unsafe.Add(grp, j)) }

// CtrlWord is a group's 8 control bytes as one word, byte i = slot i.
func CtrlWord(grp unsafe.Pointer) uint64 { return *(*uint64)(grp) }

// EachGroup calls fn for every group of the map: the small map's one group
// (table nil), or table by table, group by group.
func (g Groups) EachGroup(h *Map, fn func(t *Table, grp unsafe.Pointer)) {
	if h.DirLen == 0 {
		fn(nil, h.DirPtr)
		return
	}
	for _, t := range h.Tables(nil) {
		for i := uint64(0); i <= t.Groups.LengthMask; i++ {
			fn(t, g.At(t, i))
		}
	}
}

// CtrlWords appends every group (EachGroup's order) to addrs and its 8
// control bytes (CtrlWord) to words: a snapshot cheap enough to take around
// every write (a loop, where EachGroup would call a closure a group).
func (g Groups) CtrlWords(h *Map, addrs []uintptr, words []uint64) ([]uintptr, []uint64) {
	if h.DirLen == 0 {
		return append(addrs, uintptr(h.DirPtr)), append(words, CtrlWord(h.DirPtr))
	}
	dir := h.Directory()
	for i, t := range dir {
		if i > 0 && t == dir[i-1] {
			continue // a table of local depth < global depth fills several entries
		}
		for j := uint64(0); j <= t.Groups.LengthMask; j++ {
			grp := g.At(t, j)
			addrs, words = append(addrs, uintptr(grp)), append(words, CtrlWord(grp))
		}
	}
	return addrs, words
}

// walkGroups is Slots' walk: the small map's one group, or table by table,
// group by group, numbered across tables.
func walkGroups[K comparable, V any](m map[K]V, g Groups, fn func(grp unsafe.Pointer, group, depth int, old bool)) {
	h := Header(m)
	if h == nil || h.DirPtr == nil {
		return
	}
	n := 0
	g.EachGroup(h, func(_ *Table, grp unsafe.Pointer) {
		fn(grp, n, 0, false)
		n++
	})
}

// CheckVersion: the Map mirrored here is Go 1.24+'s.
func CheckVersion() error {
	v := runtime.Version()
	if strings.HasPrefix(v, "go1.") {
		var minor int
		fmt.Sscanf(strings.TrimPrefix(v, "go1."), "%d", &minor)
		if minor < 24 {
			return fmt.Errorf("built with %s; the Swiss-table map read here is Go 1.24+'s", v)
		}
	}
	return nil
}

// checkGroup checks one group's control bytes and full slots against want;
// returns its full and deleted counts.
func checkGroup(g Groups, grp unsafe.Pointer, want map[uint64]uint64, seen map[uint64]bool, where string) (full, deleted int, err error) {
	for j := uintptr(0); j < 8; j++ {
		c := Ctrl(grp, j)
		switch {
		case c == CtrlEmpty:
		case c == CtrlDeleted:
			deleted++
		case IsFull(c):
			k, v := *(*uint64)(g.Key(grp, j)), *(*uint64)(g.Elem(grp, j))
			if w, ok := want[k]; !ok || w != v || seen[k] {
				return 0, 0, mismatch("%s slot %d holds %#x -> %#x, not a key of the map (or twice)", where, j, k, v)
			}
			seen[k] = true
			full++
		default:
			return 0, 0, mismatch("%s control byte %d reads 0x%02x", where, j, c)
		}
	}
	return full, deleted, nil
}

// CheckLayout reads maps whose contents it knows: 5 keys (a small map: no
// table, one group), then 5000 keys (several tables) with 2000 deleted, and
// checks the header, the directory, every table's counters and every control
// byte, key and elem against them; tombstones() must equal the ctrlDeleted
// bytes counted, which pins growthLeft. It returns what it checked, or the
// first mismatch.
func CheckLayout() (string, error) {
	if s := unsafe.Sizeof(Map{}); s != 48 {
		return "", mismatch("the Map mirror is %d bytes, not 48", s)
	}
	g := LayoutOf[uint64, uint64]()
	m := make(map[uint64]uint64)
	want := make(map[uint64]uint64)
	for i := 1; i <= 5; i++ {
		m[checkKey(i)], want[checkKey(i)] = ^checkKey(i), ^checkKey(i)
	}
	h := Header(m)
	if h.Used != uint64(len(m)) || h.DirLen != 0 || h.DirPtr == nil {
		return "", mismatch("a 5-key map reads used=%d dirLen=%d dirPtr=%v (want used=5, dirLen=0: a small map)", h.Used, h.DirLen, h.DirPtr)
	}
	full, deleted, err := checkGroup(g, h.DirPtr, want, map[uint64]bool{}, "small map group")
	if err != nil {
		return "", err
	}
	if full != 5 || deleted != 0 {
		return "", mismatch("the small map's group has %d full and %d deleted slots, want 5 and 0", full, deleted)
	}
	delete(m, checkKey(3))
	delete(want, checkKey(3))
	full, deleted, err = checkGroup(g, h.DirPtr, want, map[uint64]bool{}, "small map group")
	if err != nil {
		return "", err
	}
	if full != 4 || deleted != 0 || h.Used != 4 {
		return "", mismatch("after a delete the small map has %d full and %d deleted slots, used=%d; want 4, 0 (small maps never tombstone), 4", full, deleted, h.Used)
	}
	for i := 6; i <= 5000; i++ {
		m[checkKey(i)], want[checkKey(i)] = ^checkKey(i), ^checkKey(i)
	}
	for i := 1000; i < 3000; i++ {
		delete(m, checkKey(i))
		delete(want, checkKey(i))
	}
	h = Header(m)
	if h.Used != uint64(len(m)) {
		return "", mismatch("Map.used reads %d, len(m) is %d", h.Used, len(m))
	}
	if h.DirLen < 2 || h.DirLen != 1<<h.GlobalDepth || int(h.GlobalShift) != 64-int(h.GlobalDepth) {
		return "", mismatch("Map.dirLen %d, globalDepth %d, globalShift %d: want dirLen = 2^globalDepth >= 2 and globalShift = 64 - globalDepth", h.DirLen, h.GlobalDepth, h.GlobalShift)
	}
	for i, t := range h.Directory() {
		span := 1 << (h.GlobalDepth - t.LocalDepth)
		if t.LocalDepth > h.GlobalDepth || t.Index > i || i >= t.Index+span || t.Index%span != 0 {
			return "", mismatch("directory entry %d points at a table with index %d, localDepth %d (globalDepth %d)", i, t.Index, t.LocalDepth, h.GlobalDepth)
		}
	}
	seen := map[uint64]bool{}
	total := 0
	for ti, t := range h.Tables(nil) {
		c := int(t.Capacity)
		if c < 8 || c > MaxTableCapacity || c&(c-1) != 0 || t.Groups.LengthMask+1 != uint64(c/8) {
			return "", mismatch("table %d: capacity %d, %d groups (want a power of two in 8..1024, capacity/8 groups)", ti, c, t.Groups.LengthMask+1)
		}
		if t.Tombstones() < 0 {
			return "", mismatch("table %d: used %d + growthLeft %d exceed 7/8 of capacity %d", ti, t.Used, t.GrowthLeft, c)
		}
		full, deleted := 0, 0
		for i := uint64(0); i <= t.Groups.LengthMask; i++ {
			f, d, err := checkGroup(g, g.At(t, i), want, seen, fmt.Sprintf("table %d group %d", ti, i))
			if err != nil {
				return "", err
			}
			full, deleted = full+f, deleted+d
		}
		if full != int(t.Used) || deleted != t.Tombstones() {
			return "", mismatch("table %d: %d full and %d deleted control bytes, but used=%d, tombstones()=%d", ti, full, deleted, t.Used, t.Tombstones())
		}
		total += full
	}
	if total != len(want) {
		return "", mismatch("%d keys found in the tables, the map holds %d", total, len(want))
	}
	return fmt.Sprintf("Map used, dirPtr, dirLen, globalDepth, globalShift; table used, capacity, growthLeft, localDepth, index, groups; groups of 8 control bytes + 8 slots of 16 bytes; on a 5-key small map and a 3000-key map of %d tables", len(h.Tables(nil))), nil
}
