package forecast

import (
	"math"
	"slices"
)

// Percentiles of stored values are found by histogram (bucket) selection:
// two sequential passes over the values, which are never reordered, so a
// Metric keeps its values in trial order and needs no lock. The standard
// library and gonum have no selection routine (gonum's stat.Quantile
// sorts), hence this one. Benchmarked at 10⁷ values: about 19 ms against
// 142 ms for an in-place quickselect and 1.3 s for a full sort
// (benchmarks/README.md).

// histBuckets is the number of equal-width buckets between Min and Max: 2¹²
// counts (32 KiB) stay in L1.
const histBuckets = 1 << 12

// histSelect returns the values of the 0-based ranks ks (ascending, each in
// [0, n)) of the sorted finite values of a, where lo and hi are the
// smallest and largest finite values (a Metric knows both from its
// moments). NaN and ±Inf in a fail the range test and are skipped, so a may
// hold a metric's raw trial-ordered values. a is only read. Cost: two
// passes over a, plus a sort of the values in the buckets of the ranks.
//
// Pass 1 counts the values per bucket; the bucket of each wanted rank
// follows from the cumulative counts. Pass 2 copies the values of those
// buckets (for a smooth distribution, a few n/histBuckets each) into
// scratch, where a sort of each bucket finds the ranks. When the wanted
// buckets hold more than n/16 values (a heavy tail squeezes the bulk into a
// few buckets), it recurses on the narrower range of those buckets instead,
// so memory stays O(n/16) and the cost O(n) per level; a level narrows the
// range 4096-fold, so a few levels exhaust float64 precision, after which
// the remaining equal-bucket values are compared directly (sorted copy).
func histSelect(a []float64, lo, hi float64, ks []int) []float64 {
	out := make([]float64, len(ks))
	if len(ks) == 0 {
		return out
	}
	histSelectRange(a, lo, hi, ks, 0, out, 8)
	return out
}

// histSelectRange finds, among the values of a within [lo, hi] — of which
// there are exactly those of global ranks base … base+count−1 — the ranks ks
// (global), writing them to out.
func histSelectRange(a []float64, lo, hi float64, ks []int, base int, out []float64, depth int) {
	if !(hi > lo) { // every value in range equals lo
		for i := range ks {
			out[i] = lo
		}
		return
	}
	var counts [histBuckets]int
	scale := float64(histBuckets) / (hi - lo)
	if math.IsInf(scale, 0) || scale == 0 || depth == 0 {
		// The range is exhausted (subnormal width) or wider than float64
		// (hi − lo overflows): gather and sort.
		var s []float64
		for _, v := range a {
			if v >= lo && v <= hi {
				s = append(s, v)
			}
		}
		slices.Sort(s)
		for i, k := range ks {
			out[i] = s[k-base]
		}
		return
	}
	bucket := func(v float64) int {
		b := int((v - lo) * scale)
		if b >= histBuckets {
			b = histBuckets - 1
		}
		return b
	}
	n := 0
	for _, v := range a {
		if v >= lo && v <= hi {
			counts[bucket(v)]++
			n++
		}
	}
	// Bucket and first global rank of each wanted rank.
	type want struct{ b, first int }
	wants := make([]want, len(ks))
	cum, b := base, 0
	for i, k := range ks {
		for cum+counts[b] <= k {
			cum += counts[b]
			b++
		}
		wants[i] = want{b, cum}
	}
	// Distinct wanted buckets and their sizes.
	var seg [histBuckets]int16 // 1 + index into segs, 0 when not wanted
	type segment struct{ b, first, off, n int }
	var segs []segment
	total := 0
	for _, w := range wants {
		if seg[w.b] == 0 {
			segs = append(segs, segment{w.b, w.first, total, 0})
			seg[w.b] = int16(len(segs))
			total += counts[w.b]
		}
	}
	if total > n/16+histBuckets {
		// Too concentrated: recurse on each wanted bucket's own range.
		width := (hi - lo) / histBuckets
		for _, s := range segs {
			var idx []int
			var sub []int
			for i, w := range wants {
				if w.b == s.b {
					idx = append(idx, i)
					sub = append(sub, ks[i])
				}
			}
			blo := lo + float64(s.b)*width
			bhi := math.Min(lo+float64(s.b+1)*width, hi)
			subOut := make([]float64, len(sub))
			histSelectRangeBucket(a, lo, scale, s.b, blo, bhi, sub, s.first, subOut, depth-1)
			for j, i := range idx {
				out[i] = subOut[j]
			}
		}
		return
	}
	scratch := make([]float64, total)
	for _, v := range a {
		if v >= lo && v <= hi {
			if j := seg[bucket(v)]; j != 0 {
				s := &segs[j-1]
				scratch[s.off+s.n] = v
				s.n++
			}
		}
	}
	for _, s := range segs {
		slices.Sort(scratch[s.off : s.off+s.n])
	}
	for i, w := range wants {
		s := segs[seg[w.b]-1]
		out[i] = scratch[s.off+ks[i]-w.first]
	}
}

// histSelectRangeBucket recurses into bucket b of the parent level. The
// bucket's values are exactly those whose parent bucket index is b; since
// the bucket function is monotone, they are the values in [blo, bhi] that
// map to b, which the filter below re-checks to stay exact at the edges.
func histSelectRangeBucket(a []float64, plo, pscale float64, b int, blo, bhi float64, ks []int, base int, out []float64, depth int) {
	// Narrow [blo, bhi] to the actual min and max of the bucket's values,
	// which makes the child range exact (no value of a neighbouring bucket
	// inside it, by monotonicity).
	mn, mx := math.Inf(1), math.Inf(-1)
	for _, v := range a {
		pb := int((v - plo) * pscale)
		if pb >= histBuckets {
			pb = histBuckets - 1
		}
		if pb == b {
			mn = math.Min(mn, v)
			mx = math.Max(mx, v)
		}
	}
	histSelectRange(a, math.Max(mn, blo), math.Min(mx, bhi), ks, base, out, depth)
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
