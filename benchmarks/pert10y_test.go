package benchmarks

import (
	"context"
	"fmt"
	"math"
	"testing"

	"github.com/mcforecast/mcforecast/forecast"
)

// TestPert10yMean checks the library on pert10y against its exact mean
// within 4 standard errors, under Monte Carlo and Latin hypercube, with and
// without correlations. Under Latin hypercube the sample mean is at least as
// precise as under Monte Carlo, so the Monte Carlo standard error is a
// conservative tolerance.
func TestPert10yMean(t *testing.T) {
	want := Pert10yExactMean()
	for _, method := range []forecast.Method{forecast.MonteCarlo, forecast.LatinHypercube} {
		for _, corr := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/correlated=%v", method, corr), func(t *testing.T) {
				m, out := Pert10yModel(corr)
				res, err := forecast.Run(context.Background(), m, forecast.Options{Trials: 1 << 15, Seed: 7, Method: method})
				if err != nil {
					t.Fatal(err)
				}
				met := res.Output(m.OutputName(out))
				if d := math.Abs(met.Mean() - want); d > 4*met.StdErr() {
					t.Errorf("mean %.4f, exact %.4f: off by %.2f SE", met.Mean(), want, d/met.StdErr())
				}
			})
		}
	}
}

// BenchmarkPert10y is the pert10y workload through Run and MetricStats,
// under Monte Carlo and Latin hypercube, independent and correlated: the
// paths a user's PERT/Beta model takes. Compare lhs/ and corr/ against
// mc/indep in the same run.
func BenchmarkPert10y(b *testing.B) {
	const n = 200_000
	for _, method := range []forecast.Method{forecast.MonteCarlo, forecast.LatinHypercube} {
		for _, corr := range []bool{false, true} {
			name := map[bool]string{false: "indep", true: "corr"}[corr]
			b.Run(fmt.Sprintf("%s/%s/trials=%s", method, name, tierName(n)), func(b *testing.B) {
				b.ReportAllocs()
				m, out := Pert10yModel(corr)
				outName := m.OutputName(out)
				opts := forecast.Options{Trials: n, Seed: benchSeed, Method: method}
				for i := 0; i < b.N; i++ {
					Sink = MetricStats(mustRun(b, m, opts).Output(outName))
				}
				reportPerTrial(b, n)
			})
		}
	}
}
