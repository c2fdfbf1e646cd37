package main

import (
	"runtime"
	"sync"
	"sync/atomic"
)

var sink uint64 // keeps the reads from being optimised away

// race: the post's chapter 3-4 scenario. Two goroutines, each `ops` rounds of
// delete(k) -> m[k] = i -> read m[k+1], on one map of 64 keys. unsync: no
// synchronisation (GOMAXPROCS as the environment says); gosched: the post's
// variant, GOMAXPROCS=1 and runtime.Gosched() after every map operation, so the
// goroutines interleave only between operations; serial: GOMAXPROCS=1 without
// Gosched, so one goroutine's rounds usually all run before the other's (no
// interleaving at all); mutex: the control, each round under one sync.Mutex. Returns "" or the usage error.
func race(mode string, ops int) string {
	switch mode {
	case "unsync", "mutex":
	case "gosched", "serial":
		runtime.GOMAXPROCS(1)
	default:
		return "--mode must be unsync, gosched, serial or mutex, got \"" + mode + "\""
	}
	m := map[uint64]uint64{}
	for i := uint64(0); i < 64; i++ {
		m[i] = i
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	yield := func() {
		if mode == "gosched" {
			runtime.Gosched()
		}
	}
	// Both goroutines start their rounds together: created one after the other
	// on a busy machine, the first could finish before the second runs at all.
	// The barrier orders only what comes before it; the rounds after it stay
	// unordered between the goroutines, as in the post.
	var ready int32
	for w := 0; w < 2; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			atomic.AddInt32(&ready, 1)
			for atomic.LoadInt32(&ready) < 2 {
				runtime.Gosched()
			}
			var local uint64
			for i := 0; i < ops; i++ {
				k := uint64(i*2+w) % 64
				if mode == "mutex" {
					mu.Lock()
				}
				delete(m, k)
				yield()
				m[k] = uint64(i)
				yield()
				local += m[(k+1)%64]
				yield()
				if mode == "mutex" {
					mu.Unlock()
				}
			}
			mu.Lock()
			sink += local
			mu.Unlock()
		}(w)
	}
	wg.Wait()
	return ""
}
