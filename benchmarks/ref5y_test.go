package benchmarks

import (
	"context"
	"math"
	"runtime/debug"
	"testing"

	"github.com/mcforecast/mcforecast/forecast"
)

// TestRef5yExactMean checks the analytic mean against the issue's −112.875
// (given to three decimals) and against an independent spelling of the same
// derivation, term by term.
func TestRef5yExactMean(t *testing.T) {
	got := Ref5yExactMean()
	if math.Abs(got-(-112.875)) > 5e-4 {
		t.Fatalf("Ref5yExactMean = %.6f, want −112.875 ± 0.0005", got)
	}
	// Σ_t E[capex_t] = 125 · Σ_{k=0..4} E[(1+g)^k], (1+g) ~ N(1.1, 0.05²).
	mu, s2 := 1.1, 0.0025
	capex := 125 * (1 + mu + (mu*mu + s2) + (math.Pow(mu, 3) + 3*mu*s2) + (math.Pow(mu, 4) + 6*mu*mu*s2 + 3*s2*s2))
	// Σ_t E[revenue_t] · E[m] = 201 · Σ_{t=1..5} 1.18^t · 1.21/3.
	ocf := 0.0
	for k := 1; k <= 5; k++ {
		ocf += 201 * math.Pow(1.18, float64(k)) * 1.21 / 3
	}
	// Σ_t E[P_t] E[e] · 0.00876 = 14/3 · Σ 1.3^(t−1) · 80 e^{0.25²/2} · 0.00876.
	energy := 0.0
	for k := 0; k < 5; k++ {
		energy += 14.0 / 3 * math.Pow(1.3, float64(k)) * 80 * math.Exp(0.03125) * 0.00876
	}
	if want := ocf - capex - energy; math.Abs(got-want) > 1e-9 {
		t.Fatalf("Ref5yExactMean = %.12f, independent derivation %.12f", got, want)
	}
}

// checkMean fails unless mean is within 4 standard errors of the exact mean
// (a two-sided miss has probability 6·10⁻⁵ at a fixed seed).
func checkMean(t *testing.T, what string, s Stats) {
	t.Helper()
	checkMeanOf(t, what, s, Ref5yExactMean())
}

func checkMeanOf(t *testing.T, what string, s Stats, exact float64) {
	t.Helper()
	se := s.SD / math.Sqrt(float64(s.N))
	if d := math.Abs(s.Mean - exact); !(d <= 4*se) {
		t.Errorf("%s: mean %.4f, exact %.4f: off by %.2f standard errors (SE %.4f)", what, s.Mean, exact, d/se, se)
	}
}

// testTrials keeps the tests fast under -race: 2¹⁶ trials (64 blocks) give
// an SE of the mean of about 107/√65536 ≈ 0.42 (the outcome's SD is ≈ 107).
const testTrials = 1 << 16

func TestRef5yMeanAPI(t *testing.T) {
	m, out := Ref5yModel()
	name := m.OutputName(out)
	for _, opts := range []forecast.Options{
		{Trials: testTrials, Seed: 1},
		{Trials: testTrials, Seed: 1, Streaming: true},
		{Trials: testTrials, Seed: 1, Method: forecast.LatinHypercube},
	} {
		res, err := forecast.Run(context.Background(), m, opts)
		if err != nil {
			t.Fatal(err)
		}
		s := MetricStats(res.Output(name))
		if s.N != testTrials {
			t.Fatalf("%+v: %d finite outcomes, want %d", opts, s.N, testTrials)
		}
		checkMean(t, "api "+opts.Method.String(), s)
	}
}

func TestRef5yMeanCorrelated(t *testing.T) {
	// The copula keeps every marginal and the requested matrix: capex growth
	// correlated with each year's revenue growth, the years uncorrelated with
	// each other — jointly normal scores, so still independent. Capex growth
	// enters only capex and revenue growth only revenue, so the mean is the
	// independent model's.
	m, out, in := Ref5yModelWith()
	m.Correlate(in.CapexGrowth, in.RevGrowth, ref5yCapexRevenueRho)
	res, err := forecast.Run(context.Background(), m, forecast.Options{Trials: testTrials, Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	checkMean(t, "api correlated", MetricStats(res.Output(m.OutputName(out))))
}

func TestRef5yMeanLoop(t *testing.T) {
	for _, w := range []int{1, 2} {
		checkMean(t, "loop", SortStats(Ref5yLoopParallel(testTrials, 1, w)))
	}
}

// TestRef5yNoAllocsPerTrial checks that a run's allocations do not grow with
// its trials: 4× the trials (48 more blocks, 49 152 more trials) must cost
// fewer than one extra allocation per extra block. Exact mode allocates its
// storage once; streaming mode may allocate a little more as sketches widen
// their range (a few times over a run, as new extremes arrive), which is not
// per trial.
//
// What the contract promises is the engine's allocations, not the
// runtime's: a worker that waits for another (the streaming sequencer, a
// contended mutex) takes a sudog from a per-P cache, and a GC empties the
// central cache behind those, so on a loaded machine under -race a run
// could count about one runtime allocation per waiting block. The
// measurement therefore runs with the GC off (a few MB at these sizes) and
// keeps the least of three runs of each size: scheduling only ever adds
// allocations.
func TestRef5yNoAllocsPerTrial(t *testing.T) {
	m, out := Ref5yModel()
	name := m.OutputName(out)
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	for _, streaming := range []bool{false, true} {
		allocs := func(n int) float64 {
			least := math.Inf(1)
			for range 3 {
				least = math.Min(least, testing.AllocsPerRun(1, func() {
					res, err := forecast.Run(context.Background(), m, forecast.Options{Trials: n, Seed: 1, Workers: 2, Streaming: streaming})
					if err != nil {
						t.Fatal(err)
					}
					Sink = MetricStats(res.Output(name))
				}))
			}
			return least
		}
		const small, large = 16 * forecast.BlockSize, 64 * forecast.BlockSize
		a, b := allocs(small), allocs(large)
		t.Logf("streaming=%v: %.0f allocs at %d trials, %.0f at %d", streaming, a, small, b, large)
		if extra := (large - small) / forecast.BlockSize; b-a >= float64(extra) {
			t.Errorf("streaming=%v: %.0f allocs at %d trials, %.0f at %d: allocations grow with trials (%.2f per extra block)",
				streaming, a, small, b, large, (b-a)/float64(extra))
		}
	}
}

func TestSortStats(t *testing.T) {
	// numpy: np.percentile([-3, 1, 2, 4, 10], [5, 50, 95]) = [-2.2, 2, 8.8];
	// mean 2.8, sd (ddof=1) √(117/4 … ) computed below.
	x := []float64{10, -3, 4, 1, 2}
	s := SortStats(x)
	want := Stats{N: 5, Mean: 2.8, SD: math.Sqrt((5.8*5.8 + 1.8*1.8 + 0.8*0.8 + 1.2*1.2 + 7.2*7.2) / 4), P5: -2.2, P50: 2, P95: 8.8, ProbNegative: 0.2}
	near := func(a, b float64) bool { return math.Abs(a-b) <= 1e-12*math.Max(1, math.Abs(b)) }
	if s.N != want.N || !near(s.Mean, want.Mean) || !near(s.SD, want.SD) || !near(s.P5, want.P5) ||
		!near(s.P50, want.P50) || !near(s.P95, want.P95) || !near(s.ProbNegative, want.ProbNegative) {
		t.Fatalf("SortStats = %+v, want %+v", s, want)
	}
}
