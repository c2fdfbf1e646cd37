//go:build go1.24

// The Swiss-table map's layout (Go 1.24+, internal/runtime/maps), for model
// `goswiss`. Mirrored from the installed source, $(go env GOROOT)/src/
// internal/runtime/maps: map.go (type Map), table.go (type table,
// tombstones()), group.go (ctrlEmpty, ctrlDeleted, groupsReference) and, for
// map[uint64]uint64, abi.MapType's group layout: 8 control bytes, then 8 slots
// of key (8 bytes) + elem (8 bytes) -- 136 bytes a group.
//
// traceSwiss: CSV ops,used,tables,capacity,directory_len,global_depth,
// tombstones,max_table_tombstones,deleted_ctrl,growth_left,grows,splits,prunes,
// pruned_tombstones, one row after the fill (ops=0), then one every K ops.
// tables = distinct tables in the directory (0 for a small map, whose one
// group has no table); capacity = all tables' slots (8 for a small map);
// tombstones = sum over tables of table.tombstones(), capacity*7/8 - used -
// growthLeft; deleted_ctrl = control bytes that read ctrlDeleted (the same
// figure counted byte by byte). grows/splits/prunes count events after the
// fill, detected after every insert: a table replaced with one more distinct
// table is a split, with as many a grow; tombstones falling by 2 or more in
// one insert without a rebuild is a prune (after pruneTombstones the insert
// takes the empty slot ending its probe, so the fall is exactly the pruned
// count; a 1-tombstone prune of an 8-slot table would look like a tombstone
// reuse, and is not counted).
//
// For the reuse probe a slot is reused when an insert fills a ctrlDeleted slot
// (a tombstone: what the model counts as reused_slot_inserts); a ctrlEmpty
// slot is fresh, even when a delete freed it (delete empties a slot whose
// group still has an empty one); the probe still knows such slots by address
// (freed_slot_inserts_by_byte "empty", and the reuse distances).
package main

import (
	"fmt"
	"runtime"
	"strings"
	"unsafe"
)

const (
	generation   = "swiss"
	layoutFile   = "swiss.go"
	reusedMeans  = "insert into a tombstone (ctrlDeleted 0xFE); ctrlEmpty (0x80) slots are fresh"
	newGroupName = "new group"
)

// swissMap is internal/runtime/maps.Map (map.go).
type swissMap struct {
	used              uint64
	seed              uintptr
	dirPtr            unsafe.Pointer // *[dirLen]*table, or the small map's one group
	dirLen            int
	globalDepth       uint8
	globalShift       uint8
	writing           uint8
	tombstonePossible bool
	clearSeq          uint64
}

// swissTable is internal/runtime/maps.table (table.go).
type swissTable struct {
	used       uint16
	capacity   uint16
	growthLeft uint16
	localDepth uint8
	index      int
	groups     struct {
		data       unsafe.Pointer
		lengthMask uint64
	}
}

const (
	ctrlEmpty, ctrlDeleted = 0x80, 0xFE // group.go
	groupSize, slotSize    = 8 + 8*16, 16
	maxAvgGroupLoad        = 7    // group.go
	maxTableCapacity       = 1024 // table.go
)

func isFull(c int) bool       { return c&ctrlEmpty == 0 }
func isReusedByte(c int) bool { return c == ctrlDeleted }
func ctrlName(c int) string {
	switch {
	case c == ctrlEmpty:
		return "empty"
	case c == ctrlDeleted:
		return "deleted"
	case isFull(c):
		return "full"
	}
	return fmt.Sprintf("invalid 0x%02x", c)
}

func checkVersion() {
	v := runtime.Version()
	if strings.HasPrefix(v, "go1.") {
		var minor int
		fmt.Sscanf(strings.TrimPrefix(v, "go1."), "%d", &minor)
		if minor < 24 {
			usage("built with " + v + "; the Swiss-table map read here is Go 1.24+'s")
		}
	}
}

func header(m map[uint64]uint64) *swissMap {
	return (*swissMap)(unsafe.Add(*(*unsafe.Pointer)(unsafe.Pointer(&m)), skew()))
}

func (h *swissMap) directory() []*swissTable {
	if h.dirLen == 0 {
		return nil
	}
	return unsafe.Slice((**swissTable)(h.dirPtr), h.dirLen)
}

// tables: the distinct tables in directory order (a table covers consecutive
// directory entries, index .. index + 2^(globalDepth-localDepth) - 1).
func (h *swissMap) tables(out []*swissTable) []*swissTable {
	out = out[:0]
	for i, t := range h.directory() {
		if i == 0 || t != h.directory()[i-1] {
			out = append(out, t)
		}
	}
	return out
}

func (t *swissTable) tombstones() int {
	return int(t.capacity)*maxAvgGroupLoad/8 - int(t.used) - int(t.growthLeft)
}

func (t *swissTable) group(i uint64) unsafe.Pointer {
	return unsafe.Add(t.groups.data, uintptr(i)*groupSize)
}

func ctrlOf(g unsafe.Pointer, j uintptr) int { return int(*(*uint8)(unsafe.Add(g, j))) }
func keyOf(g unsafe.Pointer, j uintptr) uint64 {
	return *(*uint64)(unsafe.Add(g, 8+j*slotSize))
}
func elemOf(g unsafe.Pointer, j uintptr) uint64 {
	return *(*uint64)(unsafe.Add(g, 8+j*slotSize+8))
}

// checkGroup checks one group's control bytes and full slots against want;
// returns its full and deleted counts.
func checkGroup(g unsafe.Pointer, want map[uint64]uint64, seen map[uint64]bool, where string) (full, deleted int) {
	for j := uintptr(0); j < 8; j++ {
		c := ctrlOf(g, j)
		switch {
		case c == ctrlEmpty:
		case c == ctrlDeleted:
			deleted++
		case isFull(c):
			k, v := keyOf(g, j), elemOf(g, j)
			if w, ok := want[k]; !ok || w != v || seen[k] {
				layoutMismatch(fmt.Sprintf("%s slot %d holds %#x -> %#x, not a key of the map (or twice)", where, j, k, v))
			}
			seen[k] = true
			full++
		default:
			layoutMismatch(fmt.Sprintf("%s control byte %d reads 0x%02x", where, j, c))
		}
	}
	return full, deleted
}

// checkLayout reads maps whose contents it knows: 5 keys (a small map: no
// table, one group), then 5000 keys (several tables) with 2000 deleted, and
// checks the header, the directory, every table's counters and every control
// byte, key and elem against them; tombstones() must equal the ctrlDeleted
// bytes counted, which pins growthLeft.
func checkLayout() string {
	if s := unsafe.Sizeof(swissMap{}); s != 48 {
		layoutMismatch(fmt.Sprintf("the Map mirror is %d bytes, not 48", s))
	}
	key := func(i int) uint64 { return fmix64(uint64(i) * 0x9E3779B97F4A7C15) }
	m := make(map[uint64]uint64)
	want := make(map[uint64]uint64)
	for i := 1; i <= 5; i++ {
		m[key(i)], want[key(i)] = ^key(i), ^key(i)
	}
	h := header(m)
	if h.used != uint64(len(m)) || h.dirLen != 0 || h.dirPtr == nil {
		layoutMismatch(fmt.Sprintf("a 5-key map reads used=%d dirLen=%d dirPtr=%v (want used=5, dirLen=0: a small map)", h.used, h.dirLen, h.dirPtr))
	}
	if full, deleted := checkGroup(h.dirPtr, want, map[uint64]bool{}, "small map group"); full != 5 || deleted != 0 {
		layoutMismatch(fmt.Sprintf("the small map's group has %d full and %d deleted slots, want 5 and 0", full, deleted))
	}
	delete(m, key(3))
	delete(want, key(3))
	if full, deleted := checkGroup(h.dirPtr, want, map[uint64]bool{}, "small map group"); full != 4 || deleted != 0 || h.used != 4 {
		layoutMismatch(fmt.Sprintf("after a delete the small map has %d full and %d deleted slots, used=%d; want 4, 0 (small maps never tombstone), 4", full, deleted, h.used))
	}
	for i := 6; i <= 5000; i++ {
		m[key(i)], want[key(i)] = ^key(i), ^key(i)
	}
	for i := 1000; i < 3000; i++ {
		delete(m, key(i))
		delete(want, key(i))
	}
	h = header(m)
	if h.used != uint64(len(m)) {
		layoutMismatch(fmt.Sprintf("Map.used reads %d, len(m) is %d", h.used, len(m)))
	}
	if h.dirLen < 2 || h.dirLen != 1<<h.globalDepth || int(h.globalShift) != 64-int(h.globalDepth) {
		layoutMismatch(fmt.Sprintf("Map.dirLen %d, globalDepth %d, globalShift %d: want dirLen = 2^globalDepth >= 2 and globalShift = 64 - globalDepth", h.dirLen, h.globalDepth, h.globalShift))
	}
	seen := map[uint64]bool{}
	for i, t := range h.directory() {
		span := 1 << (h.globalDepth - t.localDepth)
		if t.localDepth > h.globalDepth || t.index > i || i >= t.index+span || t.index%span != 0 {
			layoutMismatch(fmt.Sprintf("directory entry %d points at a table with index %d, localDepth %d (globalDepth %d)", i, t.index, t.localDepth, h.globalDepth))
		}
	}
	total := 0
	for ti, t := range h.tables(nil) {
		c := int(t.capacity)
		if c < 8 || c > maxTableCapacity || c&(c-1) != 0 || t.groups.lengthMask+1 != uint64(c/8) {
			layoutMismatch(fmt.Sprintf("table %d: capacity %d, %d groups (want a power of two in 8..1024, capacity/8 groups)", ti, c, t.groups.lengthMask+1))
		}
		if t.tombstones() < 0 {
			layoutMismatch(fmt.Sprintf("table %d: used %d + growthLeft %d exceed 7/8 of capacity %d", ti, t.used, t.growthLeft, c))
		}
		full, deleted := 0, 0
		for g := uint64(0); g <= t.groups.lengthMask; g++ {
			f, d := checkGroup(t.group(g), want, seen, fmt.Sprintf("table %d group %d", ti, g))
			full, deleted = full+f, deleted+d
		}
		if full != int(t.used) || deleted != t.tombstones() {
			layoutMismatch(fmt.Sprintf("table %d: %d full and %d deleted control bytes, but used=%d, tombstones()=%d", ti, full, deleted, t.used, t.tombstones()))
		}
		total += full
	}
	if total != len(want) {
		layoutMismatch(fmt.Sprintf("%d keys found in the tables, the map holds %d", total, len(want)))
	}
	return fmt.Sprintf("Map used, dirPtr, dirLen, globalDepth, globalShift; table used, capacity, growthLeft, localDepth, index, groups; groups of 8 control bytes + 8 slots of 16 bytes; on a 5-key small map and a 3000-key map of %d tables", len(h.tables(nil)))
}

// take snapshots every group's control bytes for the reuse probe.
func take(m map[uint64]uint64, s *snapshot) {
	s.reset()
	h := header(m)
	s.shape = append(s.shape, uintptr(h.dirPtr), uintptr(h.dirLen))
	if h.dirLen == 0 {
		s.groups = append(s.groups, uintptr(h.dirPtr))
		s.ctrl = append(s.ctrl, *(*uint64)(h.dirPtr))
		return
	}
	for _, t := range h.tables(nil) {
		s.shape = append(s.shape, uintptr(unsafe.Pointer(t)), uintptr(t.groups.data))
		for g := uint64(0); g <= t.groups.lengthMask; g++ {
			p := t.group(g)
			s.groups = append(s.groups, uintptr(p))
			s.ctrl = append(s.ctrl, *(*uint64)(p))
		}
	}
}

// swissState: what one checkpoint row reports, and what the insert watcher compares.
type swissState struct {
	tables, capacity, tombstones, maxTombstones, growthLeft int
	list                                                    []*swissTable
}

func stateOf(h *swissMap, s *swissState) {
	s.list = h.tables(s.list)
	s.tables, s.capacity, s.tombstones, s.maxTombstones, s.growthLeft = len(s.list), 0, 0, 0, 0
	if h.dirLen == 0 {
		s.capacity = 8 // the small map's one group
		return
	}
	for _, t := range s.list {
		s.capacity += int(t.capacity)
		ts := t.tombstones()
		s.tombstones += ts
		s.growthLeft += int(t.growthLeft)
		if ts > s.maxTombstones {
			s.maxTombstones = ts
		}
	}
}

func sameTables(a, b []*swissTable) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func deletedCtrl(h *swissMap) int {
	n := 0
	for _, t := range h.tables(nil) {
		for g := uint64(0); g <= t.groups.lengthMask; g++ {
			for j := uintptr(0); j < 8; j++ {
				if ctrlOf(t.group(g), j) == ctrlDeleted {
					n++
				}
			}
		}
	}
	return n
}

func trace(n, ops, every int, seed uint64) {
	m := make(map[uint64]uint64)
	keys := newKeyStream(seed)
	rng := splitmix64{state: seed}
	live := make([]uint64, 0, n)
	for i := 0; i < n; i++ {
		k := keys.fresh()
		m[k] = k
		live = append(live, k)
	}
	var before, after swissState
	var grows, splits, prunes, pruned int
	row := func(done int) {
		h := header(m)
		var s swissState
		stateOf(h, &s)
		fmt.Printf("%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d\n", done, h.used, s.tables, s.capacity,
			h.dirLen, h.globalDepth, s.tombstones, s.maxTombstones, deletedCtrl(h), s.growthLeft,
			grows, splits, prunes, pruned)
	}
	fmt.Println("ops,used,tables,capacity,directory_len,global_depth,tombstones,max_table_tombstones," +
		"deleted_ctrl,growth_left,grows,splits,prunes,pruned_tombstones")
	row(0)
	for done := 1; done <= ops; done++ {
		i := rng.pick(len(live))
		delete(m, live[i])
		k := keys.fresh()
		live[i] = k
		stateOf(header(m), &before) // deletes never rehash or prune: watch the insert
		m[k] = k
		stateOf(header(m), &after)
		if !sameTables(before.list, after.list) {
			if after.tables > before.tables {
				splits += after.tables - before.tables
			} else {
				grows++
			}
		} else if before.tombstones-after.tombstones >= 2 {
			prunes++
			pruned += before.tombstones - after.tombstones
		}
		if done%every == 0 {
			row(done)
		}
	}
}
