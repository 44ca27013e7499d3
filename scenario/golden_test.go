package scenario

import (
	"context"
	"encoding/json"
	"flag"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mcforecast/mcforecast/forecast"
)

var updateGolden = flag.Bool("update", false, "rewrite testdata/golden-before-energy.json")

// goldenRuns are the runs whose statistics the golden file holds.
var goldenRuns = []struct {
	name string
	opts forecast.Options
}{
	{"montecarlo", forecast.Options{Trials: 20_000, Seed: 7}},
	{"lhs", forecast.Options{Trials: 5_000, Seed: 3, Method: forecast.LatinHypercube}},
}

// goldenStats returns, for every metric of res, its mean and P5/P50/P95 in
// the shortest exact decimal form (so equality is bit equality).
func goldenStats(res *forecast.Result) map[string][]string {
	out := map[string][]string{}
	for _, m := range res.Metrics() {
		vals := append([]float64{m.Mean(), m.StdDev()}, m.Percentiles(0.05, 0.5, 0.95)...)
		var s []string
		for _, v := range vals {
			s = append(s, strconv.FormatFloat(v, 'g', -1, 64))
		}
		out[m.Label()] = s
	}
	return out
}

// TestBeforeEnergyGolden checks that a scenario file without the energy and
// emissions keys (testdata/meta2026-before-energy.yaml, the built-in
// scenario as it was before they existed) gives bit-identical statistics
// for every output that existed then: the golden file was written by the
// code before the energy fields (go test -run BeforeEnergyGolden -update at
// that commit) and must never be regenerated.
func TestBeforeEnergyGolden(t *testing.T) {
	s, err := LoadFile(filepath.Join("testdata", "meta2026-before-energy.yaml"))
	require.NoError(t, err)
	got := map[string]map[string][]string{}
	for _, r := range goldenRuns {
		res, err := s.Run(context.Background(), r.opts)
		require.NoError(t, err)
		got[r.name] = goldenStats(res)
	}
	path := filepath.Join("testdata", "golden-before-energy.json")
	if *updateGolden {
		b, err := json.MarshalIndent(got, "", "  ")
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(path, append(b, '\n'), 0o644))
		return
	}
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	var want map[string]map[string][]string
	require.NoError(t, json.Unmarshal(b, &want))
	for run, stats := range want {
		for label, w := range stats {
			require.Contains(t, got[run], label, run)
			if run != "lhs" {
				require.Equal(t, w, got[run][label], "%s: %s (mean, stddev, P5, P50, P95)", run, label)
				continue
			}
			// Latin hypercube maps its uniforms through
			// distributions.Inverter since the sampler change (within 1e-9
			// relative of Quantile; 5e-14 measured here): its statistics
			// agree with the file to that bound, not bit for bit.
			for i := range w {
				a, _ := strconv.ParseFloat(w[i], 64)
				b, _ := strconv.ParseFloat(got[run][label][i], 64)
				require.InDelta(t, a, b, 1e-9*max(math.Abs(a), 1), "%s: %s (mean, stddev, P5, P50, P95)[%d]", run, label, i)
			}
		}
	}
}
