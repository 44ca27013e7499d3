// Package stream derives the random stream of each block of a run.
//
// A run is cut into blocks of a fixed number of trials; block b of a run with
// seed s draws every variate from a PCG generator seeded by Seeds(s, b). The
// derivation depends on (s, b) alone, which is what makes results independent
// of the number of workers and of the machine that simulates a block.
//
// The seeds are mixed with SplitMix64 (Steele, Lea and Flood, "Fast splittable
// pseudorandom number generators", OOPSLA 2014) so that adjacent seeds and
// adjacent blocks give unrelated PCG states. Changing this derivation changes
// every result of every seed: the golden test of package forecast pins it.
package stream

import "math/rand/v2"

// splitmix64 is the finaliser of SplitMix64: a bijective mixer of 64-bit
// words with full avalanche.
func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// Seeds returns the two PCG seed words of block b of a run seeded with seed.
func Seeds(seed uint64, block uint64) (hi, lo uint64) {
	k := splitmix64(seed) ^ splitmix64(block^0x6a09e667f3bcc909)
	hi = splitmix64(k)
	lo = splitmix64(hi ^ 0xbb67ae8584caa73b)
	return hi, lo
}

// Reset reseeds src for block b of a run seeded with seed. It does not
// allocate, so a worker keeps one PCG and one rand.Rand for all its blocks.
func Reset(src *rand.PCG, seed uint64, block uint64) {
	src.Seed(Seeds(seed, block))
}
