package forecast

import (
	"context"
	"math"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
	"gonum.org/v1/gonum/stat"

	"github.com/mcforecast/mcforecast/distributions"
)

// TestMain fails the package's tests if any goroutine outlives them: Run
// must return only after every goroutine it started has exited.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// ksCritical is the Kolmogorov–Smirnov critical value at α ≈ 0.001 for n
// draws: 1.95/√n (Smirnov's asymptotic distribution, K(1.95) ≈ 0.999).
func ksCritical(n int) float64 { return 1.95 / math.Sqrt(float64(n)) }

// ksStatistic returns sup |F_n(x) − F(x)| of the sample against cdf.
func ksStatistic(x []float64, cdf func(float64) float64) float64 {
	s := slices.Clone(x)
	slices.Sort(s)
	n := float64(len(s))
	d := 0.0
	for i, v := range s {
		f := cdf(v)
		d = math.Max(d, math.Max(f-float64(i)/n, float64(i+1)/n-f))
	}
	return d
}

// checkKS asserts that x passes a KS test against cdf at α ≈ 0.001.
func checkKS(t *testing.T, name string, x []float64, cdf func(float64) float64) {
	t.Helper()
	d := ksStatistic(x, cdf)
	require.LessOrEqualf(t, d, ksCritical(len(x)), "%s: KS statistic %.5f over n=%d", name, d, len(x))
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
