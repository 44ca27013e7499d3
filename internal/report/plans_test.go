package report

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mcforecast/mcforecast/forecast"
	"github.com/mcforecast/mcforecast/scenario"
)

func TestForPlansNeedsPlans(t *testing.T) {
	s := scenario.Meta2026()
	res, err := s.Run(context.Background(), forecast.Options{Trials: 500, Seed: 1})
	require.NoError(t, err)
	_, err = ForPlans(context.Background(), s, res)
	require.ErrorContains(t, err, "has no plans")
}

// TestForPlansWithoutInputs: exact without KeepInputs compares the plans,
// EVPPI from the sensitivity sample (here every trial); the formats agree
// on the plans.
func TestForPlansWithoutInputs(t *testing.T) {
	s := scenario.Meta2026Plans()
	res, err := s.Run(context.Background(), forecast.Options{Trials: 2000, Seed: 1})
	require.NoError(t, err)
	p, err := ForPlans(context.Background(), s, res)
	require.NoError(t, err)
	var b bytes.Buffer
	require.NoError(t, p.Write(&b, "table"))
	assert.Contains(t, b.String(), "EVPPI: input")
	assert.NotContains(t, b.String(), "sensitivity sample", "every trial is in the sample")
	for _, f := range []string{"csv", "json"} {
		b.Reset()
		require.NoError(t, p.Write(&b, f))
		for _, name := range s.PlanNames() {
			assert.Contains(t, b.String(), name, f)
		}
	}
	require.Error(t, p.Write(&b, "xml"))
	// Cancelled: an error, not a partial report.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = ForPlans(ctx, s, res)
	require.ErrorIs(t, err, context.Canceled)
}

// TestForPlansStreaming: a streaming run gives the full comparison: the
// differences' means and P(best) of exact mode (the same sums), EVPI within
// its standard errors, EVPPI from the sensitivity sample, which exact mode
// without KeepInputs reads too.
func TestForPlansStreaming(t *testing.T) {
	s := scenario.Meta2026Plans()
	o := forecast.Options{Trials: 6000, Seed: 3}
	ex, err := s.Run(context.Background(), o)
	require.NoError(t, err)
	o.Streaming = true
	st, err := s.Run(context.Background(), o)
	require.NoError(t, err)
	pe, err := ForPlans(context.Background(), s, ex)
	require.NoError(t, err)
	ps, err := ForPlans(context.Background(), s, st)
	require.NoError(t, err)
	require.True(t, ps.streaming)
	require.Len(t, ps.diffs, len(pe.diffs))
	for i, d := range ps.diffs {
		e := pe.diffs[i]
		assert.Equal(t, e.Mean, d.Mean, "%s %s", d.Plan, d.Output)
		assert.Equal(t, e.StdErr, d.StdErr)
		assert.InDelta(t, e.PBeats, d.PBeats, 0.002)
		assert.InDelta(t, e.P5, d.P5, 2e-3*max(1, abs(e.P5)))
	}
	require.Len(t, ps.outs, len(pe.outs))
	for i, po := range ps.outs {
		e := pe.outs[i]
		assert.InDeltaSlice(t, e.ProbBest, po.ProbBest, 1e-15)
		assert.InDelta(t, e.EVPI, po.EVPI, 4*(e.EVPISE+po.EVPISE)+1e-12, po.Output)
		assert.Equal(t, 6000, po.InfoTrials)
		assert.Equal(t, e.Information, po.Information)
	}
	var b bytes.Buffer
	require.NoError(t, ps.Write(&b, "table"))
	for _, want := range []string{"streaming", "P(beats)", "P(best)", "EVPI", "EVPPI: input"} {
		assert.Contains(t, b.String(), want)
	}
	// A run longer than the sample says which trials EVPPI read.
	ps.trials = 1_000_000
	ps.outs[0].InfoTrials = forecast.SensitivitySample
	b.Reset()
	require.NoError(t, ps.Write(&b, "table"))
	assert.Contains(t, b.String(), "EVPPI from the first 65,536 trials (the sensitivity sample)")
	b.Reset()
	require.NoError(t, ps.Write(&b, "json"))
	assert.Contains(t, b.String(), `"evppi_trials": 65536`)
}

func abs(x float64) float64 { return max(x, -x) }
