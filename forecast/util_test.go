package forecast

import (
	"math/rand/v2"
	"slices"
)

func newTestRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, seed^0x5555)) }

func sortFloats(a []float64) { slices.Sort(a) }

func uniqueSorted(ks []int) []int {
	slices.Sort(ks)
	return slices.Compact(ks)
}
