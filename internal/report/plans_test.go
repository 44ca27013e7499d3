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

// TestForPlansWithoutInputs: exact without KeepInputs compares the plans
// but says EVPPI needs the draws; the formats agree on the plans.
func TestForPlansWithoutInputs(t *testing.T) {
	s := scenario.Meta2026Plans()
	res, err := s.Run(context.Background(), forecast.Options{Trials: 2000, Seed: 1})
	require.NoError(t, err)
	p, err := ForPlans(context.Background(), s, res)
	require.NoError(t, err)
	var b bytes.Buffer
	require.NoError(t, p.Write(&b, "table"))
	assert.Contains(t, b.String(), "EVPPI: EVPPI needs the input draws")
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
