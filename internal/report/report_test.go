package report

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mcforecast/mcforecast/forecast"
	"github.com/mcforecast/mcforecast/scenario"
)

func TestGroupThousands(t *testing.T) {
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 1000000: "1,000,000", 20000: "20,000"} {
		assert.Equal(t, want, groupThousands(n))
	}
}

// TestFmtHalf: half-widths use the value's decimals, so a column's widths
// line up (no ±0.05 beside ±0.1).
func TestFmtHalf(t *testing.T) {
	assert.Equal(t, "±0.3", fmtHalf(0.31, 1))
	assert.Equal(t, "±0.0", fmtHalf(0.012, 1))
	assert.Equal(t, "±0.012", fmtHalf(0.012, 3))
	assert.Equal(t, "±0.0", fmtHalf(0, 1))
	assert.Equal(t, "±?", fmtHalf(nan(), 1))
}

func nan() float64 { z := 0.0; return z / z }

// TestReportFollowsOutputTable: every output of scenario.Outputs appears
// with -all, with its unit, in the table and the JSON; without all only the
// Default ones.
func TestReportFollowsOutputTable(t *testing.T) {
	s := scenario.Meta2026()
	res, err := s.Run(context.Background(), forecast.Options{Trials: 2048, Seed: 1, KeepInputs: true})
	require.NoError(t, err)
	var all, brief, js bytes.Buffer
	require.NoError(t, ForScenario(s, res, []float64{0.5}, true).WriteTable(&all))
	require.NoError(t, ForScenario(s, res, []float64{0.5}, false).WriteTable(&brief))
	require.NoError(t, ForScenario(s, res, []float64{0.5}, true).WriteJSON(&js))
	for _, o := range scenario.Outputs() {
		label := o.Name
		if o.Series {
			label += " 2030"
		}
		line := ""
		for _, l := range strings.Split(all.String(), "\n") {
			if strings.HasPrefix(strings.TrimSpace(l), label+" ") {
				line = l
			}
		}
		require.NotEmpty(t, line, label)
		assert.Contains(t, line, " "+o.Unit+" ", label)
		assert.Equal(t, o.Default, strings.Contains(brief.String(), "  "+label+" "), label)
		assert.Contains(t, js.String(), `"`+o.Name+`": {`)
	}
}

// TestReportCancelled: a done context stops the report before its
// statistics and sensitivities.
func TestReportCancelled(t *testing.T) {
	s := scenario.Meta2026()
	res, err := s.Run(context.Background(), forecast.Options{Trials: 2048, Seed: 1, KeepInputs: true})
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r, err := ForScenarioContext(ctx, s, res, []float64{0.5}, true)
	assert.Nil(t, r)
	assert.True(t, errors.Is(err, context.Canceled), "%v", err)
}

func TestParsePercentiles(t *testing.T) {
	ps, err := ParsePercentiles("5, 50,95")
	assert.NoError(t, err)
	assert.Equal(t, []float64{0.05, 0.5, 0.95}, ps)
	for _, bad := range []string{"", "x", "0", "100", "5,,95", "-1"} {
		_, err := ParsePercentiles(bad)
		assert.Error(t, err, bad)
	}
	assert.Contains(t, Version("mcforecast"), "mcforecast ")
}
