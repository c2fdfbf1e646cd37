// churnmap: the `churn` workload (../shared/DESIGN.md) on a real Go
// map[uint64]uint64, for checking slotlab's C++ models of Go's map against the
// runtime they model. One program, two map generations, chosen by the
// toolchain that builds it (build tags, one file per layout):
//
//	classic.go  (!go1.24) Go 1.19-1.23's runtime/map.go: hmap, buckets of 8
//	            tophash bytes + 8 keys + 8 elems + overflow pointer (model `go`)
//	swiss.go    (go1.24)  Go 1.24+'s internal/runtime/maps: Map header,
//	            directory of tables, groups of 8 control bytes + 8 slots
//	            (model `goswiss`)
//
// The runtime's structs are mirrored once, for every Go program here, in
// ../internal/goruntime (same build tags); the files above hold what only
// churnmap does with them. The mirror is checked at start on maps whose
// contents it knows (goruntime.CheckLayout): a mismatch is one line on stderr
// and exit 3, never a silent misreading.
//
//	churnmap trace --n N --ops M --every K --seed S
//	    CSV, one row after the fill (ops=0), then one every K ops. Columns per
//	    generation: see traceClassic (classic.go) and traceSwiss (swiss.go).
//	churnmap reuse --n N --ops M --seed S
//	    The slot-by-slot reuse probe (probe.go): fill N, one untimed turnover,
//	    then M churn ops; for every insert, the slot it took and that slot's
//	    control byte before it; for every delete, the slot it freed. One JSON
//	    object on stdout.
//	churnmap speed --n N --ops M --reps R --seed S
//	    CSV: rep,n,ops,ns_per_op,cpu_ns_per_op: fill N keys (untimed), then M
//	    churn ops timed (wall: time.Now; CPU: getrusage), R times, each on a
//	    fresh map.
//	churnmap layout
//	    Runs the layout check alone; prints one line naming what it checked.
//
// Keys are slotlab's KeyStream (bench/workloads/key_stream.hpp): the i-th key
// is fmix64(i ^ fmix64(seed ^ 0x5EED5EED5EED5EED)). The live key to erase is
// picked with splitmix64 and Lemire's multiply-shift, as the C++ speed
// benchmark does (both in ../internal/keys). The map's hash is the runtime's own (aeshash, seeded per
// map), as it must be to measure the runtime.
//
// Bad input: one line on stderr, exit 2. Layout mismatch: one line, exit 3.
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"slotlab/internal/goruntime"
	"slotlab/internal/keys"
)

// headerSkew exists for the test that proves the layout check fails loudly:
// `go build -ldflags=-X=main.headerSkew=8` reads the map header 8 bytes off,
// as a runtime that had added a field in front would look to the mirror
// (goruntime.HeaderSkew).
var headerSkew = "0"

func skew() uintptr {
	s, err := strconv.Atoi(headerSkew)
	if err != nil || s < 0 {
		layoutMismatch("headerSkew must be a byte count, got " + headerSkew)
	}
	return uintptr(s)
}

// layoutMismatch: the runtime's map is not laid out as the mirror reads it.
func layoutMismatch(what string) {
	fmt.Fprintf(os.Stderr, "churnmap: %s\n", what)
	os.Exit(3)
}

// churn is every command's workload: a map of live keys from the KeyStream,
// and the picker of the live key to erase.
type churn struct {
	m    map[uint64]uint64
	keys keys.KeyStream
	rng  keys.SplitMix64
	live []uint64
}

// newChurn fills a fresh map with n keys; afterInsert (if not nil) runs after
// each of them.
func newChurn(n int, seed uint64, afterInsert func(m map[uint64]uint64)) *churn {
	c := &churn{m: make(map[uint64]uint64), keys: keys.NewKeyStream(seed),
		rng: keys.SplitMix64{State: seed}, live: make([]uint64, 0, n)}
	for i := 0; i < n; i++ {
		k := c.keys.Fresh()
		c.m[k] = k
		c.live = append(c.live, k)
		if afterInsert != nil {
			afterInsert(c.m)
		}
	}
	return c
}

// replace is one churn op: erase a random live key, then insert a fresh key
// in its place; afterDelete (if not nil) runs between the two.
func (c *churn) replace(afterDelete func()) {
	i := c.rng.Pick(len(c.live))
	delete(c.m, c.live[i])
	if afterDelete != nil {
		afterDelete()
	}
	k := c.keys.Fresh()
	c.live[i] = k
	c.m[k] = k
}

func usage(msg string) {
	fmt.Fprintf(os.Stderr, "churnmap: %s\n", msg)
	os.Exit(2)
}

func speed(n, ops, reps int, seed uint64) {
	fmt.Println("rep,n,ops,ns_per_op,cpu_ns_per_op")
	for rep := 0; rep < reps; rep++ {
		c := newChurn(n, seed+uint64(rep), nil)
		// The timed loop is churn.replace written out on locals, as the C++
		// benchmark's loop is: no call or indirection the model side lacks.
		m, stream, rng, live := c.m, c.keys, c.rng, c.live
		runtime.GC()
		cpuStart := cpuTime()
		start := time.Now()
		for op := 0; op < ops; op++ {
			i := rng.Pick(len(live))
			delete(m, live[i])
			k := stream.Fresh()
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
	if err := goruntime.CheckVersion(); err != nil {
		usage(err.Error())
	}
	commands := "trace|reuse|speed|layout"
	if len(os.Args) < 2 || !strings.Contains("|"+commands+"|", "|"+os.Args[1]+"|") {
		usage("usage: churnmap " + commands + " [--n N] [--ops M] [--every K] [--reps R] [--seed S]")
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
	goruntime.HeaderSkew = skew()
	checked, err := goruntime.CheckLayout()
	if err != nil {
		layoutMismatch(err.Error())
	}
	switch os.Args[1] {
	case "trace":
		trace(*n, *ops, *every, *seed)
	case "reuse":
		reuse(*n, *ops, *seed)
	case "speed":
		speed(*n, *ops, *reps, *seed)
	case "layout":
		fmt.Printf("%s map layout of %s matches %s: %s\n", goruntime.Generation, runtime.Version(), goruntime.File, checked)
	}
}
