//go:build !go1.24

// The classic map's layout, Go 1.19-1.23 (runtime/map.go). A map value points
// at an hmap header; hmap.buckets is an array of 2^B buckets (bmap), each
// tophash [8]uint8, then 8 keys, 8 elems and the overflow pointer that chains
// the bucket's overflow buckets (mapassign's newoverflow); during a grow
// (hashGrow) the old array hangs off hmap.oldbuckets until growWork /
// evacuate have moved every bucket. Keys and elems of <= 128 bytes are stored
// inline, and every type read here is a multiple of 8 bytes, so no padding
// sits between the arrays (bmap's dataOffset is 8).
//
// Tophash: a stored key's byte is its hash's top byte, raised by minTopHash
// when it falls below (tophash()); a delete writes emptyOne, and mapdelete
// turns a chain's trailing run of emptyOne back to emptyRest, so emptyOne is
// the classic map's tombstone; evacuate marks moved slots of the old array
// evacuatedX / evacuatedY / evacuatedEmpty.
package goruntime

import (
	"fmt"
	"runtime"
	"strings"
	"unsafe"
)

const (
	Generation = "classic"
	File       = "internal/goruntime/classic.go"
)

// Hmap is runtime.hmap in Go 1.19 through 1.23 (runtime/map.go).
type Hmap struct {
	Count      int
	Flags      uint8
	B          uint8
	Noverflow  uint16
	Hash0      uint32
	Buckets    unsafe.Pointer
	Oldbuckets unsafe.Pointer
	Nevacuate  uintptr
	Extra      unsafe.Pointer
}

// The tophash values below minTopHash, and hmap.flags' sameSizeGrow bit
// (runtime/map.go).
const (
	EmptyRest      = 0
	EmptyOne       = 1
	EvacuatedX     = 2
	EvacuatedY     = 3
	EvacuatedEmpty = 4
	MinTopHash     = 5
	SameSizeGrow   = 8
	Tombstone      = EmptyOne // what a delete leaves where a later key may follow
)

var stateNames = [MinTopHash]string{"emptyRest", "emptyOne", "evacuatedX", "evacuatedY", "evacuatedEmpty"}

func IsFull(ctrl uint8) bool { return ctrl >= MinTopHash }

// StateName names a tophash byte: its constant's name, or "key".
func StateName(ctrl uint8) string {
	if IsFull(ctrl) {
		return "key"
	}
	return stateNames[ctrl]
}

// Header is the map's hmap (nil for a nil map).
func Header[K comparable, V any](m map[K]V) *Hmap { return (*Hmap)(headerPointer(m)) }

func (h *Hmap) Growing() bool { return h.Oldbuckets != nil }

// Buckets is bmap's geometry for one key and elem type (LayoutOf).
type Buckets struct{ KeySize, ElemSize, Size uintptr }

func LayoutOf[K comparable, V any]() Buckets {
	var k K
	var v V
	ks, es := unsafe.Sizeof(k), unsafe.Sizeof(v)
	return Buckets{ks, es, 8 + 8*ks + 8*es + unsafe.Sizeof(uintptr(0))}
}

func (g Buckets) At(array unsafe.Pointer, i uintptr) unsafe.Pointer {
	return unsafe.Add(array, i*g.Size)
}

// Overflow is the bucket's overflow pointer, the bucket's last word.
func (g Buckets) Overflow(b unsafe.Pointer) unsafe.Pointer {
	return *(*unsafe.Pointer)(unsafe.Add(b, g.Size-unsafe.Sizeof(uintptr(0))))
}

func (g Buckets) Key(b unsafe.Pointer, j uintptr) unsafe.Pointer { return unsafe.Add(b, 8+j*g.KeySize) }
func (g Buckets) Elem(b unsafe.Pointer, j uintptr) unsafe.Pointer {
	return unsafe.Add(b, 8+8*g.KeySize+j*g.ElemSize)
}

// Ctrl is slot j's tophash byte.
func Ctrl(b unsafe.Pointer, j uintptr) uint8 { return *(*uint8)(unsafe.Add(b, j)) }

// CtrlWord is a bucket's 8 tophash bytes as one word, byte i = slot i.
func CtrlWord(b unsafe.Pointer) uint64 { return *(*uint64)(b) }

// EachBucket calls fn for every bucket of the array of 2^logSize buckets, in
// order, each followed by its overflow chain (depth 1, 2, ...).
func (g Buckets) EachBucket(array unsafe.Pointer, logSize uint8, fn func(b unsafe.Pointer, bucket uintptr, depth int)) {
	for i := uintptr(0); i < uintptr(1)<<logSize; i++ {
		depth := 0
		for b := g.At(array, i); b != nil; b = g.Overflow(b) {
			fn(b, i, depth)
			depth++
		}
	}
}

// CtrlWords appends every bucket of the main array, in chain order, to addrs
// and its 8 tophash bytes (CtrlWord) to words: a snapshot cheap enough to take
// around every write (a loop, where EachBucket would call a closure a bucket).
func (g Buckets) CtrlWords(h *Hmap, addrs []uintptr, words []uint64) ([]uintptr, []uint64) {
	for i := uintptr(0); h.Buckets != nil && i < uintptr(1)<<h.B; i++ {
		for b := g.At(h.Buckets, i); b != nil; b = g.Overflow(b) {
			addrs, words = append(addrs, uintptr(b)), append(words, CtrlWord(b))
		}
	}
	return addrs, words
}

// walkGroups is Slots' walk: bucket by bucket of the main array, each bucket
// followed by its overflow chain; then, during a grow, the old array (old
// true), whose tophash bytes record evacuation.
func walkGroups[K comparable, V any](m map[K]V, g Buckets, fn func(b unsafe.Pointer, bucket, depth int, old bool)) {
	h := Header(m)
	if h == nil || h.Buckets == nil {
		return
	}
	g.EachBucket(h.Buckets, h.B, func(b unsafe.Pointer, i uintptr, depth int) { fn(b, int(i), depth, false) })
	if h.Growing() {
		oldB := h.B
		if h.Flags&SameSizeGrow == 0 {
			oldB--
		}
		g.EachBucket(h.Oldbuckets, oldB, func(b unsafe.Pointer, i uintptr, depth int) { fn(b, int(i), depth, true) })
	}
}

// CheckVersion: the hmap mirrored here is Go 1.19-1.23's.
func CheckVersion() error {
	v := runtime.Version()
	for _, p := range []string{"go1.19", "go1.20", "go1.21", "go1.22", "go1.23"} {
		if strings.HasPrefix(v, p) {
			return nil
		}
	}
	return fmt.Errorf("built with %s; the hmap header read here is Go 1.19-1.23's", v)
}

// finishGrow rewrites an existing key until no grow is in flight: each write
// evacuates buckets (growWork), so the layout check sees one bucket array.
func finishGrow(m map[uint64]uint64, k uint64) {
	v := m[k]
	for Header(m).Growing() {
		m[k] = v
	}
}

// CheckLayout reads two maps whose contents it knows (5 keys in one bucket;
// 5000 keys over 2^10 buckets) and checks count, B, every tophash byte and
// every key and elem against them. It returns what it checked, or the first
// mismatch.
func CheckLayout() (string, error) {
	g := LayoutOf[uint64, uint64]()
	for _, size := range []int{5, 5000} {
		m := make(map[uint64]uint64)
		want := make(map[uint64]uint64)
		for i := 1; i <= size; i++ {
			k := checkKey(i)
			m[k], want[k] = ^k, ^k
		}
		finishGrow(m, checkKey(1))
		h := Header(m)
		if h.Count != len(m) {
			return "", mismatch("hmap.count reads %d, len(m) is %d", h.Count, len(m))
		}
		if h.B > 30 || float64(size) > 6.5*float64(uint64(1)<<h.B) || (h.B > 0 && float64(size) <= 6.5*float64(uint64(1)<<(h.B-1))) {
			return "", mismatch("hmap.B reads %d for %d keys", h.B, size)
		}
		found := 0
		var err error
		g.EachBucket(h.Buckets, h.B, func(b unsafe.Pointer, i uintptr, _ int) {
			for j := uintptr(0); j < 8 && err == nil; j++ {
				top := Ctrl(b, j)
				if top == EmptyRest || top == EmptyOne {
					continue
				}
				if !IsFull(top) {
					err = mismatch("tophash byte %d outside a grow", top)
					return
				}
				k, v := *(*uint64)(g.Key(b, j)), *(*uint64)(g.Elem(b, j))
				if w, ok := want[k]; !ok || w != v {
					err = mismatch("slot %d of bucket %d holds %#x -> %#x, not a key of the map", j, i, k, v)
					return
				}
				found++
			}
		})
		if err != nil {
			return "", err
		}
		if found != size {
			return "", mismatch("%d full slots for %d keys", found, size)
		}
	}
	return "hmap count, B, buckets, oldbuckets; bucket tophash[8], keys, elems, overflow pointer (144 bytes), on maps of 5 and 5000 known keys", nil
}
