// The other half of the post's chapter 4.4: a *hook* -- a function with a
// body given the runtime's symbol name, so that every map assignment would run
// it and could log slot states. The runtime already defines
// runtime.mapassign_fast64, so the linker sees two definitions of one symbol;
// slotlab records what each toolchain says. If it ever built, it would print
// "hooked" from the program's own assignment.
package main

import (
	"fmt"
	"unsafe"
)

//go:linkname hook runtime.mapassign_fast64
func hook(typ unsafe.Pointer, m unsafe.Pointer, key uint64) unsafe.Pointer {
	fmt.Println("hooked", key)
	return nil
}

var sink map[uint64]uint64

func main() {
	m := map[uint64]uint64{}
	m[1] = 2
	sink = m
	fmt.Println("not hooked", m[1])
}
