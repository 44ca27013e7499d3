package saltelli

import (
	"fmt"
	"math"
)

// Accumulator gathers the row sums of Jansen's estimators for one model
// output and m factors. The zero value is not usable; call NewAccumulator.
//
// Values are summed relative to a shift (the first f(A) added) so that an
// output with a large mean and a small spread loses no precision; Merge
// carries the other accumulator's sums over to this one's shift.
type Accumulator struct {
	m       int
	n       int64 // base rows added
	bad     int64 // base rows with a non-finite value, left out
	shift   float64
	started bool
	// With α = f(A) − shift, β = f(B) − shift, per row:
	// P = (α+β)/2, Q = (α²+β²)/2; sums of P, Q, P², QP, Q².
	g [5]ksum
	// Per factor, with t = (f(A) − f(AB))²/2 and s = (f(B) − f(AB))²/2:
	// sums of t, t², tP, tQ, s, s², sP, sQ.
	f []ksum
}

const (
	gP = iota
	gQ
	gPP
	gQP
	gQQ
)

const (
	fT = iota
	fTT
	fTP
	fTQ
	fS
	fSS
	fSP
	fSQ
	perFactor
)

// NewAccumulator returns an empty accumulator for m ≥ 1 factors. Memory
// 16·m + 10 float64.
func NewAccumulator(m int) (*Accumulator, error) {
	if !(m >= 1) {
		return nil, fmt.Errorf("saltelli: %d factors, want ≥ 1", m)
	}
	return &Accumulator{m: m, f: make([]ksum, perFactor*m)}, nil
}

// Reset empties a for reuse (a worker's accumulator for its next block),
// without allocating.
func (a *Accumulator) Reset() {
	m, f := a.m, a.f
	clear(f)
	*a = Accumulator{m: m, f: f}
}

// Factors returns the number of factors m.
func (a *Accumulator) Factors() int { return a.m }

// N returns the number of base rows added (rows with a non-finite value are
// not counted).
func (a *Accumulator) N() int64 { return a.n }

// Add adds base row j: fA = f(A_j), fB = f(B_j) and fAB[i] = f(AB_i,j) for
// each factor i. A row with a NaN or infinite value is left out and counted;
// Indices then reports it. It panics if len(fAB) != m. Cost O(m); no
// allocation.
func (a *Accumulator) Add(fA, fB float64, fAB []float64) {
	if len(fAB) != a.m {
		panic(fmt.Sprintf("saltelli: Add with %d AB values, want %d (one per factor)", len(fAB), a.m))
	}
	ok := isFinite(fA) && isFinite(fB)
	for _, v := range fAB {
		ok = ok && isFinite(v)
	}
	if !ok {
		a.bad++
		return
	}
	if !a.started {
		a.shift, a.started = fA, true
	}
	al, be := fA-a.shift, fB-a.shift
	p, q := (al+be)/2, (al*al+be*be)/2
	a.n++
	a.g[gP].add(p)
	a.g[gQ].add(q)
	a.g[gPP].add(p * p)
	a.g[gQP].add(q * p)
	a.g[gQQ].add(q * q)
	for i, v := range fAB {
		s := a.f[i*perFactor : (i+1)*perFactor : (i+1)*perFactor]
		dt, ds := fA-v, fB-v
		t, u := dt*dt/2, ds*ds/2
		s[fT].add(t)
		s[fTT].add(t * t)
		s[fTP].add(t * p)
		s[fTQ].add(t * q)
		s[fS].add(u)
		s[fSS].add(u * u)
		s[fSP].add(u * p)
		s[fSQ].add(u * q)
	}
}

// Merge adds the rows of o to a, as if they had been added to a after its
// own. It returns an error if o has a different number of factors. With a
// fixed split into accumulators and a fixed merge order the result is
// deterministic; it equals one accumulator of all rows to rounding. Cost
// O(m).
func (a *Accumulator) Merge(o *Accumulator) error {
	if o.m != a.m {
		return fmt.Errorf("saltelli: Merge of an accumulator of %d factors into one of %d", o.m, a.m)
	}
	a.bad += o.bad
	if !o.started {
		return nil
	}
	if !a.started { // an exact copy
		a.shift, a.started, a.n, a.g = o.shift, true, o.n, o.g
		copy(a.f, o.f)
		return nil
	}
	a.n += o.n
	// o's rows relative to a.shift: α' = α + d, β' = β + d, so
	// P' = P + d and Q' = Q + 2dP + d².
	d := o.shift - a.shift
	n := float64(o.n)
	sp, sq, spp, sqp := o.g[gP].val(), o.g[gQ].val(), o.g[gPP].val(), o.g[gQP].val()
	d2 := d * d
	a.g[gP].merge(o.g[gP], n*d)
	a.g[gQ].merge(o.g[gQ], 2*d*sp+n*d2)
	a.g[gPP].merge(o.g[gPP], 2*d*sp+n*d2)
	a.g[gQP].merge(o.g[gQP], d*sq+2*d*spp+3*d2*sp+n*d2*d)
	a.g[gQQ].merge(o.g[gQQ], 4*d*sqp+2*d2*sq+4*d2*spp+4*d2*d*sp+n*d2*d2)
	for i := 0; i < a.m; i++ {
		x := a.f[i*perFactor : (i+1)*perFactor]
		y := o.f[i*perFactor : (i+1)*perFactor]
		for _, c := range [2]int{fT, fS} {
			st, stp := y[c].val(), y[c+2].val()
			x[c].merge(y[c], 0)
			x[c+1].merge(y[c+1], 0)
			x[c+2].merge(y[c+2], d*st)          // Σ t(P+d)
			x[c+3].merge(y[c+3], 2*d*stp+d2*st) // Σ t(Q+2dP+d²)
		}
	}
	return nil
}

// Indices returns the first-order and total indices of each factor and
// their asymptotic standard errors (see the package documentation). It
// returns an error if fewer than 2 rows were added, if any row had a
// non-finite value, or if the output does not vary (V = 0, the indices are
// undefined). Cost O(m); it allocates the four slices.
func (a *Accumulator) Indices() (first, total, firstSE, totalSE []float64, err error) {
	if a.bad > 0 {
		return nil, nil, nil, nil, fmt.Errorf("saltelli: %d of %d base rows had a NaN or infinite output", a.bad, a.bad+a.n)
	}
	if a.n < 2 {
		return nil, nil, nil, nil, fmt.Errorf("saltelli: %d base rows, want at least 2", a.n)
	}
	n := float64(a.n)
	mP, mQ := a.g[gP].val()/n, a.g[gQ].val()/n
	v := mQ - mP*mP
	if !(v > 0) {
		return nil, nil, nil, nil, fmt.Errorf("saltelli: the output does not vary over %d base rows (variance %g); sensitivity indices are undefined", a.n, v)
	}
	varP := a.g[gPP].val()/n - mP*mP
	covQP := a.g[gQP].val()/n - mQ*mP
	varQ := a.g[gQQ].val()/n - mQ*mQ
	// qc = ((f(A) − f̄)² + (f(B) − f̄)²)/2 = Q − 2δP + δ², δ = mean of P:
	// the row term whose mean is V.
	dl := mP
	varQc := varQ - 4*dl*covQP + 4*dl*dl*varP
	first, total = make([]float64, a.m), make([]float64, a.m)
	firstSE, totalSE = make([]float64, a.m), make([]float64, a.m)
	for i := 0; i < a.m; i++ {
		x := a.f[i*perFactor : (i+1)*perFactor]
		// ratio returns r = mean(t)/V and the standard error of r by the
		// delta method: IF = (t − r·qc)/V.
		ratio := func(c int) (r, se float64) {
			mt := x[c].val() / n
			vt := x[c+1].val()/n - mt*mt
			covTP := x[c+2].val()/n - mt*mP
			covTQ := x[c+3].val()/n - mt*mQ
			covTQc := covTQ - 2*dl*covTP
			r = mt / v
			vif := (vt - 2*r*covTQc + r*r*varQc) / (v * v)
			return r, math.Sqrt(math.Max(vif, 0) / n)
		}
		total[i], totalSE[i] = ratio(fT)
		r, se := ratio(fS)
		first[i], firstSE[i] = 1-r, se
	}
	return first, total, firstSE, totalSE, nil
}

func isFinite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
