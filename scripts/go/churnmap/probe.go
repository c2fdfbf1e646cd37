// The slot-by-slot reuse probe, shared by both generations: the layout file
// supplies a snapshot of every bucket's (classic) or group's (Swiss) 8 control
// bytes with their addresses; this file diffs snapshots around each write.
//
// A slot is the address of its control byte. A delete frees the one slot whose
// byte goes from full to not full; an insert takes the one slot whose byte goes
// from not full to full, and its byte before the insert says what it took
// (classic: emptyOne, emptyRest, or a new overflow bucket; Swiss: deleted or
// empty). A freed slot is remembered with the insert count at its delete; the
// insert that next fills it reuses it at distance (inserts since), 1 = the very
// next insert. A rebuild (classic: any write while a grow is in flight; Swiss:
// a table replaced by grow or split) moves keys, so slots stop naming keys:
// the probe forgets the pending freed slots (invalidated) and leaves that
// write's insert unclassified. Freed slots still pending at the end are
// censored. This is what bench/reuse/reuse_main.cpp does for the models with
// slot addresses.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"runtime"
	"sort"

	"slotlab/internal/goruntime"
)

type snapshot struct {
	groups     []uintptr // address of each bucket's / group's control bytes, in walk order
	ctrl       []uint64  // those 8 bytes, byte i = slot i
	shape      []uintptr // what only a rebuild changes (bucket arrays, table pointers)
	rebuilding bool      // classic: a grow is in flight
}

func (s *snapshot) reset() {
	s.groups, s.ctrl, s.shape, s.rebuilding = s.groups[:0], s.ctrl[:0], s.shape[:0], false
}

func sameShape(a, b *snapshot) bool {
	if a.rebuilding || b.rebuilding || len(a.shape) != len(b.shape) {
		return false
	}
	for i := range a.shape {
		if a.shape[i] != b.shape[i] {
			return false
		}
	}
	return true
}

// change is one slot whose control byte changed between two snapshots;
// before is -1 for a slot in a group the earlier snapshot did not have
// (classic: a new overflow bucket).
type change struct {
	slot          uintptr
	before, after int
}

// diff lists the changed slots. Groups only ever appear (classic overflow
// buckets linked into a chain) between snapshots of the same shape, so a merge
// in walk order lines them up.
func diff(a, b *snapshot, out []change) []change {
	out = out[:0]
	j := 0
	for i, g := range b.groups {
		if j < len(a.groups) && a.groups[j] == g {
			if x := a.ctrl[j] ^ b.ctrl[i]; x != 0 {
				for k := uint(0); k < 8; k++ {
					if x>>(8*k)&0xff != 0 {
						out = append(out, change{g + uintptr(k), int(a.ctrl[j] >> (8 * k) & 0xff), int(b.ctrl[i] >> (8 * k) & 0xff)})
					}
				}
			}
			j++
			continue
		}
		for k := uint(0); k < 8; k++ {
			out = append(out, change{g + uintptr(k), -1, int(b.ctrl[i] >> (8 * k) & 0xff)})
		}
	}
	if j != len(a.groups) {
		probeBroken(fmt.Sprintf("%d groups vanished between two snapshots of the same shape", len(a.groups)-j))
	}
	return out
}

func probeBroken(what string) {
	fmt.Fprintf(os.Stderr, "churnmap: reuse probe: %s (the %s layout in %s misreads this runtime)\n",
		what, goruntime.Generation, goruntime.File)
	os.Exit(3)
}

// The control bytes as diff reports them: -1 (no byte: a new group) is never
// full and never a tombstone.
func isFull(c int) bool       { return c >= 0 && goruntime.IsFull(uint8(c)) }
func isReusedByte(c int) bool { return c == goruntime.Tombstone }
func ctrlName(c int) string   { return goruntime.StateName(uint8(c)) }

type distances []int

// quantile: nearest rank, as bench/workloads/distribution.hpp computes it.
func (d distances) quantile(q float64) int {
	rank := int(q*float64(len(d)) + 0.999999999)
	if rank < 1 {
		rank = 1
	}
	return d[rank-1]
}

type reuseResult struct {
	Generation  string `json:"generation"`
	GoVersion   string `json:"go_version"`
	N           int    `json:"n"`
	Ops         int    `json:"ops"`
	Seed        uint64 `json:"seed"`
	Method      string `json:"method"`
	Deletes     int    `json:"deletes"`
	Inserts     int    `json:"inserts"` // classified: not during a rebuild
	Reused      int    `json:"reused_inserts"`
	Fresh       int    `json:"fresh_inserts"`
	ReusedMeans string `json:"reused_means"`
	// Inserts by the control byte of the slot they took, deletes by the byte they left.
	InsertInto map[string]int `json:"insert_into"`
	DeleteTo   map[string]int `json:"delete_to"`
	// Inserts into a slot a delete of this run had freed (whatever its byte says).
	FreedReused    int            `json:"freed_slot_inserts"`
	FreedReusedVia map[string]int `json:"freed_slot_inserts_by_byte"`
	Unclassified   int            `json:"unclassified_inserts"`
	Rebuilds       int            `json:"rebuild_writes"`
	Invalidated    int            `json:"invalidated_by_rebuild"`
	Censored       int            `json:"censored"`
	Distance       map[string]any `json:"distance"`
	AtDistance     map[string]int `json:"at_distance"`
}

func reuse(n, ops int, seed uint64) {
	c := newChurn(n, seed, nil)
	m := c.m
	for i := 0; i < n; i++ { // one turnover, as slotlab_reuse warms up
		c.replace(nil)
	}
	r := reuseResult{Generation: goruntime.Generation, GoVersion: runtime.Version(), N: n, Ops: ops, Seed: seed,
		Method:      "control bytes of every bucket/group diffed around each write; churn at size n after one turnover",
		ReusedMeans: reusedMeans, InsertInto: map[string]int{}, DeleteTo: map[string]int{},
		FreedReusedVia: map[string]int{}, AtDistance: map[string]int{"1": 0, "2": 0, "3": 0}}
	pending := map[uintptr]int{} // freed slot -> insert count at its delete
	var d distances
	var prev, cur snapshot
	var changes []change
	take(m, &prev)
	inserts := 0
	afterDelete := func() {
		r.Deletes++
		take(m, &cur)
		if !sameShape(&prev, &cur) {
			r.Invalidated += len(pending)
			pending = map[uintptr]int{}
		} else {
			freed := 0
			for _, c := range diff(&prev, &cur, changes) {
				if c.before >= 0 && isFull(c.before) && !isFull(c.after) {
					freed++
					pending[c.slot] = inserts
					r.DeleteTo[ctrlName(c.after)]++
				}
			}
			if freed != 1 {
				probeBroken(fmt.Sprintf("one delete freed %d slots", freed))
			}
		}
		prev, cur = cur, prev
	}
	for op := 0; op < ops; op++ {
		c.replace(afterDelete)
		inserts++
		take(m, &cur)
		if !sameShape(&prev, &cur) {
			r.Rebuilds++
			r.Unclassified++
			r.Invalidated += len(pending)
			pending = map[uintptr]int{}
		} else {
			taken := 0
			changes = diff(&prev, &cur, changes)
			for _, c := range changes {
				if isFull(c.after) && (c.before < 0 || !isFull(c.before)) {
					taken++
					r.Inserts++
					name := newGroupName
					if c.before >= 0 {
						name = ctrlName(c.before)
					}
					r.InsertInto[name]++
					if c.before >= 0 && isReusedByte(c.before) {
						r.Reused++
					} else {
						r.Fresh++
					}
					if at, ok := pending[c.slot]; ok {
						r.FreedReused++
						r.FreedReusedVia[name]++
						dist := inserts - at
						d = append(d, dist)
						if dist <= 3 {
							r.AtDistance[fmt.Sprint(dist)]++
						}
						delete(pending, c.slot)
					}
				}
			}
			if taken != 1 {
				probeBroken(fmt.Sprintf("one insert filled %d slots", taken))
			}
		}
		prev, cur = cur, prev
	}
	r.Censored = len(pending)
	if len(m) != n {
		probeBroken(fmt.Sprintf("the map holds %d keys, expected %d", len(m), n))
	}
	sort.Ints(d)
	r.Distance = map[string]any{"count": len(d)}
	if len(d) > 0 {
		sum := 0
		for _, v := range d {
			sum += v
		}
		r.Distance = map[string]any{"count": len(d), "min": d[0], "p10": d.quantile(0.1),
			"median": d.quantile(0.5), "p90": d.quantile(0.9), "max": d[len(d)-1],
			"mean": float64(sum) / float64(len(d))}
	}
	out, err := json.Marshal(r)
	if err != nil {
		probeBroken(err.Error())
	}
	fmt.Println(string(out))
}
