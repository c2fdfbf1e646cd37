// The post's chapter 4.4 asks go:linkname for runtime.mapassign_fast64. This is
// the half of that which Go allows: a body-less declaration that *calls* the
// runtime's function (a "pull" linkname; the empty stub.s lets the compiler
// accept a function without a body). Go 1.23+ vets such pulls at link time
// (-checklinkname) and keeps mapassign_fast64 reachable on purpose, because
// widely used packages call it (runtime's "hall of shame" comment). The
// signature is the runtime's: (type, map header, key) -> pointer to the elem;
// the post's extra `bucket` parameter and runtime.maptype/hmap types do not
// exist outside the runtime. Prints "ok <value> <len>" when the call stored
// the value, else one line on stderr and exit 1.
package main

import (
	"fmt"
	"os"
	"unsafe"
)

//go:linkname mapassign_fast64 runtime.mapassign_fast64
func mapassign_fast64(typ unsafe.Pointer, m unsafe.Pointer, key uint64) unsafe.Pointer

// eface is an interface value's two words: the first is the map's *maptype.
type eface struct{ typ, data unsafe.Pointer }

func main() {
	m := map[uint64]uint64{}
	var i any = m
	typ := (*eface)(unsafe.Pointer(&i)).typ
	*(*uint64)(mapassign_fast64(typ, *(*unsafe.Pointer)(unsafe.Pointer(&m)), 42)) = 7
	if m[42] != 7 || len(m) != 1 {
		fmt.Fprintf(os.Stderr, "linkname call: m[42] = %d, len %d after the call\n", m[42], len(m))
		os.Exit(1)
	}
	fmt.Println("ok", m[42], len(m))
}
