package forecast

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
	"gonum.org/v1/gonum/stat"

	"github.com/mcforecast/mcforecast/distributions"
	"github.com/mcforecast/mcforecast/distributions/disttest"
)

// TestMain fails the package's tests if any goroutine outlives them: Run
// must return only after every goroutine it started has exited.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// checkKS asserts that x passes a KS test against cdf at α ≈ 0.001
// (disttest's statistic and critical value 1.95/√n).
func checkKS(t *testing.T, name string, x []float64, cdf func(float64) float64) {
	t.Helper()
	d := disttest.KS(x, cdf)
	require.LessOrEqualf(t, d, disttest.KSCritical(len(x)), "%s: KS statistic %.5f over n=%d", name, d, len(x))
}

// spearman returns the rank correlation of x and y.
func spearman(x, y []float64) float64 { return stat.Correlation(ranks(x), ranks(y), nil) }

// mustRun runs m and fails the test on error.
func mustRun(t testing.TB, m *Model, o Options) *Result {
	t.Helper()
	res, err := Run(context.Background(), m, o)
	require.NoError(t, err)
	return res
}

// sumModel is a + Σ s_y with a ~ N(1, 2) and five s_y ~ N(0, 1): the total
// is N(1, 3), and year y of the running sum is N(1, √(4+y)).
func sumModel() *Model {
	m := NewModel()
	a := m.Input("a", distributions.Normal{Mu: 1, Sigma: 2})
	s := m.Series("s", distributions.Normal{Mu: 0, Sigma: 1}, 5)
	total := m.Output("total")
	run := m.OutputSeries("running", 5)
	m.Eval(func(t *Trial) {
		sum := t.Value(a)
		for i, v := range t.Values(s) {
			sum += v
			t.SetAt(run, i, sum)
		}
		t.Set(total, sum)
	})
	return m
}

// acrossWorkers runs the model mk builds (afresh for every run) under o
// with 1, 2 and 3 workers, requires each later run to agree with the first
// by same, and returns the first.
func acrossWorkers(t *testing.T, mk func() *Model, o Options, same func(t *testing.T, a, b *Result)) *Result {
	t.Helper()
	o.Workers = 1
	one := mustRun(t, mk(), o)
	for _, w := range []int{2, 3} {
		o.Workers = w
		same(t, one, mustRun(t, mk(), o))
	}
	return one
}

// sameAcrossWorkers requires the model mk builds to give bit-identical
// results for 1, 2 and 3 workers under every Method, on 5 full blocks and a
// partial one.
func sameAcrossWorkers(t *testing.T, mk func() *Model) {
	t.Helper()
	for _, method := range []Method{MonteCarlo, LatinHypercube, QuasiMonteCarlo} {
		acrossWorkers(t, mk, Options{Trials: 5*BlockSize + 7, Seed: 9, Method: method}, sameResult)
	}
}

// assertZeroBlockAllocs asserts that simulating a block of m (block 3 of
// 100) on a worker allocates nothing under method.
func assertZeroBlockAllocs(t *testing.T, m *Model, method Method) {
	t.Helper()
	p, err := newPlan(m, Options{Trials: 100 * BlockSize, Method: method}.withDefaults())
	require.NoError(t, err)
	w := p.newWorker()
	allocs := testing.AllocsPerRun(10, func() {
		if err := p.simulate(w, 3); err != nil {
			t.Fatal(err)
		}
	})
	assert.Zero(t, allocs, "allocations per block (%v)", method)
}

// assertSpearman asserts that the rank correlation of x and y is want
// within 5 standard errors of a sample Spearman coefficient from len(x)
// pairs (spearmanSE, Bonett–Wright). At 10⁵ pairs and want = 0.5 that is
// ±0.011: a copula fed ρs as its normal-score correlation (Spearman
// 6/π·asin(ρs/2), 0.017 short at 0.5) fails it.
func assertSpearman(t *testing.T, want float64, x, y []float64, msgAndArgs ...any) {
	t.Helper()
	assert.InDelta(t, want, spearman(x, y), 5*spearmanSE(want, len(x)), msgAndArgs...)
}
