// Package sketch is a streaming quantile sketch: a mergeable log-linear
// histogram of float64 values with a guaranteed relative accuracy, integer
// counts (so merges are exact and independent of order) and bounded memory.
//
// # Buckets
//
// A finite value v ≠ 0 falls into the bucket given by the IEEE 754 exponent
// of |v| and the top MantissaBits bits of its significand: the bucket index
// is the bit pattern of |v| shifted right by 52 − MantissaBits. This is
// HdrHistogram's log-linear layout, and DDSketch's "fast mapping" with no
// math.Log: Add costs a shift, a compare and an increment. Each binade
// [2^e, 2^(e+1)) holds 2^MantissaBits = 512 buckets; bucket k of a binade is
// [a, a·(1+δ)) with δ = 1/(512+k). A bucket is represented by the value
// r = a·2(1+δ)/(2+δ), which is within δ/(2+δ) = 1/(1025+2k) of every value of
// the bucket, relative to that value; hence RelativeAccuracy = 1/1025 ≈
// 9.756e-4, which meets the 1e-3 of forecast.SketchAccuracy.
//
// Negative values have their own buckets (by |v|), and zeros a count of
// their own. Values of magnitude below 2^-1022 ≈ 2.2e-308 (the subnormals,
// whose significand has no leading one to bucket by) are counted as zeros:
// their estimate is 0, an absolute error below 2.3e-308.
//
// # Memory
//
// Each sign's counts live in a dense array that grows lazily over the range
// of bucket indices actually seen, so values within a factor of 2^w of each
// other need about 512·w counts. The span of one sign's array is capped at
// MaxBinades binades (MaxBuckets buckets, a dynamic range of 2^64 ≈ 1.8e19):
// when the values of one sign span more, the smallest magnitudes are
// collapsed into the lowest bucket kept, H − MaxBuckets + 1 where H is the
// bucket of the largest magnitude (DDSketch's "collapsing lowest" store).
// Their quantiles then lose relative accuracy, but their absolute error stays
// below 2^-63 times the largest magnitude of that sign. The bucket kept
// depends only on H, so merges stay exact and order independent. A Sketch
// holds at most MaxBytes bytes of counts (two arrays of MaxBuckets counts
// plus a sixteenth of slack), whatever it is fed.
//
// # Exactness
//
// Counts are integers; Min and Max are exact. Merging sketches, in any order
// and grouping, gives the same state as adding every value to one sketch, and
// MarshalBinary encodes that state canonically: equal sketches encode to
// equal bytes.
package sketch

import (
	"cmp"
	"iter"
	"math"
	"slices"
)

const (
	// MantissaBits is the number of significand bits that index a bucket
	// within a binade.
	MantissaBits = 9

	// RelativeAccuracy bounds the relative error of a value estimated from
	// its bucket: |estimate − v| ≤ RelativeAccuracy·|v| (plus one rounding,
	// 2^-53 relative), for |v| ≥ 2^-1022 and not collapsed (see the package
	// doc).
	RelativeAccuracy = 1.0 / (2<<MantissaBits + 1)

	// MaxBinades caps the span of one sign's buckets, in binades.
	MaxBinades = 64

	// MaxBuckets is the most buckets one sign keeps: MaxBinades·512.
	MaxBuckets = MaxBinades << MantissaBits

	// slack is the extra room of a collapsed store, so that a growing
	// maximum shifts the array only every slack buckets.
	slack = MaxBuckets / 16

	// MaxBytes bounds the bytes of counts a Sketch holds: 2 signs ×
	// (MaxBuckets + MaxBuckets/16) counts × 8 bytes = 557,056 bytes.
	MaxBytes = 2 * (MaxBuckets + slack) * 8

	shift = 52 - MantissaBits
	// minIndex is the bucket index of 2^-1022, the smallest normal value;
	// maxIndex that of math.MaxFloat64.
	minIndex = 1 << MantissaBits
	maxIndex = 2047<<MantissaBits - 1
)

// Sketch is a streaming quantile sketch of float64 values (see the package
// doc). The zero value is an empty sketch ready to use; New returns one too.
// A Sketch is not safe for concurrent use: give each goroutine its own and
// Merge them.
type Sketch struct {
	st       [2]store // [0]: positive values, [1]: negative values, by |v|
	zero     uint64   // values of magnitude below 2^-1022, zeros included
	n        uint64   // finite values added
	invalid  uint64   // NaN and ±Inf values refused
	min, max float64  // valid when n > 0
}

// New returns an empty sketch.
func New() *Sketch { return &Sketch{min: math.Inf(1), max: math.Inf(-1)} }

// Add adds v to the sketch. NaN and ±Inf are refused: they are counted by
// Invalid and change nothing else. Cost: about 2–3 ns, a seventh of
// DDSketch's Add (BenchmarkAdd); it allocates only when v falls outside the
// buckets its sign has seen so far (a geometric growth, at most MaxBytes in
// all).
func (s *Sketch) Add(v float64) {
	b := math.Float64bits(v)
	idx := int(b << 1 >> (shift + 1)) // |v|'s bucket index
	st := &s.st[b>>63]
	c := st.c
	if j := uint(idx - st.off); j < uint(len(c)) {
		c[j]++
		s.n++
		if v < s.min {
			s.min = v
		}
		if v > s.max {
			s.max = v
		}
		return
	}
	s.addSlow(v, idx, st)
}

// AddBlock adds every value of vs, as Add does, with the count and the
// extremes kept in registers: the way to feed a column of values. Cost:
// under 2 ns a value.
func (s *Sketch) AddBlock(vs []float64) {
	n, lo, hi := s.n, s.min, s.max
	// Indexed by the sign bit, as Add does, not chosen by a branch: with
	// values of both signs (a profit or loss) the branch mispredicts half
	// the time and doubles the cost.
	cs := [2][]uint64{s.st[0].c, s.st[1].c}
	offs := [2]int{s.st[0].off, s.st[1].off}
	for _, v := range vs {
		b := math.Float64bits(v)
		idx := int(b << 1 >> (shift + 1))
		c := cs[b>>63]
		if j := uint(idx - offs[b>>63]); j < uint(len(c)) {
			c[j]++
			n++
			if v < lo {
				lo = v
			}
			if v > hi {
				hi = v
			}
			continue
		}
		// The slow path may move the arrays: store the state, add, reload.
		s.n, s.min, s.max = n, lo, hi
		s.addSlow(v, idx, &s.st[b>>63])
		n, lo, hi = s.n, s.min, s.max
		cs = [2][]uint64{s.st[0].c, s.st[1].c}
		offs = [2]int{s.st[0].off, s.st[1].off}
	}
	s.n, s.min, s.max = n, lo, hi
}

// addSlow handles what Add's fast path does not: zeros and subnormals, NaN
// and ±Inf, a bucket outside its sign's array, the first value.
func (s *Sketch) addSlow(v float64, idx int, st *store) {
	switch {
	case idx > maxIndex:
		s.invalid++
		return
	case idx < minIndex:
		s.zero++
		v += 0 // −0 → +0: Min and Max must not depend on the order of ±0
	default:
		st.add(idx, 1)
	}
	if s.n == 0 {
		s.min, s.max = v, v
	}
	s.n++
	s.min = min(s.min, v)
	s.max = max(s.max, v)
}

// Merge adds every value of o to s (o is unchanged). The result is the
// sketch of the union of the values, bit for bit whatever the order or
// grouping of merges. Cost: O(buckets of o), plus a growth of s's arrays
// where o's values fall outside them.
func (s *Sketch) Merge(o *Sketch) {
	s.invalid += o.invalid
	if o.n == 0 {
		return
	}
	for k := range s.st {
		s.st[k].merge(&o.st[k])
	}
	s.zero += o.zero
	if s.n == 0 {
		s.min, s.max = o.min, o.max
	}
	s.n += o.n
	s.min = min(s.min, o.min)
	s.max = max(s.max, o.max)
}

// Reset empties the sketch, keeping its arrays for reuse.
func (s *Sketch) Reset() {
	for k := range s.st {
		s.st[k].reset()
	}
	s.zero, s.n, s.invalid = 0, 0, 0
	s.min, s.max = math.Inf(1), math.Inf(-1)
}

// Count returns the number of finite values added.
func (s *Sketch) Count() uint64 { return s.n }

// Invalid returns the number of NaN and ±Inf values refused by Add.
func (s *Sketch) Invalid() uint64 { return s.invalid }

// Min returns the smallest value added, exactly (+0 for a zero of either
// sign); NaN when the sketch is empty.
func (s *Sketch) Min() float64 {
	if s.n == 0 {
		return math.NaN()
	}
	return s.min
}

// Max returns the largest value added, exactly; NaN when the sketch is
// empty.
func (s *Sketch) Max() float64 {
	if s.n == 0 {
		return math.NaN()
	}
	return s.max
}

// ValueAtRank returns an estimate of the order statistic of 0-based rank r
// (the (r+1)-th smallest value): the exact Min for r = 0, the exact Max for
// r = Count()−1, else the representative of the bucket holding rank r,
// clamped to [Min, Max], within RelativeAccuracy of the true order statistic
// (see the package doc for zeros and collapsed buckets). NaN when r ≥
// Count(). Cost: O(buckets) — a walk of at most 2·MaxBuckets counts.
func (s *Sketch) ValueAtRank(r uint64) float64 {
	switch {
	case r >= s.n:
		return math.NaN()
	case r == 0:
		return s.min
	case r == s.n-1:
		return s.max
	}
	cum := uint64(0)
	for v, c := range s.Buckets() {
		cum += c
		if cum > r {
			return v
		}
	}
	return s.max // cannot happen: the counts sum to n
}

// ValuesAtRanks sets out[i] to ValueAtRank(ranks[i]) for every i, with one
// walk of the buckets whatever len(ranks) is: the way to read several
// percentiles. It panics if len(out) < len(ranks). Cost: O(buckets +
// len(ranks)·log len(ranks)); it allocates the sorted order of ranks.
func (s *Sketch) ValuesAtRanks(out []float64, ranks []uint64) {
	_ = out[:len(ranks)]
	order := make([]int, 0, len(ranks))
	for i, r := range ranks {
		switch {
		case r >= s.n:
			out[i] = math.NaN()
		case r == 0:
			out[i] = s.min
		case r == s.n-1:
			out[i] = s.max
		default:
			order = append(order, i)
		}
	}
	slices.SortFunc(order, func(a, b int) int { return cmp.Compare(ranks[a], ranks[b]) })
	cum := uint64(0)
	for v, c := range s.Buckets() {
		cum += c
		for len(order) > 0 && ranks[order[0]] < cum {
			out[order[0]] = v
			order = order[1:]
		}
		if len(order) == 0 {
			return
		}
	}
}

// Quantile returns an estimate of the q-quantile, q in [0, 1], with the
// convention of forecast's exact percentiles (Hyndman and Fan's type 7, the
// default of numpy.percentile): with h = q·(n−1), the linear interpolation
// between the order statistics of ranks ⌊h⌋ and ⌊h⌋+1, each estimated by
// ValueAtRank. When both lie on the same side of zero the result is within
// RelativeAccuracy of the exact type-7 quantile; across zero, within
// RelativeAccuracy of the larger magnitude. NaN for q outside [0, 1] or an
// empty sketch. Cost: two walks of the buckets.
func (s *Sketch) Quantile(q float64) float64 {
	if s.n == 0 || !(q >= 0 && q <= 1) {
		return math.NaN()
	}
	h := q * float64(s.n-1)
	lo := uint64(math.Floor(h))
	if lo >= s.n-1 {
		return s.max
	}
	a := s.ValueAtRank(lo)
	f := h - float64(lo)
	if f == 0 {
		return a
	}
	b := s.ValueAtRank(lo + 1)
	return a + f*(b-a)
}

// Below returns the number of values below x at bucket resolution: those in
// buckets whose representative is less than x, exactly 0 for x ≤ Min and
// Count() for x > Max. Cost: O(buckets).
func (s *Sketch) Below(x float64) uint64 {
	switch {
	case s.n == 0 || !(x > s.min): // NaN x counts nothing
		return 0
	case x > s.max:
		return s.n
	}
	c := uint64(0)
	for v, k := range s.Buckets() {
		if !(v < x) {
			break
		}
		c += k
	}
	return c
}

// Above returns the number of values above x at bucket resolution: those in
// buckets whose representative is greater than x, exactly 0 for x ≥ Max and
// Count() for x < Min. Cost: O(buckets).
func (s *Sketch) Above(x float64) uint64 {
	switch {
	case s.n == 0 || !(x < s.max):
		return 0
	case x < s.min:
		return s.n
	}
	c := uint64(0)
	for v, k := range s.Buckets() {
		if v > x {
			c += k
		}
	}
	return c
}

// Buckets yields the non-empty buckets in increasing order of value: each
// bucket's representative, clamped to [Min, Max], and its count. The counts
// sum to Count(). The zero bucket's representative is 0 (clamped).
func (s *Sketch) Buckets() iter.Seq2[float64, uint64] {
	return func(yield func(float64, uint64) bool) {
		if s.n == 0 {
			return
		}
		clamp := func(v float64) float64 { return min(max(v, s.min), s.max) }
		neg := &s.st[1]
		for j := len(neg.c) - 1; j >= 0; j-- {
			if c := neg.c[j]; c != 0 && !yield(clamp(-representative(neg.off+j)), c) {
				return
			}
		}
		if s.zero != 0 && !yield(clamp(0), s.zero) {
			return
		}
		pos := &s.st[0]
		for j, c := range pos.c {
			if c != 0 && !yield(clamp(representative(pos.off+j)), c) {
				return
			}
		}
	}
}

// lowerBound returns the smallest magnitude of bucket idx.
func lowerBound(idx int) float64 { return math.Float64frombits(uint64(idx) << shift) }

// representative returns the magnitude that stands for bucket idx: with
// a = lowerBound(idx) and δ = 1/(512+k) the bucket's relative width,
// a·2(1+δ)/(2+δ) = a·(1024+2k+2)/(1025+2k), equally far in relative terms
// from both ends of the bucket.
func representative(idx int) float64 {
	k := float64(idx & (1<<MantissaBits - 1))
	const m = 1 << MantissaBits
	return lowerBound(idx) * ((2*m + 2*k + 2) / (2*m + 2*k + 1))
}
