package distributions

import (
	"math"

	"gonum.org/v1/gonum/mathext"
)

// Inverter maps uniforms or standard normal scores to values of a
// distribution by a precomputed, verified approximation of its inverse CDF:
// what Latin hypercube sampling (a stratified uniform) and a Gaussian
// copula (a normal score z, mapped through Quantile(Φ(z))) need per draw.
// Built once per run; safe for concurrent use; allocation free.
//
// How: for the types whose Quantile is iterative (PERT, Beta, Gamma, and
// Truncated, Mixture and any other Dist through its Quantile), NewInverter
// tabulates x(z) = Quantile(Φ(z)) for z in [−8.5, 8.5] as degree-8
// polynomials on cells of width 0.5 in z, interpolated at Chebyshev nodes
// and evaluated by Horner's rule. In z the inverse is smooth even where it
// is singular in u. A piece tabulates x itself where that meets the bound,
// else log(x − Min) or log(Max − x) toward a finite end of its half (and
// log(x − Min) toward an infinite upper end), so that values near an end
// keep their relative accuracy.
// Each piece is verified at 16 points against the exact quantile (and for
// monotonicity) to 1e-10 relative, a tenth of the promised bound; a piece
// that fails is split in two, down to width 1/32, and where even that fails
// (a jump of a mixture with gaps, an atom) the piece falls back to the
// exact quantile. The upper halves of PERT, Beta and Gamma are computed
// from the complementary functions (gonum mathext InvRegIncBeta and
// GammaIncRegCompInv at Φ(−z)), so FromNormal stays accurate where Φ(z)
// rounds to 1 (z up to 8.5); for other types the table's upper tail is as
// accurate as d.Quantile(Φ(z)) itself.
//
// Newton or Halley steps on the CDF, the usual refinement, are not used:
// an incomplete beta or gamma evaluation alone costs 100–300 ns, beyond the
// budget; verified subdivision reaches the bound without them.
//
// Normal, LogNormal and Interval90 map z in closed form (μ + σz, e^(μ+σz));
// Uniform, Triangular, Constant, Bernoulli, Discrete and Empirical use
// their own O(1) or O(log n) Quantile (on a prepared copy for Discrete and
// Empirical literals), at Φ(z) for FromNormal.
//
// Accuracy: for u in (0, 1), |Quantile(u) − d.Quantile(u)| ≤
// 1e-9·max(|x|, s), x = d.Quantile(u), where s = 0 unless the support
// contains both signs, in which case s is 1e-4 times the distance between
// the 1 % and 99 % quantiles (relative accuracy is meaningless where x
// crosses 0). FromNormal(z) is within the same bound of the quantile at
// Φ(z), computed without rounding Φ(z) for PERT, Beta and Gamma.
// Both are non-decreasing to within that bound (exactly so across pieces,
// which are clamped to the exact values at their ends).
//
// Cost, measured by BenchmarkInverter in one run on a loaded 2-core VM
// (where Normal's FromNormal took 7.5 ns and d.Quantile(Φ(z)) 113 ns):
//
//	                          FromNormal  Quantile  d.Quantile(Φ(z))  NewInverter
//	PERT(115, 125, 135)            27 ns    102 ns       2 000 ns        6 ms
//	Beta(2, 5)                     28 ns     80 ns       2 200 ns        4 ms
//	Gamma(2, 0.5)                  30 ns     53 ns       1 900 ns        3 ms
//	Truncated(normal, 0, 1)        28 ns     56 ns         250 ns        2 ms
//	Truncated(gamma, 1, +Inf)      19 ns     44 ns       3 400 ns       13 ms
//	Mixture(pert, CI90)            23 ns     60 ns      31 000 ns      120 ms
//	Mixture(normal, uniform)      130 ns    260 ns       9 800 ns       41 ms
//	CI90(115, 135)                 15 ns     72 ns         180 ns        0
//
// Quantile adds Φ⁻¹(u) (gonum mathext.NormalQuantile) to FromNormal. A
// mixture whose quantile has kinks (where a component's density starts or
// stops) pays d.Quantile on the pieces around each kink (about 1 % of the
// draws for the normal–uniform mixture above). NewInverter evaluates d's
// quantile about 900 times, more where pieces split (at most about 4 000
// before splitting stops): its cost is that many d.Quantile calls; O(n log
// n) for Discrete and Empirical literals. The tables take about 3 KB.
type Inverter struct {
	d     Dist
	kind  invKind
	mu    float64 // invNormal, invLogNormal
	sigma float64
	// invTable:
	low, high invHalf   // the transform of the halves z < 0 and z ≥ 0
	cells     []invCell // invCells of them
	pieces    []invPiece
	src       func(z float64) (x, gap float64)
	floor     float64 // s of the accuracy bound
	evals     int     // quantile evaluations of the build
}

type invKind uint8

const (
	invExact     invKind = iota // d.Quantile(u), d.Quantile(Φ(z))
	invNormal                   // μ + σ·Φ⁻¹(u), μ + σz
	invLogNormal                // exp of the above
	invTable
)

const (
	invZMax     = 8.5 // the table covers z in [−invZMax, invZMax)
	invCells    = 34  // cells of width 1/invCellsPerZ
	invPerZ     = 2   // cells per unit of z
	invDeg      = 8   // polynomial degree of a piece
	invMaxDepth = 4   // a cell splits into at most 2^invMaxDepth pieces
	invChecks   = 16  // verification points per piece
	invRelTol   = 1e-9
	invBuildTol = 1e-10 // verified at build time: a tenth of invRelTol
	invBudget   = 4000  // quantile evaluations after which no piece splits
)

// invHalf is the transform toward an end of the support of the half
// z < 0 or z ≥ 0: a logarithmic piece tabulates y = log(gap), gap =
// s·(x − c), and maps back x = c + s·e^y. log is false when the half has
// no finite end to measure from (then every piece tabulates x).
type invHalf struct {
	c, s float64
	log  bool
}

// invCell locates a cell's pieces: 2^depth of them from off.
type invCell struct {
	off   int32
	depth uint8
}

// invPiece is the polynomial Σ c[k]·t^k in t ∈ [−1, 1] over one piece, of
// x or (log) of the gap transformed back by its half, clamped to the exact
// values lo and hi at its ends.
type invPiece struct {
	c      [invDeg + 1]float64
	lo, hi float64
	log    bool // the polynomial is of log(gap), else of x
	exact  bool
}

// NewInverter returns the Inverter of d. It never fails: for an invalid d
// every method returns NaN (as d's do), and where the accuracy bound
// cannot be met it uses d.Quantile. See Inverter for the cost.
func NewInverter(d Dist) *Inverter {
	v := &Inverter{d: d}
	if d == nil {
		v.d = Constant{nan} // every method NaN
		return v
	}
	if d.Validate() != nil {
		return v
	}
	if c, ok := d.(Interval90); ok {
		d = c.Dist()
	}
	switch t := d.(type) {
	case Normal:
		v.kind, v.mu, v.sigma = invNormal, t.Mu, t.Sigma
		return v
	case LogNormal:
		v.kind, v.mu, v.sigma = invLogNormal, t.Mu, t.Sigma
		return v
	case Uniform, Triangular, Constant, Bernoulli:
		return v
	case Discrete:
		if !t.prepared() {
			v.d, _ = NewDiscrete(t.Values, t.Weights)
		}
		return v
	case Empirical:
		if !t.prepared() {
			v.d, _ = NewEmpirical(t.Data)
		}
		return v
	case Beta:
		v.src = betaSource(t.Alpha, t.Beta, 0, 1)
		v.low = invHalf{c: 0, s: 1, log: true}
		v.high = invHalf{c: 1, s: -1, log: true}
	case PERT:
		a, b := t.shapes()
		v.src = betaSource(a, b, t.Min, t.Max)
		v.low = invHalf{c: t.Min, s: 1, log: true}
		v.high = invHalf{c: t.Max, s: -1, log: true}
	case Gamma:
		k, rate := t.Shape, t.Rate
		v.src = func(z float64) (x, gap float64) {
			if z < 0 {
				x = gammaQuantile(k, stdNormCDF(z)) / rate
			} else {
				x = mathext.GammaIncRegCompInv(k, stdNormCDF(-z)) / rate
			}
			return x, x
		}
		v.low = invHalf{c: 0, s: 1, log: true}
		v.high = v.low
	default:
		lo, hi := d.Quantile(0), d.Quantile(1)
		if isFinite(lo) {
			v.low = invHalf{c: lo, s: 1, log: true}
		}
		switch {
		case isFinite(hi):
			v.high = invHalf{c: hi, s: -1, log: true}
		case isFinite(lo):
			v.high = v.low
		}
		v.src = func(z float64) (x, gap float64) {
			x = d.Quantile(stdNormCDF(z))
			h := v.low
			if z >= 0 {
				h = v.high
			}
			return x, h.s * (x - h.c)
		}
	}
	v.build()
	return v
}

// betaSource returns the quantile source of min + (max−min)·B for B ~
// Beta(a, b): the gap to min below z = 0 and to max above, each from the
// inverse incomplete beta function of its own tail.
func betaSource(a, b, min, max float64) func(z float64) (x, gap float64) {
	w := max - min
	return func(z float64) (x, gap float64) {
		if z < 0 {
			gap = w * invIncBeta(a, b, stdNormCDF(z))
			return math.Min(max, min+gap), gap
		}
		gap = w * invIncBeta(b, a, stdNormCDF(-z))
		return math.Max(min, max-gap), gap
	}
}

// stdNormCDF is Φ(z), computed as gonum's distuv.UnitNormal.CDF.
func stdNormCDF(z float64) float64 { return 0.5 * math.Erfc(-z/math.Sqrt2) }

// build tabulates v.src and sets kind to invTable, or leaves it invExact
// when no piece passes verification.
func (v *Inverter) build() {
	xlo, _ := v.src(-2.3263478740408408) // Φ⁻¹(0.01)
	xhi, _ := v.src(2.3263478740408408)
	if v.d.Quantile(0) < 0 && v.d.Quantile(1) > 0 {
		v.floor = 1e-4 * (xhi - xlo)
	}
	v.cells = make([]invCell, invCells)
	approx := false
	for c := range v.cells {
		a := -invZMax + float64(c)/invPerZ
		half := v.low
		if a >= 0 {
			half = v.high
		}
		var ps []invPiece
		depth := 0
		for ; ; depth++ {
			ps = ps[:0]
			failed, finite := 0, true
			n := 1 << depth
			w := 1.0 / invPerZ / float64(n)
			for i := 0; i < n; i++ {
				p, good, fin := v.fit(half, a+float64(i)*w, a+float64(i+1)*w)
				ps = append(ps, p)
				if !good {
					failed++
				}
				finite = finite && fin
			}
			// Split again only to isolate a local feature (a kink, a jump):
			// not when every piece fails (noise in the quantile itself),
			// nor past the depth or the evaluation budget.
			if failed == 0 || !finite || depth == invMaxDepth || v.evals > invBudget ||
				(depth >= 2 && failed == n) {
				break
			}
		}
		for i := range ps {
			approx = approx || !ps[i].exact
		}
		v.cells[c] = invCell{off: int32(len(v.pieces)), depth: uint8(depth)}
		v.pieces = append(v.pieces, ps...)
	}
	if approx {
		v.kind = invTable
	} else {
		v.cells, v.pieces = nil, nil
	}
}

// fit interpolates the piece [a, b] of z and verifies it, first with x
// itself tabulated (no exponential to evaluate), then, if that fails and
// the half has one, with the logarithmic transform. It reports whether the
// piece passed and whether its values were finite (when not, splitting
// cannot help). A piece that fails is marked exact.
func (v *Inverter) fit(h invHalf, a, b float64) (p invPiece, ok, finite bool) {
	const n = invDeg + 1
	var xs, gaps [n]float64
	var want [invChecks]float64
	mid, rad := (a+b)/2, (b-a)/2
	v.evals += n + 2 + invChecks
	p.exact = true
	for j := range xs {
		xs[j], gaps[j] = v.src(mid + rad*math.Cos(math.Pi*(float64(j)+0.5)/n))
		if !isFinite(xs[j]) {
			return p, false, false
		}
	}
	p.lo, _ = v.src(a)
	p.hi, _ = v.src(b)
	if !(p.lo <= p.hi) || !isFinite(p.lo) || !isFinite(p.hi) {
		return p, false, false
	}
	for i := range want {
		want[i], _ = v.src(mid + rad*invCheckT(i))
	}
	for _, useLog := range []bool{false, true} {
		if useLog && !h.log {
			break
		}
		var ys [n]float64
		for j := range ys {
			ys[j] = xs[j]
			if useLog {
				ys[j] = math.Log(gaps[j])
			}
			if !isFinite(ys[j]) {
				return p, false, false
			}
		}
		p.c = chebToMonomial(chebCoeffs(ys))
		p.log = useLog
		if v.verify(&p, h, &want) {
			p.exact = false
			return p, true, true
		}
	}
	return p, false, true
}

// invCheckT is the i-th verification point of a piece, in t.
func invCheckT(i int) float64 { return -1 + 2*(float64(i)+0.5)/invChecks }

// verify checks p against the exact values want at the verification
// points and at its ends (where a jump would hide), and for monotonicity.
func (v *Inverter) verify(p *invPiece, h invHalf, want *[invChecks]float64) bool {
	good := func(got, want float64) bool {
		return math.Abs(got-want) <= invBuildTol*math.Max(math.Abs(want), v.floor)
	}
	prev := p.eval(h, -1)
	if !good(prev, p.lo) {
		return false
	}
	for i, w := range want {
		got := p.eval(h, invCheckT(i))
		if !good(got, w) || got < prev {
			return false
		}
		prev = got
	}
	last := p.eval(h, 1)
	return good(last, p.hi) && last >= prev
}

// eval returns the piece's x at t ∈ [−1, 1], clamped to [lo, hi].
func (p *invPiece) eval(h invHalf, t float64) float64 {
	c := &p.c
	y := c[8]
	y = y*t + c[7]
	y = y*t + c[6]
	y = y*t + c[5]
	y = y*t + c[4]
	y = y*t + c[3]
	y = y*t + c[2]
	y = y*t + c[1]
	y = y*t + c[0]
	x := y
	if p.log {
		x = h.c + h.s*math.Exp(y)
	}
	if x < p.lo {
		return p.lo
	}
	if x > p.hi {
		return p.hi
	}
	return x
}

// chebCoeffs returns the coefficients a_k of the Chebyshev interpolant
// Σ a_k T_k(t) through ys at the Chebyshev nodes cos(π(j+½)/n).
func chebCoeffs(ys [invDeg + 1]float64) (a [invDeg + 1]float64) {
	const n = invDeg + 1
	for k := range a {
		var s float64
		for j, y := range ys {
			s += y * math.Cos(math.Pi*float64(k)*(float64(j)+0.5)/n)
		}
		a[k] = 2 * s / n
	}
	a[0] /= 2
	return a
}

// chebToMonomial converts Σ a_k T_k(t) to Σ c_k t^k (T_{k+1} = 2t·T_k −
// T_{k−1}); for degree 8 the coefficients grow by at most 128, so the
// conversion loses about 7 bits, well within the verified bound.
func chebToMonomial(a [invDeg + 1]float64) (c [invDeg + 1]float64) {
	var tPrev, tCur [invDeg + 1]float64 // T_{k−1}, T_k as monomial coefficients
	tPrev[0] = 1
	tCur[1] = 1
	for i := range c {
		c[i] += a[0] * tPrev[i]
		c[i] += a[1] * tCur[i]
	}
	for k := 2; k <= invDeg; k++ {
		var next [invDeg + 1]float64
		for i := 0; i < invDeg; i++ {
			next[i+1] += 2 * tCur[i]
		}
		for i := range next {
			next[i] -= tPrev[i]
		}
		for i := range c {
			c[i] += a[k] * next[i]
		}
		tPrev, tCur = tCur, next
	}
	return c
}

// piece returns the piece of z, its t and the transform of its half, or
// nil outside the table.
func (v *Inverter) piece(z float64) (*invPiece, float64, invHalf) {
	f := (z + invZMax) * invPerZ
	if !(f >= 0 && f < invCells) {
		return nil, 0, invHalf{}
	}
	ci := int(f)
	h := v.low
	if ci >= invCells/2 {
		h = v.high
	}
	cell := v.cells[ci]
	n := 1 << cell.depth
	s := (f - float64(ci)) * float64(n)
	sub := int(s)
	if sub >= n {
		sub = n - 1
	}
	return &v.pieces[int(cell.off)+sub], 2*(s-float64(sub)) - 1, h
}

// Quantile returns d.Quantile(u) within the bound stated on Inverter, for u
// in [0, 1]; NaN otherwise (and for an invalid d). No allocation.
func (v *Inverter) Quantile(u float64) float64 {
	switch v.kind {
	case invTable:
		if u > 0 && u < 1 {
			if p, t, h := v.piece(mathext.NormalQuantile(u)); p != nil && !p.exact {
				return p.eval(h, t)
			}
		}
	}
	return v.d.Quantile(u)
}

// FromNormal returns the quantile at Φ(z) within the bound stated on
// Inverter: d.Quantile(Φ(z)), computed without rounding Φ(z) near 1 where
// the type allows (PERT, Beta, Gamma, Normal, LogNormal, Interval90). NaN
// for a NaN z or an invalid d. No allocation.
func (v *Inverter) FromNormal(z float64) float64 {
	switch v.kind {
	case invNormal:
		return v.mu + v.sigma*z
	case invLogNormal:
		return math.Exp(v.mu + v.sigma*z)
	case invTable:
		if p, t, h := v.piece(z); p != nil && !p.exact {
			return p.eval(h, t)
		}
		if z-z == 0 { // finite z outside the table or on an exact piece
			x, _ := v.src(z)
			return x
		}
	}
	return v.d.Quantile(stdNormCDF(z))
}

// Normal reports whether v maps in closed form through a normal score
// (d is a valid Normal, LogNormal or Interval90) and returns the
// parameters: then Quantile(u) is μ + σ·Φ⁻¹(u), or its exponential when
// isLog, with Φ⁻¹ gonum's mathext.NormalQuantile, bit for bit, and
// FromNormal(z) is μ + σz or its exponential. A caller mapping many
// uniforms can so skip the per-value interface call and checks of
// d.Quantile. ok is false for every other distribution.
func (v *Inverter) Normal() (mu, sigma float64, isLog, ok bool) {
	switch v.kind {
	case invNormal:
		return v.mu, v.sigma, false, true
	case invLogNormal:
		return v.mu, v.sigma, true, true
	}
	return 0, 0, false, false
}

// Exact reports whether v uses no approximation at all: every value comes
// from d.Quantile or a closed form (Normal, LogNormal, Interval90,
// Uniform, Triangular, Constant, Bernoulli, Discrete, Empirical, an
// invalid d), or no piece of the table passed its verification.
func (v *Inverter) Exact() bool { return v.kind != invTable }
