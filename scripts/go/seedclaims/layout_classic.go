//go:build !go1.24

// The classic map's layout, Go 1.19-1.23 (runtime/map.go): an hmap header, an
// array of 2^B buckets, each bucket tophash [8]uint8, 8 keys, 8 elems and an
// overflow pointer; during a grow the old array hangs off hmap.oldbuckets.
// Keys and elems of <= 128 bytes are stored inline (every type used here).
package main

import "unsafe"

const generation = "classic"

// hmap is runtime.hmap's header in Go 1.19 through 1.23.
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

// The tophash values below minTopHash (runtime/map.go); a stored key's tophash
// is its hash's top byte, raised by minTopHash when it falls below.
const (
	emptyRest      = 0
	emptyOne       = 1
	evacuatedX     = 2
	evacuatedY     = 3
	evacuatedEmpty = 4
	minTopHash     = 5
	sameSizeGrow   = 8 // hmap.flags bit
)

func header[K comparable, V any](m map[K]V) *hmap { return *(**hmap)(unsafe.Pointer(&m)) }

func (h *hmap) growing() bool { return h.oldbuckets != nil }

// bucketGeometry: the key/elem offsets of bmap, with dataOffset 8 (tophash)
// and the overflow pointer last; every key and elem type used here is a
// multiple of 8 bytes, so no padding sits between the arrays.
func bucketGeometry[K comparable, V any]() (keySize, elemSize, bucketSize uintptr) {
	var k K
	var v V
	keySize, elemSize = unsafe.Sizeof(k), unsafe.Sizeof(v)
	return keySize, elemSize, 8 + 8*keySize + 8*elemSize + unsafe.Sizeof(uintptr(0))
}

// slotsOf lists every slot of the map in chain order: bucket by bucket of the
// main array, each bucket followed by its overflow chain; then, during a grow,
// the old array (slot.old), whose tophash bytes record evacuation.
func slotsOf[K comparable, V any](m map[K]V) []slot {
	onHeap(m)
	h := header(m)
	if h == nil || h.buckets == nil {
		return nil
	}
	ks, es, bs := bucketGeometry[K, V]()
	walk := func(array unsafe.Pointer, n uintptr, old bool, out []slot) []slot {
		for i := uintptr(0); i < n; i++ {
			b := unsafe.Pointer(uintptr(array) + i*bs)
			for depth := 0; b != nil; depth++ {
				for j := uintptr(0); j < 8; j++ {
					out = append(out, slot{
						ctrl:  *(*uint8)(unsafe.Pointer(uintptr(b) + j)),
						ctrlp: unsafe.Pointer(uintptr(b) + j),
						key:   unsafe.Pointer(uintptr(b) + 8 + j*ks),
						elem:  unsafe.Pointer(uintptr(b) + 8 + 8*ks + j*es),
						group: int(i), index: int(j), depth: depth, old: old,
					})
				}
				b = *(*unsafe.Pointer)(unsafe.Pointer(uintptr(b) + bs - unsafe.Sizeof(uintptr(0))))
			}
		}
		return out
	}
	out := walk(h.buckets, uintptr(1)<<h.B, false, nil)
	if h.oldbuckets != nil {
		oldB := h.B
		if h.flags&sameSizeGrow == 0 {
			oldB--
		}
		out = walk(h.oldbuckets, uintptr(1)<<oldB, true, out)
	}
	return out
}

func isFull(ctrl uint8) bool { return ctrl >= minTopHash }

func stateName(ctrl uint8) string {
	switch ctrl {
	case emptyRest:
		return "emptyRest"
	case emptyOne:
		return "emptyOne"
	case evacuatedX:
		return "evacuatedX"
	case evacuatedY:
		return "evacuatedY"
	case evacuatedEmpty:
		return "evacuatedEmpty"
	}
	return "key"
}

// shapeOf: what the header says about the map's size, for the growth experiment.
func shapeOf[K comparable, V any](m map[K]V) shape {
	onHeap(m)
	h := header(m)
	return shape{Count: h.count, B: int(h.B), Slots: 8 << h.B, Growing: h.oldbuckets != nil,
		Noverflow: int(h.noverflow)}
}
