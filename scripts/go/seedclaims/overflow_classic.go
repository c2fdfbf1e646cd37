//go:build !go1.24

package main

import "slotlab/internal/goruntime"

// overflowRebuild: does anything rebuild a long overflow chain with tombstones (the
// post's §2.4: >= 8 overflow buckets, >= 3 consecutive tombstones)? A map of B=4
// (make with hint 100) gets one bucket's chain filled to 9 buckets (72 keys found by
// inserting candidates and keeping those the runtime put in bucket 0), then 24 of
// its keys deleted: runs of tombstones (emptyOne) inside the chain. Then:
//
//	quiet: 10,000 reads and 10,000 overwrites of the chain's live keys -- does the
//	       chain change?
//	grow:  overflow buckets are added elsewhere (a bucket's chain filled, then
//	       emptied, bucket after bucket) until the runtime starts a grow; the
//	       noverflow, B and kind of that grow, and bucket 0's chain after it.
func overflowRebuild(r *rng) map[string]any {
	m := make(map[uint64]uint64, 100)
	h := goruntime.Header(m)
	b0 := int(h.B)
	chain := func() (buckets, tombstones, longestRun int) {
		run := 0
		for _, s := range goruntime.Slots(m) {
			if s.Old || s.Group != 0 {
				continue
			}
			if s.Depth+1 > buckets {
				buckets = s.Depth + 1
			}
			if s.Ctrl == goruntime.EmptyOne {
				tombstones++
				run++
				if run > longestRun {
					longestRun = run
				}
			} else {
				run = 0
			}
		}
		return
	}
	var growEvent map[string]any // the first grow: what the header said just before it
	fill := func(bucket, keys int) []uint64 {
		var kept []uint64
		for tries := 0; len(kept) < keys && tries < 200000; tries++ {
			k := r.next()
			nov, B, was := int(h.Noverflow), int(h.B), h.Growing()
			chainBuckets, tombstones, _ := chain()
			m[k] = k
			if !was && h.Growing() && growEvent == nil { // hashGrow resets noverflow: keep the old
				growEvent = map[string]any{"noverflow_before": nov, "B_before": B, "B_after": int(h.B),
					"same_size": h.Flags&goruntime.SameSizeGrow != 0, "count": h.Count,
					"chain_buckets_before": chainBuckets, "tombstones_before": tombstones}
				delete(m, k)
				return kept
			}
			if s := find(m, k); s != nil && s.Group == bucket && !h.Growing() {
				kept = append(kept, k)
			} else {
				delete(m, k)
			}
		}
		return kept
	}
	keys := fill(0, 72)
	for i := 8; i < 8+24; i++ { // three whole overflow buckets' worth, from the second on
		delete(m, keys[i])
	}
	live := append(append([]uint64(nil), keys[:8]...), keys[32:]...)
	before := map[string]any{}
	before["chain_buckets"], before["tombstones"], before["longest_tombstone_run"] = chain()
	before["noverflow"], before["B"] = int(h.Noverflow), int(h.B)

	for i := 0; i < 10000; i++ {
		k := live[i%len(live)]
		sink += m[k]
		m[k] = uint64(i)
	}
	quiet := map[string]any{"reads": 10000, "overwrites": 10000}
	quiet["chain_buckets"], quiet["tombstones"], quiet["longest_tombstone_run"] = chain()
	quiet["grew"] = h.Growing() || int(h.B) != b0

	grow := map[string]any{}
	for bucket := 1; bucket < 1<<h.B && growEvent == nil; bucket++ {
		for _, k := range fill(bucket, 24) { // a chain of 3 buckets, then emptied
			delete(m, k)
		}
	}
	grow["started"] = growEvent != nil
	for k, v := range growEvent {
		grow[k] = v
	}
	for i := 0; h.Growing() && i < 1000; i++ { // each write evacuates up to 2 old buckets
		m[live[i%len(live)]] = 1
	}
	grow["finished"] = !h.Growing()
	grow["chain_buckets_after"], grow["tombstones_after"], _ = chain()
	grow["threshold"] = 1 << minInt(b0, 15)
	return map[string]any{"applicable": true, "B": b0, "live_in_chain": len(live),
		"before": before, "after_quiet": quiet, "grow": grow}
}

func minInt(a, b int) int {
	if a < b {
		return a
	}
	return b
}
