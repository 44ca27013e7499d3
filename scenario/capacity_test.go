package scenario

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mcforecast/mcforecast/distributions"
	"github.com/mcforecast/mcforecast/forecast"
)

// TestCapacityByHand checks the capacity equation on constant inputs, by
// hand: revenue 100 growing 20 %/yr (demand 120, 144, 172.8), capex 50 a
// year, prior depreciation 10, margin 0.3, no power, no tax, κ₁ = 1 rising
// 50 %/yr (κ = 1, 1.5, 2.25).
//
// Life 2: capex in service 50 + 2·10·(1 − 1/2) = 60, then 50 + 50 = 100
// (the prior base retired), then 100 (year 1's capex retired); capacity
// 60, 150, 225; revenue min(demand, capacity) = 60, 144, 172.8.
//
// Life 2.5: in service 50 + 2.5·10·(1 − 0.4) = 65, then 100 + 2.5·10·0.2 =
// 105, then 0.5·50 + 50 + 50 = 125 (year 1's capex in its fractional last
// year); capacity 65, 157.5, 281.25; revenue 65, 144, 172.8.
func TestCapacityByHand(t *testing.T) {
	c := func(v float64) distributions.Dist { return distributions.Constant{Value: v} }
	for _, tc := range []struct {
		life    float64
		revenue []float64
	}{
		{2, []float64{60, 144, 172.8}},
		{2.5, []float64{65, 144, 172.8}},
	} {
		s := &Scenario{
			Name: "capacity", BaseYear: 2025, Horizon: 3,
			Capex: c(50), CapexGrowth: c(0), Revenue: c(100), RevenueGrowth: c(0.2),
			OperatingMargin: c(0.3), PowerGW: c(0), PowerGrowth: c(0), PUE: c(1),
			EnergyPrice: c(0), DepreciationLife: c(tc.life), PriorDepreciation: c(10), DiscountRate: c(0),
			RevenuePerCapex: c(1), RevenuePerCapexChange: c(0.5),
		}
		res, err := s.Run(context.Background(), forecast.Options{Trials: 1, Seed: 1})
		require.NoError(t, err)
		cum := 0.0
		for y, want := range tc.revenue {
			require.InDelta(t, want, res.Series(OutRevenue)[y].Mean(), 1e-9, "life %v, year %d", tc.life, y+1)
			fcf := 0.3*want - 50 // no energy, tax or events
			require.InDelta(t, fcf, res.Series(OutFreeCashFlow)[y].Mean(), 1e-9, "life %v, year %d", tc.life, y+1)
			cum += fcf
		}
		require.InDelta(t, cum, res.Output(OutCumulativeFCF).Mean(), 1e-9)
	}
}

// TestCapacityNeverBinding: a capacity no demand reaches (κ = 1e12) leaves
// every output of the built-in scenario bit for bit as without it: min
// returns the demand itself, and the late input draws from its own stream.
func TestCapacityNeverBinding(t *testing.T) {
	opts := forecast.Options{Trials: 3000, Seed: 4}
	want, err := Meta2026().Run(context.Background(), opts)
	require.NoError(t, err)
	s := Meta2026()
	s.RevenuePerCapex = distributions.Constant{Value: 1e12}
	got, err := s.Run(context.Background(), opts)
	require.NoError(t, err)
	for _, m := range want.Metrics() {
		g := got.Output(m.Label())
		if g == nil {
			continue // a series: checked below
		}
		require.Equal(t, m.Mean(), g.Mean(), m.Label())
		require.Equal(t, m.Percentiles(0.05, 0.5, 0.95), g.Percentiles(0.05, 0.5, 0.95), m.Label())
	}
	for _, o := range []string{OutRevenue, OutFreeCashFlow, OutCapexRevenue} {
		for y, m := range want.Series(o) {
			require.Equal(t, m.Mean(), got.Series(o)[y].Mean(), "%s, year %d", o, y+1)
		}
	}
}

// TestCapacityFields: the keys are optional, range-checked, written by
// WriteYAML and read back, and a change without the capacity it changes is
// an error naming both keys.
func TestCapacityFields(t *testing.T) {
	s := Meta2026()
	s.RevenuePerCapex = distributions.Uniform{Min: 1.2, Max: 1.8}
	s.RevenuePerCapexChange = distributions.Normal{Mu: -0.1, Sigma: 0.05}
	var b bytes.Buffer
	require.NoError(t, s.WriteYAML(&b))
	require.Contains(t, b.String(), "revenue_per_capex: uniform(1.2, 1.8)")
	got, err := Load(&b)
	require.NoError(t, err)
	require.Equal(t, s.RevenuePerCapex.String(), got.RevenuePerCapex.String())
	require.Equal(t, s.RevenuePerCapexChange.String(), got.RevenuePerCapexChange.String())

	var plain bytes.Buffer
	require.NoError(t, Meta2026().WriteYAML(&plain))
	require.NotContains(t, plain.String(), "revenue_per_capex", "unset, the keys are left out")

	for _, c := range []struct{ name, text, want string }{
		{"zero", "revenue_per_capex: 0\n", "revenue_per_capex: 0: value 0 out of range, want > 0"},
		{"change below -1", "revenue_per_capex: 1\nrevenue_per_capex_change: -1\n", "revenue_per_capex_change: -1: value -1 out of range, want > -1"},
		{"change alone", "revenue_per_capex_change: -0.1\n", "revenue_per_capex_change: set without revenue_per_capex"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Load(strings.NewReader(plain.String() + c.text))
			require.ErrorContains(t, err, c.want)
		})
	}
	s = Meta2026()
	s.RevenuePerCapexChange = distributions.Constant{Value: -0.1}
	require.ErrorContains(t, s.Validate(), "revenue_per_capex_change: set without revenue_per_capex, the capacity it changes")
}
