// churnmap: the `churn` workload (../shared/DESIGN.md) on a real Go
// map[uint64]uint64, for checking slotlab's C++ model of Go's map (strategy
// `go`) against the runtime it models.
//
//	churnmap trace --n N --ops M --every K --seed S
//	    CSV: ops,count,B,noverflow,growing,same_size_grows,doubling_grows,
//	    overflow_in_use, one row after the fill (ops=0), then one every K ops.
//	    overflow_in_use is the exact count of overflow buckets linked into
//	    the bucket array's chains (empty while a grow is in flight). B and noverflow
//	    are read from the map header (runtime.hmap) through unsafe, as Go
//	    1.19-1.23 lay it out; grows are detected after every write by watching
//	    hmap.oldbuckets turn non-nil (same-size) or B rise (doubling).
//	churnmap speed --n N --ops M --reps R --seed S
//	    CSV: rep,n,ops,ns_per_op,cpu_ns_per_op: fill N keys (untimed), then M
//	    churn ops timed (wall: time.Now; CPU: getrusage), R times, each on a
//	    fresh map.
//
// Keys are slotlab's KeyStream (bench/workloads/key_stream.hpp): the i-th key
// is fmix64(i ^ fmix64(seed ^ 0x5EED5EED5EED5EED)). The live key to erase is
// picked with splitmix64 and Lemire's multiply-shift, as the C++ speed
// benchmark does. The map's hash is the runtime's own (aeshash, seeded per
// map), as it must be to measure the runtime.
//
// Bad input: one line on stderr, exit 2.
package main

import (
	"flag"
	"fmt"
	"math/bits"
	"os"
	"runtime"
	"strings"
	"syscall"
	"time"
	"unsafe"
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
	return *(**hmap)(unsafe.Pointer(&m))
}

// bmap for map[uint64]uint64: tophash [8]uint8, keys [8]uint64, elems
// [8]uint64, overflow pointer -- 144 bytes, the overflow pointer last.
const bucketSize, overflowOffset = 144, 136

// overflowInUse walks every chain of the bucket array and counts the
// overflow buckets linked into it: the exact figure noverflow estimates.
// -1 while a grow is in flight (the old array would need walking too).
func overflowInUse(h *hmap) int {
	if h.oldbuckets != nil || h.buckets == nil {
		return -1
	}
	n := 0
	for i := uintptr(0); i < uintptr(1)<<h.B; i++ {
		b := unsafe.Pointer(uintptr(h.buckets) + i*bucketSize)
		for {
			b = *(*unsafe.Pointer)(unsafe.Pointer(uintptr(b) + overflowOffset))
			if b == nil {
				break
			}
			n++
		}
	}
	return n
}

func fmix64(k uint64) uint64 {
	k ^= k >> 33
	k *= 0xff51afd7ed558ccd
	k ^= k >> 33
	k *= 0xc4ceb9fe1a85ec53
	k ^= k >> 33
	return k
}

type keyStream struct{ seed, next uint64 }

func newKeyStream(seed uint64) keyStream { return keyStream{seed: fmix64(seed ^ 0x5EED5EED5EED5EED)} }
func (s *keyStream) fresh() uint64 {
	k := fmix64(s.next ^ s.seed)
	s.next++
	return k
}

type splitmix64 struct{ state uint64 }

func (r *splitmix64) next() uint64 {
	r.state += 0x9E3779B97F4A7C15
	z := r.state
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
	z = (z ^ (z >> 27)) * 0x94D049BB133111EB
	return z ^ (z >> 31)
}

// pick returns a uniform index below n (Lemire's multiply-shift).
func (r *splitmix64) pick(n int) int {
	hi, _ := bits.Mul64(r.next(), uint64(n))
	return int(hi)
}

func usage(msg string) {
	fmt.Fprintf(os.Stderr, "churnmap: %s\n", msg)
	os.Exit(2)
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

func speed(n, ops, reps int, seed uint64) {
	fmt.Println("rep,n,ops,ns_per_op,cpu_ns_per_op")
	for rep := 0; rep < reps; rep++ {
		m := make(map[uint64]uint64)
		keys := newKeyStream(seed + uint64(rep))
		rng := splitmix64{state: seed + uint64(rep)}
		live := make([]uint64, 0, n)
		for i := 0; i < n; i++ {
			k := keys.fresh()
			m[k] = k
			live = append(live, k)
		}
		runtime.GC()
		cpuStart := cpuTime()
		start := time.Now()
		for op := 0; op < ops; op++ {
			i := rng.pick(len(live))
			delete(m, live[i])
			k := keys.fresh()
			live[i] = k
			m[k] = k
		}
		elapsed := time.Since(start)
		cpu := cpuTime() - cpuStart
		fmt.Printf("%d,%d,%d,%.3f,%.3f\n", rep, n, ops, float64(elapsed.Nanoseconds())/float64(ops),
			float64(cpu.Nanoseconds())/float64(ops))
	}
}

// cpuTime is the process's user+system CPU time (getrusage), so that a busy
// machine slows the measurement less than wall time; it includes the
// runtime's own threads (GC), which are part of what a Go map costs.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func main() {
	v := runtime.Version()
	supported := false
	for _, p := range []string{"go1.19", "go1.20", "go1.21", "go1.22", "go1.23"} {
		supported = supported || strings.HasPrefix(v, p)
	}
	if !supported {
		usage("built with " + v + "; the hmap header read here is Go 1.19-1.23's")
	}
	if len(os.Args) < 2 || (os.Args[1] != "trace" && os.Args[1] != "speed") {
		usage("usage: churnmap trace|speed [--n N] [--ops M] [--every K] [--reps R] [--seed S]")
	}
	fs := flag.NewFlagSet(os.Args[1], flag.ContinueOnError)
	fs.SetOutput(new(strings.Builder)) // errors are reported in one line below
	n := fs.Int("n", 6000, "live keys")
	ops := fs.Int("ops", 96000, "churn ops (erase + insert pairs)")
	every := fs.Int("every", 6000, "trace: ops between rows")
	reps := fs.Int("reps", 5, "speed: repetitions")
	seed := fs.Uint64("seed", 1, "key stream seed")
	if err := fs.Parse(os.Args[2:]); err != nil {
		usage(err.Error())
	}
	if fs.NArg() != 0 {
		usage("unexpected argument '" + fs.Arg(0) + "'")
	}
	if *n < 1 || *ops < 0 || *every < 1 || *reps < 1 {
		usage("--n, --every and --reps must be at least 1, --ops at least 0")
	}
	if os.Args[1] == "trace" {
		trace(*n, *ops, *every, *seed)
	} else {
		speed(*n, *ops, *reps, *seed)
	}
}
