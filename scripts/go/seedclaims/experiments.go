package main

import (
	"unsafe"

	"slotlab/internal/goruntime"
)

// chapter1 runs the post's example on `trials` fresh maps: make(map[int]int, 1);
// m[1], m[2]; delete(m, 1); m[3]. Each fresh map draws a fresh hash seed, so
// the share says whether "very likely" is "always".
func chapter1(trials int) map[string]any {
	same := 0
	var first map[string]any
	for t := 0; t < trials; t++ {
		m := make(map[int]int, 1)
		m[1] = 10
		m[2] = 20
		s1 := find(m, 1)
		before := shapeOf(m)
		delete(m, 1)
		m[3] = 30
		s3 := find(m, 3)
		if s1 != nil && s3 != nil && s1.Key == s3.Key {
			same++
		}
		if first == nil && s1 != nil && s3 != nil {
			first = map[string]any{"slot_of_1": s1.Index, "slot_of_3": s3.Index,
				"group_of_1": s1.Group, "group_of_3": s3.Group, "shape": before}
		}
	}
	return map[string]any{"trials": trials, "same_slot": same, "first_trial": first}
}

// wordStates compares a slot's bytes before and after the delete, 8 bytes at a
// time: "kept" (unchanged), "cleared" (now zero) or "changed".
func wordStates(before, after []byte) []string {
	var out []string
	for w := 0; w+8 <= len(before); w += 8 {
		state, zero := "kept", true
		for i := w; i < w+8; i++ {
			if after[i] != before[i] {
				state = "changed"
			}
			if after[i] != 0 {
				zero = false
			}
		}
		if state == "changed" && zero {
			state = "cleared"
		}
		out = append(out, state)
	}
	return out
}

func bytesAt(p unsafe.Pointer, n uintptr) []byte {
	return append([]byte(nil), unsafe.Slice((*byte)(p), n)...)
}

type ptrKey struct {
	P *uint64
	N uint64
}

// deleteBytes deletes `deletes` keys of a map of n keys and records, per delete,
// what the key's and the elem's slot bytes became, and the slot's control byte.
func deleteBytes[K comparable, V any](m map[K]V, keys []K, deletes int) map[string]any {
	var k0 K
	var v0 V
	ks, vs := unsafe.Sizeof(k0), unsafe.Sizeof(v0)
	keyWords, elemWords := map[string]int{}, map[string]int{}
	keyAll, elemAll := map[string]int{}, map[string]int{}
	after := map[string]int{}
	for _, k := range keys[:deletes] {
		s := find(m, k)
		if s == nil {
			continue
		}
		kb, eb := bytesAt(s.Key, ks), bytesAt(s.Elem, vs)
		delete(m, k)
		kw, ew := wordStates(kb, bytesAt(s.Key, ks)), wordStates(eb, bytesAt(s.Elem, vs))
		for i, w := range kw {
			keyWords[word(i)+w]++
		}
		for i, w := range ew {
			elemWords[word(i)+w]++
		}
		keyAll[summary(kw)]++
		elemAll[summary(ew)]++
		after[goruntime.StateName(*(*uint8)(s.CtrlPtr))]++
	}
	return map[string]any{"key_size": ks, "elem_size": vs, "deletes": deletes, "size": len(keys),
		"key": keyAll, "elem": elemAll, "key_words": keyWords, "elem_words": elemWords,
		"ctrl_after": after}
}

func word(i int) string { return "word" + string(rune('0'+i)) + " " }

// summary: "kept" / "cleared" when every word agrees, else "partly cleared".
func summary(words []string) string {
	all := words[0]
	for _, w := range words[1:] {
		if w != all {
			return "partly cleared"
		}
	}
	return all
}

// slotBytes: are a deleted key's bytes and its value's bytes cleared? Three
// key/value types, because the runtime decides by type: uint64/uint64 (no
// pointers, mapdelete_fast64), string/*uint64 (mapdelete_faststr) and a struct
// holding a pointer (the generic mapdelete); each in a small map (4 keys: one
// bucket / the Swiss small-map group) and a larger one (200 keys: B=5 / a table).
func slotBytes(r *rng) map[string]any {
	out := map[string]any{}
	for _, n := range []int{4, 200} {
		var u []uint64
		mu := map[uint64]uint64{}
		var s []string
		ms := map[string]*uint64{}
		var p []ptrKey
		mp := map[ptrKey]ptrKey{}
		for i := 0; i < n; i++ {
			k, v := r.next(), r.next()
			u = append(u, k)
			mu[k] = v
			sk := string(rune('a'+i%26)) + string(make([]byte, 1+i%7)) + itoa(k)
			s = append(s, sk)
			ms[sk] = &v
			pk := ptrKey{P: &v, N: k}
			p = append(p, pk)
			mp[pk] = ptrKey{P: &v, N: v}
		}
		d := n / 2
		out["uint64/uint64 n="+itoa(uint64(n))] = deleteBytes(mu, u, d)
		out["string/*uint64 n="+itoa(uint64(n))] = deleteBytes(ms, s, d)
		out["struct{*uint64,uint64}/same n="+itoa(uint64(n))] = deleteBytes(mp, p, d)
	}
	return out
}

func itoa(x uint64) string {
	if x == 0 {
		return "0"
	}
	var b []byte
	for ; x > 0; x /= 10 {
		b = append([]byte{byte('0' + x%10)}, b...)
	}
	return string(b)
}

// insertSlot: which slot does an insert take?
//
// "chain": in a one-bucket / one-group map of keys a, b, c (slots 0, 1, 2),
// delete a and c, then insert d and e: the slot each takes and what its
// control byte was just before (classic: a is emptyOne, c emptyRest).
//
// "churn": n=800 uint64 keys (classic B=7; Swiss one table of 1024 slots),
// 4000 ops of delete-a-random-key + insert-a-fresh-one; per insert, the state
// of the slot it took, and (classic) whether that was the first empty slot of
// either kind in its bucket chain; per delete, the state left behind.
func insertSlot(r *rng) map[string]any {
	m := map[uint64]uint64{}
	a, b, c, d, e := r.next(), r.next(), r.next(), r.next(), r.next()
	m[a], m[b], m[c] = 1, 2, 3
	sa, sc := find(m, a), find(m, c)
	delete(m, a)
	delete(m, c)
	statesBefore := []string{}
	for _, s := range goruntime.Slots(m)[:8] {
		statesBefore = append(statesBefore, goruntime.StateName(s.Ctrl))
	}
	m[d] = 4
	sd := find(m, d)
	m[e] = 5
	se := find(m, e)
	chain := map[string]any{
		"slots_abc":            []int{sa.Index, find(m, b).Index, sc.Index},
		"states_after_deletes": statesBefore,
		"slot_of_d":            sd.Index, "state_taken_by_d": statesBefore[sd.Index],
		"slot_of_e": se.Index, "state_taken_by_e": statesBefore[se.Index],
	}

	const n, ops = 800, 4000
	m = make(map[uint64]uint64)
	live := make([]uint64, 0, n)
	for len(live) < n {
		k := r.next()
		m[k] = k
		live = append(live, k)
	}
	taken, left := map[string]int{}, map[string]int{}
	firstEmpty, checked, skipped := 0, 0, 0
	for op := 0; op < ops; op++ {
		i := int(r.next() % uint64(len(live)))
		victim := find(m, live[i])
		delete(m, live[i])
		left[goruntime.StateName(*(*uint8)(victim.CtrlPtr))]++
		live[i] = live[len(live)-1]
		live = live[:len(live)-1]

		snapshot := goruntime.Slots(m)
		growingBefore := shapeOf(m).Growing
		k := r.next()
		m[k] = k
		live = append(live, k)
		if growingBefore || shapeOf(m).Growing || len(goruntime.Slots(m)) != len(snapshot) {
			skipped++ // a grow moved keys: the snapshot no longer names the slot
			continue
		}
		landed := find(m, k)
		for j, s := range snapshot {
			if s.Key != landed.Key {
				continue
			}
			taken[goruntime.StateName(s.Ctrl)]++
			if goruntime.Generation == "classic" {
				checked++
				for _, t := range snapshot[j-s.Depth*8-s.Index:] { // the chain's first slot onward
					if t.Group != s.Group {
						break
					}
					if !goruntime.IsFull(t.Ctrl) {
						if t.Key == s.Key {
							firstEmpty++
						}
						break
					}
				}
			}
		}
	}
	churn := map[string]any{"n": n, "ops": ops, "state_taken": taken, "state_left_by_delete": left,
		"skipped_during_grow": skipped}
	if goruntime.Generation == "classic" {
		churn["first_empty_in_chain"] = firstEmpty
		churn["inserts_checked"] = checked
	}
	return map[string]any{"chain": chain, "churn": churn}
}

// states: the control bytes the runtime actually writes, counted over a map
// grown from empty to 20,000 keys (a census every 97 inserts, so several land
// while a classic grow is in flight and old buckets show their evacuation
// marks) and then churned. Per array ("main", "old") and state name; for
// classic, how many key slots hold 0xff, and whether each such key is live.
func states(r *rng) map[string]any {
	census := map[string]int{}
	ff, ffLive, minKey := 0, 0, 256
	m := map[uint64]uint64{}
	var live []uint64
	look := func() {
		for _, s := range goruntime.Slots(m) {
			where := "main:"
			if s.Old {
				where = "old:"
			}
			census[where+goruntime.StateName(s.Ctrl)]++
			if goruntime.IsFull(s.Ctrl) && int(s.Ctrl) < minKey {
				minKey = int(s.Ctrl)
			}
			if s.Ctrl == 0xff && !s.Old {
				ff++
				if _, ok := m[*(*uint64)(s.Key)]; ok {
					ffLive++
				}
			}
		}
	}
	for i := 0; i < 20000; i++ {
		k := r.next()
		m[k] = k
		live = append(live, k)
		if i%97 == 0 {
			look()
		}
	}
	for op := 0; op < 20000; op++ {
		i := int(r.next() % uint64(len(live)))
		delete(m, live[i])
		live[i] = r.next()
		m[live[i]] = 1
		if op%997 == 0 {
			look()
		}
	}
	out := map[string]any{"census": census, "smallest_key_ctrl": minKey}
	if goruntime.Generation == "classic" {
		out["key_slots_with_0xff"] = ff
		out["of_which_live_keys"] = ffLive
	}
	return out
}

// growth: when does the map grow? Inserting 20,000 keys one by one into a
// fresh map, every change of capacity with the count just before the insert
// that caused it (classic: B; Swiss: total slots and tables).
func growth(r *rng) map[string]any {
	m := map[uint64]uint64{}
	var events []map[string]any
	prev := shapeOf(m)
	for i := 0; i < 20000; i++ {
		k := r.next()
		m[k] = k
		now := shapeOf(m)
		if now.Slots != prev.Slots || now.Tables != prev.Tables {
			events = append(events, map[string]any{"count_before": prev.Count, "from": prev, "to": now})
		}
		prev = now
	}
	return map[string]any{"keys": 20000, "events": events}
}
