// seedclaims: the blog post's claims about Go's map (../shared/seed/), put to
// the real runtime it describes. Built twice -- by a classic-map Go (1.19-1.23)
// and by a Swiss-table Go (>= 1.24) -- with the layout mirror picked by build
// tag (../internal/goruntime, shared with churnmap; shape_classic.go and
// shape_swiss.go summarise a map's header for the growth experiment); the
// experiments themselves are written once, against goruntime.Slots/shapeOf,
// and read the runtime's own memory through unsafe as the post proposes (its
// chapter 2.3).
//
//	seedclaims probe [--trials T] [--seed S]
//	    one JSON object on stdout: chapter1, slot_bytes, insert_slot, states,
//	    growth, overflow (see each function's comment).
//	seedclaims race --mode unsync|gosched|serial|mutex [--ops N]
//	    goroutines doing delete -> insert -> read on one map; prints "ok" if
//	    the process survives. Build with -race to ask the race detector.
//
// Bad input: one line on stderr, exit 2.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"runtime"

	"slotlab/internal/goruntime"
	"slotlab/internal/keys"
)

type shape struct {
	Count      int  `json:"count"`
	B          int  `json:"B,omitempty"`
	Slots      int  `json:"slots"`
	Growing    bool `json:"growing,omitempty"`
	Noverflow  int  `json:"noverflow,omitempty"`
	Small      bool `json:"small,omitempty"`
	DirLen     int  `json:"dir_len,omitempty"`
	Tables     int  `json:"tables,omitempty"`
	GrowthLeft int  `json:"growth_left,omitempty"`
}

func usage(msg string) {
	fmt.Fprintf(os.Stderr, "seedclaims: %s\n", msg)
	os.Exit(2)
}

// find returns the live slot holding k, or nil.
func find[K comparable, V any](m map[K]V, k K) *goruntime.Slot {
	for _, s := range goruntime.Slots(m) {
		if !s.Old && goruntime.IsFull(s.Ctrl) && *(*K)(s.Key) == k {
			s := s
			return &s
		}
	}
	return nil
}

// rng: splitmix64, the key source (fixed seed: the runtime's hash is seeded anyway).
type rng struct{ keys.SplitMix64 }

func (r *rng) next() uint64 {
	return r.Next() | 1 // never 0: a cleared word must be told from a stored one
}

func main() {
	if len(os.Args) < 2 {
		usage("usage: seedclaims probe|race [options]")
	}
	fs := flag.NewFlagSet(os.Args[1], flag.ContinueOnError)
	fs.SetOutput(os.Stderr)
	fs.Usage = func() {} // the flag package's own line is the one line
	trials := fs.Int("trials", 1000, "probe: fresh maps for the chapter-1 example")
	seed := fs.Uint64("seed", 1, "probe: key seed")
	mode := fs.String("mode", "", "race: unsync, gosched, serial or mutex")
	ops := fs.Int("ops", 20000, "race: delete/insert/read rounds per goroutine")
	if err := fs.Parse(os.Args[2:]); err != nil {
		os.Exit(2) // flag printed its one line
	}
	if fs.NArg() > 0 {
		usage(fmt.Sprintf("unexpected argument %q", fs.Arg(0)))
	}
	switch os.Args[1] {
	case "probe":
		if *trials < 1 {
			usage(fmt.Sprintf("--trials must be at least 1, got %d", *trials))
		}
		r := &rng{keys.SplitMix64{State: *seed}}
		out := map[string]any{
			"generation": goruntime.Generation, "go_version": runtime.Version(),
			"chapter1":    chapter1(*trials),
			"slot_bytes":  slotBytes(r),
			"insert_slot": insertSlot(r),
			"states":      states(r),
			"growth":      growth(r),
			"overflow":    overflowRebuild(r),
		}
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", " ")
		if err := enc.Encode(out); err != nil {
			fmt.Fprintf(os.Stderr, "seedclaims: %v\n", err)
			os.Exit(1)
		}
	case "race":
		if *ops < 1 {
			usage(fmt.Sprintf("--ops must be at least 1, got %d", *ops))
		}
		if err := race(*mode, *ops); err != "" {
			usage(err)
		}
		fmt.Println("ok")
	default:
		usage(fmt.Sprintf("unknown command %q (probe or race)", os.Args[1]))
	}
}
