package forecast

import (
	"math"
	"math/bits"
	"slices"
)

// selectRanks reorders a so that, for every rank k in ks (0-based, sorted
// ascending, each in [0, len(a))), a[k] holds the value that a full sort
// would put there, with a[:k] ≤ a[k] ≤ a[k+1:] for the largest such
// partition. It is a multi-rank quickselect: one pass costs O(n) expected
// for a few ranks, O(n log m) for m ranks, and never sorts the whole slice.
//
// The standard library and gonum have no selection routine (gonum's
// stat.Quantile sorts), hence this one.
func selectRanks(a []float64, ks []int) {
	if len(ks) == 0 || len(a) < 2 {
		return
	}
	selectRec(a, 0, ks, 2*bits.Len(uint(len(a))))
}

// selectRec works on a, whose first element has global rank off.
func selectRec(a []float64, off int, ks []int, depth int) {
	for len(ks) > 0 && len(a) > 1 {
		if len(a) <= 16 || depth == 0 {
			// Small or adversarial partitions: sort them (bounded cost).
			slices.Sort(a)
			return
		}
		depth--
		lt, gt := partition3(a)
		// a[:lt] < pivot, a[lt:gt] == pivot, a[gt:] > pivot.
		i := 0
		for i < len(ks) && ks[i]-off < lt {
			i++
		}
		j := i
		for j < len(ks) && ks[j]-off < gt {
			j++
		}
		left, right := ks[:i], ks[j:]
		// Recurse into the smaller side, loop on the larger one.
		if lt < len(a)-gt {
			selectRec(a[:lt], off, left, depth)
			a, off, ks = a[gt:], off+gt, right
		} else {
			selectRec(a[gt:], off+gt, right, depth)
			a, ks = a[:lt], left
		}
	}
}

// partition3 partitions a around the median of three samples into values
// below, equal to and above the pivot (Dijkstra's three-way partition), so
// that runs of equal values (a constant output) cost one pass.
func partition3(a []float64) (lt, gt int) {
	n := len(a)
	x, y, z := a[0], a[n/2], a[n-1]
	if x > y {
		x, y = y, x
	}
	if y > z {
		y = z
		if x > y {
			y = x
		}
	}
	pivot := y
	lt, i, gt := 0, 0, n
	for i < gt {
		switch v := a[i]; {
		case v < pivot:
			a[lt], a[i] = a[i], a[lt]
			lt++
			i++
		case v > pivot:
			gt--
			a[gt], a[i] = a[i], a[gt]
		default:
			i++
		}
	}
	return lt, gt
}

// quantileRanks returns, for probability p and n sorted values, the two
// 0-based ranks and the weight of linear interpolation between them
// (Hyndman and Fan's type 7, the default of numpy.percentile and R).
func quantileRanks(p float64, n int) (lo, hi int, frac float64) {
	h := p * float64(n-1)
	lo = int(math.Floor(h))
	if lo >= n-1 {
		return n - 1, n - 1, 0
	}
	return lo, lo + 1, h - float64(lo)
}
