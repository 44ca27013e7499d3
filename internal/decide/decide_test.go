package decide

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// phi0 is φ(0) = 1/√(2π), the standard normal density at 0: E[max(x, 0)]
// for x ~ N(0, 1).
const phi0 = 0.3989422804014327

// normals returns n draws of N(0, 1) from a PCG stream seeded with seed.
func normals(seed uint64, n int) []float64 {
	r := rand.New(rand.NewPCG(seed, 0x6d63))
	x := make([]float64, n)
	for i := range x {
		x[i] = r.NormFloat64()
	}
	return x
}

func add(a, b []float64) []float64 {
	s := make([]float64, len(a))
	for i := range a {
		s[i] = a[i] + b[i]
	}
	return s
}

// checkWithin fails unless |got − want| ≤ k·se, with se > 0.
func checkWithin(t *testing.T, name string, got, se, want, k float64) {
	t.Helper()
	if !(se > 0) || math.IsInf(se, 0) {
		t.Errorf("%s: standard error %v: want a positive finite value", name, se)
		return
	}
	if d := math.Abs(got - want); !(d <= k*se) {
		t.Errorf("%s = %.6f ± %.6f: want %.6f (off by %.1f standard errors, allowed %v)", name, got, se, want, d/se, k)
	} else {
		t.Logf("%s = %.6f ± %.6f (truth %.6f, %.2f SE)", name, got, se, want, (got-want)/se)
	}
}

// meanSD returns the mean and sample standard deviation of v.
func meanSD(v []float64) (m, sd float64) {
	for _, x := range v {
		m += x
	}
	m /= float64(len(v))
	for _, x := range v {
		sd += (x - m) * (x - m)
	}
	return m, math.Sqrt(sd / float64(len(v)-1))
}

func TestErrors(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name   string
		values [][]float64
		x      []float64
		opts   EVPPIOptions
		want   string // substring of every function's error
	}{
		{"no choices", nil, nil, EVPPIOptions{}, "no choices"},
		{"no trials", [][]float64{{}, {}}, []float64{}, EVPPIOptions{}, "values[0] has no trials"},
		{"ragged", [][]float64{{1, 2, 3}, {1, 2}}, []float64{1, 2, 3}, EVPPIOptions{}, "values[1] has 2 trials, values[0] has 3"},
		{"all NaN", [][]float64{{nan, 1}, {2, nan}}, []float64{1, 2}, EVPPIOptions{}, "0 of 2 trials are complete"},
		{"infinite", [][]float64{{1, 2, 3}, {1, math.Inf(-1), 3}}, []float64{1, 2, 3}, EVPPIOptions{}, "values[1][1] = -Inf"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := ProbBest(tt.values)
			checkErr(t, "ProbBest", err, tt.want)
			_, _, err = EVPI(tt.values)
			checkErr(t, "EVPI", err, tt.want)
			_, _, err = EVPPI(tt.x, tt.values, tt.opts)
			checkErr(t, "EVPPI", err, tt.want)
		})
	}

	ok := [][]float64{{1, 2, 3, 4}, {4, 3, 2, 1}}
	evppi := []struct {
		name string
		x    []float64
		opts EVPPIOptions
		want string
	}{
		{"nil x", nil, EVPPIOptions{}, "x has 0 trials, values[0] has 4"},
		{"short x", []float64{1, 2}, EVPPIOptions{}, "x has 2 trials"},
		{"negative bins", []float64{1, 2, 3, 4}, EVPPIOptions{Bins: -1}, "EVPPIOptions.Bins = -1: want 0 (default) or 1 to 2"},
		{"too many bins", []float64{1, 2, 3, 4}, EVPPIOptions{Bins: 3}, "EVPPIOptions.Bins = 3"},
		{"too many bins after NaN", []float64{1, nan, 3, 4}, EVPPIOptions{Bins: 2}, "1 to 1 (at least two trials per bin for 3 complete trials)"},
		{"one complete trial", []float64{1, nan, nan, nan}, EVPPIOptions{}, "1 of 4 trials are complete"},
	}
	for _, tt := range evppi {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := EVPPI(tt.x, ok, tt.opts)
			checkErr(t, "EVPPI", err, tt.want)
		})
	}
	if _, _, err := EVPI([][]float64{{1, nan}}); err == nil || !strings.Contains(err.Error(), "want at least 2") {
		t.Errorf("EVPI of one complete trial: err = %v, want at least 2", err)
	}
}

func checkErr(t *testing.T, fn string, err error, want string) {
	t.Helper()
	if err == nil {
		t.Errorf("%s: no error, want one containing %q", fn, want)
	} else if !strings.Contains(err.Error(), want) {
		t.Errorf("%s: error %q, want one containing %q", fn, err, want)
	}
}

func TestOneChoice(t *testing.T) {
	y := normals(1, 100)
	v, se, err := EVPI([][]float64{y})
	if v != 0 || se != 0 || err != nil {
		t.Errorf("EVPI of one choice = %v ± %v, %v: want 0 ± 0, nil", v, se, err)
	}
	v, se, err = EVPPI(normals(2, 100), [][]float64{y}, EVPPIOptions{})
	if v != 0 || se != 0 || err != nil {
		t.Errorf("EVPPI of one choice = %v ± %v, %v: want 0 ± 0, nil", v, se, err)
	}
	p, pse, err := ProbBest([][]float64{y})
	if !slices.Equal(p, []float64{1}) || !slices.Equal(pse, []float64{0}) || err != nil {
		t.Errorf("ProbBest of one choice = %v ± %v, %v: want [1] ± [0], nil", p, pse, err)
	}
}

// TestNaNTrialsLeftOut checks that a trial with a NaN under any choice (or
// in x) is left out of every statistic: the results equal those computed
// without it, exactly.
func TestNaNTrialsLeftOut(t *testing.T) {
	const n = 2000
	a, b, x := normals(3, n), normals(4, n), normals(5, n)
	clean := [][]float64{a, b}
	var da, db, dx []float64
	for i := range n {
		da, db, dx = append(da, a[i]), append(db, b[i]), append(dx, x[i])
		if i%7 == 3 {
			nan := math.NaN()
			switch i % 3 {
			case 0:
				da, db, dx = append(da, nan), append(db, 1), append(dx, 0)
			case 1:
				da, db, dx = append(da, 1), append(db, nan), append(dx, 0)
			default:
				da, db, dx = append(da, 1), append(db, 2), append(dx, nan)
			}
		}
	}
	dirty := [][]float64{da, db}

	// x is not an argument of ProbBest or EVPI: a NaN x leaves a trial in.
	cleanNoX := [][]float64{{}, {}}
	for i := range da {
		if !math.IsNaN(da[i]) && !math.IsNaN(db[i]) {
			cleanNoX[0] = append(cleanNoX[0], da[i])
			cleanNoX[1] = append(cleanNoX[1], db[i])
		}
	}
	p1, s1, _ := ProbBest(cleanNoX)
	p2, s2, err := ProbBest(dirty)
	if err != nil || !slices.Equal(p1, p2) || !slices.Equal(s1, s2) {
		t.Errorf("ProbBest with NaN trials = %v ± %v, %v; without = %v ± %v", p2, s2, err, p1, s1)
	}
	v1, e1, _ := EVPI(cleanNoX)
	v2, e2, err := EVPI(dirty)
	if err != nil || v1 != v2 || e1 != e2 {
		t.Errorf("EVPI with NaN trials = %v ± %v, %v; without = %v ± %v", v2, e2, err, v1, e1)
	}
	w1, f1, _ := EVPPI(x, clean, EVPPIOptions{})
	w2, f2, err := EVPPI(dx, dirty, EVPPIOptions{})
	if err != nil || w1 != w2 || f1 != f2 {
		t.Errorf("EVPPI with NaN trials = %v ± %v, %v; without = %v ± %v", w2, f2, err, w1, f1)
	}
}

func TestProbBest(t *testing.T) {
	const n = 10000
	x := normals(6, n)
	zero := make([]float64, n)
	p, se, err := ProbBest([][]float64{x, zero})
	if err != nil {
		t.Fatal(err)
	}
	// Binomial standard error of 1/2 at n trials.
	want := math.Sqrt(0.25 / n)
	for c := range p {
		if math.Abs(se[c]-want) > 1e-3*want {
			t.Errorf("ProbBest SE[%d] = %v, want the binomial %v", c, se[c], want)
		}
		checkWithin(t, "P(best)", p[c], se[c], 0.5, 4)
	}

	x1 := make([]float64, n)
	for i := range x {
		x1[i] = x[i] + 1
	}
	p, se, err = ProbBest([][]float64{x1, x})
	if err != nil || !slices.Equal(p, []float64{1, 0}) || !slices.Equal(se, []float64{0, 0}) {
		t.Errorf("ProbBest{x+1, x} = %v ± %v, %v: want exactly [1 0] ± [0 0]", p, se, err)
	}

	// Ties split equally: two identical choices and a third that is best
	// when x > 0.
	p, _, err = ProbBest([][]float64{zero, zero, x})
	if err != nil {
		t.Fatal(err)
	}
	pos := 0.0
	for _, v := range x {
		if v > 0 {
			pos++
		}
	}
	pos /= n
	if p[0] != p[1] || math.Abs(p[2]-pos) > 1e-12 || math.Abs(p[0]-(1-pos)/2) > 1e-12 {
		t.Errorf("ProbBest{0, 0, x} = %v: want [%v %v %v]", p, (1-pos)/2, (1-pos)/2, pos)
	}
}

func TestEVPIClosedForms(t *testing.T) {
	const n = 100000
	a, b := normals(7, n), normals(8, n)
	zero := make([]float64, n)
	tests := []struct {
		name   string
		values [][]float64
		want   float64
	}{
		// E[max(a, 0)] − max(E a, 0) = φ(0).
		{"{a, 0}", [][]float64{a, zero}, phi0},
		// a + b ~ N(0, 2): √2·φ(0).
		{"{a+b, 0}", [][]float64{add(a, b), zero}, math.Sqrt2 * phi0},
		// The same with the order of the choices swapped.
		{"{0, a+b}", [][]float64{zero, add(a, b)}, math.Sqrt2 * phi0},
		// E[max(a, b)] = 1/√π; max(E a, E b) = 0.
		{"{a, b}", [][]float64{a, b}, 1 / math.Sqrt(math.Pi)},
		// One choice dominates in every trial: nothing to learn.
		{"{a+1, a}", [][]float64{add(a, ones(n)), a}, 0},
	}
	for _, tt := range tests {
		v, se, err := EVPI(tt.values)
		if err != nil {
			t.Fatal(err)
		}
		if tt.want == 0 {
			if v != 0 || se != 0 {
				t.Errorf("EVPI%s = %v ± %v: want exactly 0 ± 0", tt.name, v, se)
			}
			continue
		}
		checkWithin(t, "EVPI"+tt.name, v, se, tt.want, 4)
	}
}

func ones(n int) []float64 {
	o := make([]float64, n)
	for i := range o {
		o[i] = 1
	}
	return o
}

func TestEVPPIClosedForms(t *testing.T) {
	const n = 100000
	a, b, z := normals(9, n), normals(10, n), normals(11, n)
	zero := make([]float64, n)
	ab := [][]float64{add(a, b), zero}
	// A binary input with E(y | u) = ±1 and noise: EVPPI(u) = 1/2.
	u := make([]float64, n)
	yu := make([]float64, n)
	for i := range u {
		if a[i] > 0 {
			u[i] = 1
		}
		yu[i] = 2*u[i] - 1 + b[i]
	}
	tests := []struct {
		name   string
		x      []float64
		values [][]float64
		opts   EVPPIOptions
		want   float64
	}{
		// Knowing a is knowing y: EVPPI = EVPI = φ(0).
		{"{a, 0} | a", a, [][]float64{a, zero}, EVPPIOptions{}, phi0},
		{"{a, 0} | a, 316 bins", a, [][]float64{a, zero}, EVPPIOptions{Bins: 316}, phi0},
		// E(a+b | a) = a: E[max(a, 0)] = φ(0).
		{"{a+b, 0} | a", a, ab, EVPPIOptions{}, phi0},
		{"{a+b, 0} | b", b, ab, EVPPIOptions{}, phi0},
		{"{a+b, 0} | a, 316 bins", a, ab, EVPPIOptions{Bins: 316}, phi0},
		{"{a+b, 0} | b, 1000 bins", b, ab, EVPPIOptions{Bins: 1000}, phi0},
		// An input independent of everything is worth nothing.
		{"{a+b, 0} | z", z, ab, EVPPIOptions{}, 0},
		{"{a+b, 0} | z, 316 bins", z, ab, EVPPIOptions{Bins: 316}, 0},
		{"{a, b} | z, 316 bins", z, [][]float64{a, b}, EVPPIOptions{Bins: 316}, 0},
		{"{2u−1+b, 0} | u", u, [][]float64{yu, zero}, EVPPIOptions{}, 0.5},
	}
	for _, tt := range tests {
		v, se, err := EVPPI(tt.x, tt.values, tt.opts)
		if err != nil {
			t.Fatal(err)
		}
		checkWithin(t, "EVPPI"+tt.name, v, se, tt.want, 4)
	}

	// The bias correction is what makes the independent input come out at
	// 0: the plug-in estimator (mean over bins of the best bin mean, minus
	// the best overall mean) is many standard errors above it.
	plug, se := plugInEVPPI(z, ab, 316)
	if plug < 8*se {
		t.Errorf("plug-in EVPPI of an independent input = %v: want above 8 SE = %v, the bias the correction removes", plug, 8*se)
	}
	t.Logf("plug-in EVPPI of an independent input = %.4f (%.1f SE)", plug, plug/se)
}

// plugInEVPPI is the uncorrected binned estimator, for comparison, with the
// standard error of the corrected one.
func plugInEVPPI(x []float64, values [][]float64, bins int) (v, se float64) {
	n, C := len(x), len(values)
	edges := binEdges(x, values, n, n, bins)
	sum := make([]float64, (len(edges)+1)*C)
	tot := make([]float64, C)
	for i := range x {
		b := searchEdges(edges, x[i])
		for c := range values {
			sum[b*C+c] += values[c][i]
			tot[c] += values[c][i]
		}
	}
	for b := 0; b <= len(edges); b++ {
		v += slices.Max(sum[b*C : (b+1)*C])
	}
	_, se, _ = EVPPI(x, values, EVPPIOptions{Bins: bins})
	return (v - slices.Max(tot)) / float64(n), se
}

// TestStdErrOverSeeds checks each standard error against the spread of the
// estimates over 40 seeds at a small n, and the mean of the estimates
// against the truth (which tests the bias at few trials per bin).
func TestStdErrOverSeeds(t *testing.T) {
	const (
		seeds = 40
		n     = 2000
	)
	type stat struct {
		name string
		want float64
		f    func(a, b, z []float64) (float64, float64)
	}
	zero := make([]float64, n)
	stats := []stat{
		{"EVPI{a, 0}", phi0, func(a, b, z []float64) (float64, float64) {
			v, se, _ := EVPI([][]float64{a, zero})
			return v, se
		}},
		{"EVPI{a+b, 0}", math.Sqrt2 * phi0, func(a, b, z []float64) (float64, float64) {
			v, se, _ := EVPI([][]float64{add(a, b), zero})
			return v, se
		}},
		{"EVPPI{a, 0} | a", phi0, func(a, b, z []float64) (float64, float64) {
			v, se, _ := EVPPI(a, [][]float64{a, zero}, EVPPIOptions{})
			return v, se
		}},
		{"EVPPI{a+b, 0} | a", phi0, func(a, b, z []float64) (float64, float64) {
			v, se, _ := EVPPI(a, [][]float64{add(a, b), zero}, EVPPIOptions{})
			return v, se
		}},
		{"EVPPI{a+b, 0} | z", 0, func(a, b, z []float64) (float64, float64) {
			v, se, _ := EVPPI(z, [][]float64{add(a, b), zero}, EVPPIOptions{})
			return v, se
		}},
		{"P(a best of {a, 0})", 0.5, func(a, b, z []float64) (float64, float64) {
			p, se, _ := ProbBest([][]float64{a, zero})
			return p[0], se[0]
		}},
	}
	for _, s := range stats {
		est := make([]float64, seeds)
		ses := make([]float64, seeds)
		for k := range seeds {
			seed := uint64(100 + 3*k)
			est[k], ses[k] = s.f(normals(seed, n), normals(seed+1, n), normals(seed+2, n))
		}
		m, sd := meanSD(est)
		mse, _ := meanSD(ses)
		// The sample sd of 40 estimates has a relative standard error of
		// about 1/√(2·39) = 0.11; 0.55–1.45 is 4 of those.
		if r := mse / sd; !(r > 0.55 && r < 1.45) {
			t.Errorf("%s: mean reported SE %.5f, spread over %d seeds %.5f: ratio %.2f, want 0.55–1.45", s.name, mse, seeds, sd, r)
		} else {
			t.Logf("%s: mean reported SE %.5f, spread over %d seeds %.5f: ratio %.2f", s.name, mse, seeds, sd, r)
		}
		checkWithin(t, s.name+" mean over seeds", m, sd/math.Sqrt(seeds), s.want, 4)
	}
}

func TestSearchEdges(t *testing.T) {
	for ne := 0; ne < 12; ne++ {
		edges := make([]float64, ne)
		for j := range edges {
			edges[j] = float64(2 * j)
		}
		for v := -1.0; v <= float64(2*ne); v += 0.5 {
			want := 0
			for _, e := range edges {
				if e < v {
					want++
				}
			}
			if got := searchEdges(edges, v); got != want {
				t.Errorf("searchEdges(%v, %v) = %d, want %d", edges, v, got, want)
			}
		}
	}
}

// TestAssignBins checks the grid-accelerated bins against the binary search,
// for normal and heavy-tailed edges, at the edges themselves, between them,
// outside them and at ±Inf and NaN.
func TestAssignBins(t *testing.T) {
	z := normals(30, 20000)
	for _, tc := range []struct {
		name string
		f    func(float64) float64
	}{
		{"normal", func(v float64) float64 { return v }},
		{"lognormal σ=3", func(v float64) float64 { return math.Exp(3 * v) }},
		{"Cauchy-like", func(v float64) float64 { return 1 / v }},
	} {
		x := make([]float64, len(z))
		for i := range z {
			x[i] = tc.f(z[i])
		}
		for _, B := range []int{2, 3, 10, 200} {
			edges := binEdges(x, [][]float64{x}, len(x), len(x), B)
			probe := slices.Clone(x)
			for _, e := range edges {
				probe = append(probe, e, math.Nextafter(e, math.Inf(1)), math.Nextafter(e, math.Inf(-1)))
			}
			probe = append(probe, math.Inf(1), math.Inf(-1), math.NaN(), 0)
			bins := make([]int32, len(probe))
			assignBins(bins, probe, edges)
			for i, v := range probe {
				if want := searchEdges(edges, v); int(bins[i]) != want {
					t.Fatalf("%s, %d bins: assignBins(%v) = %d, want %d", tc.name, B, v, bins[i], want)
				}
			}
		}
	}
}

// TestEVPPIFewTrialsPerBin checks the direction of the bias when bins hold
// few trials: toward 0, never above the truth (beyond 4 standard errors of
// the mean over 40 seeds), and logs its size.
func TestEVPPIFewTrialsPerBin(t *testing.T) {
	const (
		seeds = 40
		n     = 2000
	)
	zero := make([]float64, n)
	for _, bins := range []int{20, 100, 500} {
		for _, tc := range []struct {
			name  string
			input int // 0: a, 2: z (independent)
			want  float64
		}{{"{a+b, 0} | a", 0, phi0}, {"{a+b, 0} | z", 2, 0}} {
			est := make([]float64, seeds)
			for k := range seeds {
				seed := uint64(500 + 3*k)
				in := [3][]float64{normals(seed, n), normals(seed+1, n), normals(seed+2, n)}
				est[k], _, _ = EVPPI(in[tc.input], [][]float64{add(in[0], in[1]), zero}, EVPPIOptions{Bins: bins})
			}
			m, sd := meanSD(est)
			se := sd / math.Sqrt(seeds)
			if m > tc.want+4*se {
				t.Errorf("%s, %d trials per bin: mean over %d seeds %.4f ± %.4f, above the truth %.4f", tc.name, n/bins, seeds, m, se, tc.want)
			}
			t.Logf("%s, %4d trials per bin: bias %+.4f ± %.4f (spread of one estimate %.4f)", tc.name, n/bins, m-tc.want, se, sd)
		}
	}
}

func TestDefaultBins(t *testing.T) {
	for _, tc := range []struct{ n, want int }{{1, 1}, {2, 1}, {19, 1}, {100, 10}, {1000, 20}, {10000, 44}, {100000, 93}, {1000000, 200}} {
		if got := DefaultBins(tc.n); got != tc.want {
			t.Errorf("DefaultBins(%d) = %d, want %d", tc.n, got, tc.want)
		}
	}
}

// TestEVPPIConstantInput checks that an input that never varies is worth
// exactly nothing: one bin, whose choice is the overall one.
func TestEVPPIConstantInput(t *testing.T) {
	const n = 1000
	a := normals(40, n)
	x := make([]float64, n)
	for i := range x {
		x[i] = 7
	}
	v, se, err := EVPPI(x, [][]float64{a, make([]float64, n)}, EVPPIOptions{})
	if v != 0 || se != 0 || err != nil {
		t.Errorf("EVPPI of a constant input = %v ± %v, %v: want exactly 0 ± 0, nil", v, se, err)
	}
}

// TestConcurrent runs every function at once on the same slices (under
// -race this checks that they only read them) and checks that each gives
// the answer it gives alone.
func TestConcurrent(t *testing.T) {
	const n = 5000
	a, b := normals(50, n), normals(51, n)
	values := [][]float64{add(a, b), make([]float64, n), b}
	want, wantSE, _ := EVPPI(a, values, EVPPIOptions{})
	wantP, _, _ := ProbBest(values)
	done := make(chan [3]float64)
	for range 4 {
		go func() {
			v, se, _ := EVPPI(a, values, EVPPIOptions{})
			p, _, _ := ProbBest(values)
			EVPI(values)
			done <- [3]float64{v, se, p[0]}
		}()
	}
	for range 4 {
		if got := <-done; got != [3]float64{want, wantSE, wantP[0]} {
			t.Errorf("concurrent run gave %v, alone %v", got, [3]float64{want, wantSE, wantP[0]})
		}
	}
}
