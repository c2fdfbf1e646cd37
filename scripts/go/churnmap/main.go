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
// Each layout file mirrors the runtime's structs from the installed source and
// checks the mirror at start on maps whose contents it knows (checkLayout):
// a mismatch is one line on stderr and exit 3, never a silent misreading.
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
// benchmark does. The map's hash is the runtime's own (aeshash, seeded per
// map), as it must be to measure the runtime.
//
// Bad input: one line on stderr, exit 2. Layout mismatch: one line, exit 3.
package main

import (
	"flag"
	"fmt"
	"math/bits"
	"os"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// headerSkew exists for the test that proves the layout check fails loudly:
// `go build -ldflags=-X=main.headerSkew=8` reads the map header 8 bytes off,
// as a runtime that had added a field in front would look to this mirror.
var headerSkew = "0"

func skew() uintptr {
	s, err := strconv.Atoi(headerSkew)
	if err != nil || s < 0 {
		layoutMismatch("headerSkew must be a byte count, got " + headerSkew)
	}
	return uintptr(s)
}

// layoutMismatch: the runtime's map is not laid out as this program reads it.
func layoutMismatch(what string) {
	fmt.Fprintf(os.Stderr, "churnmap: the %s map layout mirrored in %s does not match this runtime (%s): %s\n",
		generation, layoutFile, runtime.Version(), what)
	os.Exit(3)
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
	checkVersion()
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
	checked := checkLayout()
	switch os.Args[1] {
	case "trace":
		trace(*n, *ops, *every, *seed)
	case "reuse":
		reuse(*n, *ops, *seed)
	case "speed":
		speed(*n, *ops, *reps, *seed)
	case "layout":
		fmt.Printf("%s map layout of %s matches %s: %s\n", generation, runtime.Version(), layoutFile, checked)
	}
}
