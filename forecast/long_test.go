//go:build linux

package forecast

import (
	"context"
	"os"
	"syscall"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mcforecast/mcforecast/distributions"
)

// TestStreamingBillion runs 10⁹ trials of a small model in streaming mode
// and checks the peak resident set stays under 256 MB. It takes about a
// minute on two cores, so it runs only with MCFORECAST_LONG=1:
//
//	MCFORECAST_LONG=1 go test ./forecast -run Billion -v
func TestStreamingBillion(t *testing.T) {
	if os.Getenv("MCFORECAST_LONG") == "" {
		t.Skip("set MCFORECAST_LONG=1 to run 10⁹ streaming trials")
	}
	m := NewModel()
	x := m.Input("x", distributions.Normal{Mu: 100, Sigma: 15})
	g := m.Series("g", distributions.Uniform{Min: 0, Max: 0.2}, 3)
	o := m.Output("y")
	m.Eval(func(t *Trial) {
		v := t.Value(x)
		for _, r := range t.Values(g) {
			v *= 1 + r
		}
		t.Set(o, v)
	})
	res, err := Run(context.Background(), m, Options{Trials: 1_000_000_000, Seed: 1, Streaming: true})
	require.NoError(t, err)
	var ru syscall.Rusage
	require.NoError(t, syscall.Getrusage(syscall.RUSAGE_SELF, &ru))
	peakMB := float64(ru.Maxrss) / 1024 // Linux reports KiB
	t.Logf("10⁹ streaming trials in %v, peak RSS %.0f MB, P50 %.3f", res.Elapsed(), peakMB, res.Output("y").Percentile(0.5))
	require.Less(t, peakMB, 256.0)
}
