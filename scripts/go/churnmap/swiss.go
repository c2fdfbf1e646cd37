//go:build go1.24

// What churnmap reads of the Swiss-table map (Go 1.24+, internal/runtime/maps;
// the mirror of map.go's Map, table.go's table and tombstones(), group.go's
// control bytes is ../internal/goruntime/swiss.go), for model `goswiss`. For
// map[uint64]uint64 a group is 8 control bytes, then 8 slots of key (8 bytes)
// + elem (8 bytes) -- 136 bytes.
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
	"unsafe"

	"slotlab/internal/goruntime"
)

const (
	reusedMeans  = "insert into a tombstone (ctrlDeleted 0xFE); ctrlEmpty (0x80) slots are fresh"
	newGroupName = "new group"
)

var groups = goruntime.LayoutOf[uint64, uint64]()

// take snapshots every group's control bytes for the reuse probe.
func take(m map[uint64]uint64, s *snapshot) {
	s.reset()
	h := goruntime.Header(m)
	s.shape = append(s.shape, uintptr(h.DirPtr), uintptr(h.DirLen))
	for _, t := range h.Tables(nil) {
		s.shape = append(s.shape, uintptr(unsafe.Pointer(t)), uintptr(t.Groups.Data))
	}
	s.groups, s.ctrl = groups.CtrlWords(h, s.groups, s.ctrl)
}

// swissState: what one checkpoint row reports, and what the insert watcher compares.
type swissState struct {
	tables, capacity, tombstones, maxTombstones, growthLeft int
	list                                                    []*goruntime.Table
}

func stateOf(h *goruntime.Map, s *swissState) {
	s.list = h.Tables(s.list)
	s.tables, s.capacity, s.tombstones, s.maxTombstones, s.growthLeft = len(s.list), 0, 0, 0, 0
	if h.DirLen == 0 {
		s.capacity = 8 // the small map's one group
		return
	}
	for _, t := range s.list {
		s.capacity += int(t.Capacity)
		ts := t.Tombstones()
		s.tombstones += ts
		s.growthLeft += int(t.GrowthLeft)
		if ts > s.maxTombstones {
			s.maxTombstones = ts
		}
	}
}

func sameTables(a, b []*goruntime.Table) bool {
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

// deletedCtrl counts the control bytes that read ctrlDeleted, table by table
// (a small map's group never holds one).
func deletedCtrl(h *goruntime.Map) int {
	n := 0
	groups.EachGroup(h, func(t *goruntime.Table, g unsafe.Pointer) {
		for j := uintptr(0); j < 8 && t != nil; j++ {
			if goruntime.Ctrl(g, j) == goruntime.CtrlDeleted {
				n++
			}
		}
	})
	return n
}

func trace(n, ops, every int, seed uint64) {
	c := newChurn(n, seed, nil)
	var before, after swissState
	var grows, splits, prunes, pruned int
	row := func(done int) {
		h := goruntime.Header(c.m)
		var s swissState
		stateOf(h, &s)
		fmt.Printf("%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d\n", done, h.Used, s.tables, s.capacity,
			h.DirLen, h.GlobalDepth, s.tombstones, s.maxTombstones, deletedCtrl(h), s.growthLeft,
			grows, splits, prunes, pruned)
	}
	fmt.Println("ops,used,tables,capacity,directory_len,global_depth,tombstones,max_table_tombstones," +
		"deleted_ctrl,growth_left,grows,splits,prunes,pruned_tombstones")
	row(0)
	for done := 1; done <= ops; done++ {
		// deletes never rehash or prune: watch the insert
		c.replace(func() { stateOf(goruntime.Header(c.m), &before) })
		stateOf(goruntime.Header(c.m), &after)
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
