// Package keys is slotlab's key stream and erase picker in Go, so that the Go
// programs churn a real map with the keys the C++ side uses.
//
// KeyStream is bench/workloads/key_stream.hpp: the i-th key is
// fmix64(i ^ fmix64(seed ^ 0x5EED5EED5EED5EED)), fmix64 being MurmurHash3's
// 64-bit finaliser. SplitMix64 is Vigna's splitmix64 (the C++ speed
// benchmark's generator); Pick maps it to an index with Lemire's
// multiply-shift, as the C++ side picks the live key to erase.
package keys

import "math/bits"

// Fmix64 is MurmurHash3's 64-bit finaliser: a bijection, so distinct inputs
// stay distinct keys.
func Fmix64(k uint64) uint64 {
	k ^= k >> 33
	k *= 0xff51afd7ed558ccd
	k ^= k >> 33
	k *= 0xc4ceb9fe1a85ec53
	k ^= k >> 33
	return k
}

// KeyStream hands out never-repeating keys: the i-th is fmix64(i ^ mixed seed).
type KeyStream struct{ seed, next uint64 }

func NewKeyStream(seed uint64) KeyStream {
	return KeyStream{seed: Fmix64(seed ^ 0x5EED5EED5EED5EED)}
}

// Fresh returns the next key of the stream.
func (s *KeyStream) Fresh() uint64 {
	k := Fmix64(s.next ^ s.seed)
	s.next++
	return k
}

// SplitMix64 is splitmix64; State is its seed.
type SplitMix64 struct{ State uint64 }

func (r *SplitMix64) Next() uint64 {
	r.State += 0x9E3779B97F4A7C15
	z := r.State
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
	z = (z ^ (z >> 27)) * 0x94D049BB133111EB
	return z ^ (z >> 31)
}

// Pick returns a uniform index below n (Lemire's multiply-shift).
func (r *SplitMix64) Pick(n int) int {
	hi, _ := bits.Mul64(r.Next(), uint64(n))
	return int(hi)
}
