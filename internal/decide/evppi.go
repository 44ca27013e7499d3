package decide

import (
	"fmt"
	"math"
	"slices"
)

// EVPPIOptions configures [EVPPI]. The zero value is ready to use.
type EVPPIOptions struct {
	// Bins is the number of quantile bins of the input x; 2 ≤ 2·Bins ≤ the
	// number of complete trials. Zero means DefaultBins(complete trials).
	// More bins follow a non-linear E(y | x) more closely but leave fewer
	// trials per bin to choose from, which biases the estimate downward
	// (see EVPPI).
	Bins int
}

// Validate reports whether the options are usable for used complete trials.
func (o EVPPIOptions) Validate(used int) error {
	if o.Bins < 0 || (o.Bins > 0 && 2*o.Bins > used) {
		return fmt.Errorf("decide: EVPPIOptions.Bins = %d: want 0 (default) or 1 to %d (at least two trials per bin for %d complete trials)", o.Bins, used/2, used)
	}
	return nil
}

// DefaultBins returns the number of bins EVPPI uses for n complete trials
// when EVPPIOptions.Bins is zero: ⌈2·∛n⌉, at most n/10, at least 1
// (10 bins at n = 100, 93 at 1e5, 200 at 1e6).
//
// The two biases of the binned estimator pull the other way as Bins grows:
// the regret of choosing on noisy bin means grows like Bins/n, and the
// discretisation loss at a crossing of the choices' conditional means falls
// like 1/Bins². A cube-root rule keeps both O(n^(−2/3)), below the O(n^(−1/2))
// standard error; a √n rule would make the regret as large as the error.
func DefaultBins(n int) int {
	b := int(math.Ceil(2 * math.Cbrt(float64(n))))
	b = min(b, n/10)
	return max(b, 1)
}

// subsamplePerBin is the number of trials per bin that the bin edges are
// estimated from: sorting all n input values would cost O(n log n), which
// dominates at 1e6 trials; 64 per bin puts the bins' trial counts within
// about ±1/√64 = 12 % of equal, which is all the estimator needs (any
// partition that depends on x only is valid; equal counts only balance the
// noise between bins).
const subsamplePerBin = 64

// EVPPI returns the expected value of partial perfect information about the
// input x,
//
//	EVPPI = E_x[max_c E(y_c | x)] − max_c E[y_c],
//
// what a decision maker would gain on average by learning x (and nothing
// else) before choosing, and its standard error. x[i] is the input's draw in
// trial i, shared by every choice; values[c][i] is the output of trial i
// under choice c (see the package doc). 0 ≤ EVPPI ≤ EVPI in truth; the
// estimate can fall below 0 by sampling error and is not clamped (clamping
// would bias it).
//
// # Estimator
//
// E(y_c | x) is regressed nonparametrically by binning: the complete trials
// are split into opts.Bins bins at quantiles of x (estimated from a strided
// subsample of 64 trials per bin; ties in x stay in one bin, so a discrete
// input gets one bin per value), and into two contiguous halves. For trial i
// in bin b and half h, the choice ĉ is the one with the highest mean over
// the trials of bin b in the other half, and c* the one with the highest
// mean over the whole other half (cross-fitting, as in [EVPI]; ties go to
// the lowest index; a bin empty in the other half falls back to c*). The
// estimate is the mean over the complete trials of
//
//	g_i = y_{ĉ, i} − y_{c*, i},
//
// and the standard error is sd(g)/√n.
//
// Choosing on the other half is the bias correction: the plug-in estimator,
// the mean over bins of the maximum of the bin means, is biased upward by
// the expected maximum of the bin-mean noise — about φ(0)·σ·√(2·Bins/n) for
// two tied choices of residual standard deviation σ, 0.032 at n = 1e5,
// 316 bins, σ = 1, ten standard errors — whereas E[y_{ĉ, i}] is the true
// mean of a choice made without trial i, never above the best. What is left
// is biased downward, toward 0: the regret of wrong choices in bins where
// the choices' conditional means differ by about the noise of a bin mean
// over half the bin's trials (about f·σ²·Bins/n per crossing of the
// conditional means, f the density of x there: 0.0025 at n = 1e5,
// 316 bins, σ = 1, f = φ(0), under one standard error), plus the
// discretisation loss in bins that straddle a crossing (about
// slope/(8·f·Bins²)). The standard error treats the choices as fixed; when
// x is worth little and choices tie it understates the spread over seeds
// by about 10–20 % (measured: 0.82 of the spread over 40 seeds for an
// independent x, 0.90–0.94 for an informative one).
//
// # Reliability
//
// The estimate is unreliable (biased toward 0) when bins hold few trials
// relative to the noise: the regret is about f·σ²/(trials per bin). For
// y = a + b against 0 and x = a (truth φ(0) = 0.399, σ = 1) at n = 2000,
// where one estimate has a standard error of 0.021, the bias measured over
// 40 seeds is +0.001 ± 0.003 at 100 trials per bin, −0.014 at 20 and
// −0.126 at 4; for an independent x it stays within ±0.005 (the choice is
// then random but worth the same). Keep 100 or more trials per bin when the
// input explains little of the output; DefaultBins leaves 10 trials per
// bin at n = 100 (too few: report such estimates as rough), 227 at 1e4 and
// 5000 at 1e6. The estimate captures only what x tells about the output
// through its own marginal effect (as any regression on x alone does).
//
// EVPPI costs four passes over the values and three over x, O(n·C) (a
// value's bin is found through a grid, in O(1) for inputs whose density
// does not vary by orders of magnitude, O(log Bins) at worst), plus a sort
// of 64·Bins values; it allocates n int32 bin indices, 2·Bins·C sums, a
// grid of 4·Bins int32 and the subsample.
func EVPPI(x []float64, values [][]float64, opts EVPPIOptions) (value, stderr float64, err error) {
	if x == nil {
		x = []float64{} // a nil x would mean "no input" to checkValues
	}
	n, used, err := checkValues(values, x, 2)
	if err != nil {
		return 0, 0, err
	}
	if err := opts.Validate(used); err != nil {
		return 0, 0, err
	}
	if len(values) == 1 {
		return 0, 0, nil
	}
	B := opts.Bins
	if B == 0 {
		B = DefaultBins(used)
	}
	C := len(values)
	edges := binEdges(x, values, n, used, B)
	nb := 2 * (len(edges) + 1) // (bin, half) cells
	bins := make([]int32, n)
	count := make([]int, nb)
	cellSum := make([]float64, nb*C)
	sum := make([]float64, 2*C)
	assignBins(bins, x, edges)
	k := 0
	for i := 0; i < n; i++ {
		if used < n && skip(values, x, i) {
			continue
		}
		b := int(bins[i])
		h := half(k, used)
		cell := 2*b + h
		count[cell]++
		cs, s := cellSum[cell*C:(cell+1)*C], sum[h*C:(h+1)*C]
		for c, v := range values {
			cs[c] += v[i]
			s[c] += v[i]
		}
		k++
	}
	// best[h] is the choice for half h on average, chosen[2b+h] the one for
	// bin b of half h, both taken from the other half.
	best := [2]int{argmax(sum[C:]), argmax(sum[:C])}
	chosen := make([]int, nb)
	for cell := range chosen {
		other := cell ^ 1
		if count[other] == 0 {
			chosen[cell] = best[cell&1]
		} else {
			chosen[cell] = argmax(cellSum[other*C : (other+1)*C])
		}
	}
	var skipped func(int) bool
	if used < n {
		skipped = func(i int) bool { return skip(values, x, i) }
	}
	term := func(i, k int) float64 {
		h := half(k, used)
		return values[chosen[2*int(bins[i])+h]][i] - values[best[h]][i]
	}
	value, stderr = meanSE(n, used, skipped, term)
	return value, stderr, nil
}

// binEdges returns the strictly increasing inner edges (at most B−1) of B
// bins of roughly equal counts of the complete trials' x, estimated from a
// strided subsample of about subsamplePerBin·B of them.
func binEdges(x []float64, values [][]float64, n, used, B int) []float64 {
	if B <= 1 {
		return nil
	}
	stride := max(1, used/(subsamplePerBin*B))
	sub := make([]float64, 0, used/stride+1)
	k := 0
	for i := 0; i < n; i++ {
		if used < n && skip(values, x, i) {
			continue
		}
		if k%stride == 0 {
			sub = append(sub, x[i])
		}
		k++
	}
	slices.Sort(sub)
	edges := make([]float64, 0, B-1)
	for j := 1; j < B; j++ {
		e := sub[j*len(sub)/B]
		if len(edges) == 0 || e > edges[len(edges)-1] {
			edges = append(edges, e)
		}
	}
	return edges
}

// assignBins sets bins[i] to the bin of x[i] (see searchEdges), for every i.
//
// A binary search over the edges is a chain of dependent loads, about
// 30 ns per value over 200 edges, half of EVPPI's time at 1e6 trials; a
// uniform grid of 4 cells per edge over [first edge, last edge] points each
// value at most a few edges before its own, which a short scan finds. The
// scan is bounded: after 8 steps (edges crowded into one cell, as in the far
// tail of a heavy-tailed input) it falls back to the binary search, so the
// answer is always exactly searchEdges's.
func assignBins(bins []int32, x, edges []float64) {
	x = x[:len(bins)]
	if len(edges) < 2 {
		for i, v := range x {
			bins[i] = int32(searchEdges(edges, v))
		}
		return
	}
	e0, last := edges[0], edges[len(edges)-1]
	cells := 4 * len(edges)
	scale := float64(cells) / (last - e0)
	// first[g] is the bin of the left end of cell g.
	first := make([]int32, cells)
	for g := range first {
		first[g] = int32(searchEdges(edges, e0+float64(g)/scale))
	}
	for i, v := range x {
		bins[i] = int32(gridBin(edges, first, e0, last, scale, v))
	}
}

// gridBin returns searchEdges(edges, v), starting from the grid cell of v.
func gridBin(edges []float64, first []int32, e0, last, scale, v float64) int {
	if !(v > e0) { // v ≤ the first edge, or NaN
		return 0
	}
	if v > last {
		return len(edges)
	}
	g := min(int((v-e0)*scale), len(first)-1)
	b := int(first[g])
	for b > 0 && edges[b-1] >= v { // rounding put v left of its cell
		b--
	}
	for steps := 0; b < len(edges) && edges[b] < v; steps++ {
		if steps == 8 {
			return searchEdges(edges, v)
		}
		b++
	}
	return b
}

// searchEdges returns the bin of v: the number of edges strictly below v, so
// that a value equal to an edge falls in the bin below it. It is a
// branch-free binary search (the comparison compiles to a conditional move),
// O(log len(edges)): input values arrive in random order, so the branches
// of the textbook search would be mispredicted half the time.
func searchEdges(edges []float64, v float64) int {
	if len(edges) == 0 {
		return 0
	}
	base, n := 0, len(edges)
	for n > 1 {
		h := n / 2
		if edges[base+h] < v {
			base += h
		}
		n -= h
	}
	if edges[base] < v {
		base++
	}
	return base
}
