package scenario

import (
	"bytes"
	"context"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mcforecast/mcforecast/distributions"
	"github.com/mcforecast/mcforecast/forecast"
)

// handEnergy is the scenario of TestEnergyByHand: every input constant.
func handEnergy() *Scenario {
	c := func(v float64) distributions.Dist { return distributions.Constant{Value: v} }
	return &Scenario{
		Name: "energy by hand", BaseYear: 2000, Horizon: 3,
		Capex: c(10), CapexGrowth: c(0),
		Revenue: c(100), RevenueGrowth: c(0),
		OperatingMargin: c(0.3), TaxRate: c(0.2),
		PowerGW: c(2), PowerGrowth: c(0.5), PUE: c(1.25), EnergyPrice: c(80),
		DepreciationLife: c(4), DiscountRate: c(0),
		RenewableShare: c(0.6), RenewableShareChange: c(0.3),
		PPAPrice:            c(50),
		GridCarbonIntensity: c(0.4), GridIntensityChange: c(-0.5),
		CarbonPrice: c(100), CarbonPriceGrowth: c(1),
		HeatRecovery: c(0.1), HeatPrice: c(20),
	}
}

// TestEnergyByHand checks every energy and emissions output of one trial
// with constant inputs against values worked out here from the equations.
func TestEnergyByHand(t *testing.T) {
	// Year:                        1                2                3
	// power P_t, GW                2                3                4.5
	// energy = P·1.25·8.76 TWh     21.9             32.85            49.275
	// share = min(1, 0.6+0.3(t−1)) 0.6              0.9              1 (clamped from 1.2)
	// price = s·50 + (1−s)·80      62               53               50
	// energy cost = TWh·price/1e3  1.3578           1.74105          2.46375
	// intensity 0.4·0.5^(t−1)      0.4              0.2              0.1
	// location = TWh·intensity     8.76             6.57             4.9275
	// market = (1−s)·location      3.504            0.657            0
	// carbon price 100·2^(t−1)     100              200              400
	// carbon cost (market) Mt·$/1e3 0.3504          0.1314           0
	// heat = TWh·0.1·20/1e3        0.0438           0.0657           0.09855
	twh := []float64{21.9, 32.85, 49.275}
	price := []float64{62, 53, 50}
	cost := []float64{1.3578, 1.74105, 2.46375}
	loc := []float64{8.76, 6.57, 4.9275}
	mkt := []float64{3.504, 0.657, 0}
	carbon := []float64{0.3504, 0.1314, 0}
	heat := []float64{0.0438, 0.0657, 0.09855}
	// depreciation: 10/4 per vintage: 2.5, 5, 7.5
	dep := []float64{2.5, 5, 7.5}

	for _, basis := range []CarbonBasis{MarketBased, LocationBased} {
		s := handEnergy()
		s.CarbonBasis = basis
		res, err := s.Run(context.Background(), forecast.Options{Trials: 1, Seed: 1})
		require.NoError(t, err)
		// Location basis: carbon = location Mt · price / 1e3 = 0.876, 1.314, 1.971.
		wantCarbon := carbon
		if basis == LocationBased {
			wantCarbon = []float64{0.876, 1.314, 1.971}
		}
		sum := func(x []float64) float64 { return x[0] + x[1] + x[2] }
		cum := 0.0
		for y := 0; y < 3; y++ {
			at := func(name string) float64 { return res.Series(name)[y].Mean() }
			assert.InDelta(t, twh[y], at(OutEnergy), 1e-9, "energy %d", y)
			assert.InDelta(t, price[y], at(OutEnergyPriceEff), 1e-9, "price %d", y)
			assert.InDelta(t, cost[y], at(OutEnergyCost), 1e-9, "energy cost %d", y)
			assert.InDelta(t, loc[y], at(OutLocationEmissions), 1e-9, "location %d", y)
			assert.InDelta(t, mkt[y], at(OutMarketEmissions), 1e-9, "market %d", y)
			assert.InDelta(t, wantCarbon[y], at(OutCarbonCost), 1e-9, "carbon %v %d", basis, y)
			// operating income = 30 − energy cost − dep − carbon + heat;
			// fcf = 30 − energy cost − 0.2·max(0, oi) − 10 − carbon + heat.
			oi := 30 - cost[y] - dep[y] - wantCarbon[y] + heat[y]
			fcf := 30 - cost[y] - 0.2*oi - 10 - wantCarbon[y] + heat[y]
			assert.InDelta(t, oi, at(OutOperatingIncome), 1e-9, "operating income %d", y)
			assert.InDelta(t, fcf, at(OutFreeCashFlow), 1e-9, "fcf %d", y)
			cum += fcf
		}
		assert.InDelta(t, sum(twh), res.Output(OutEnergyTotal).Mean(), 1e-9)
		assert.InDelta(t, sum(loc), res.Output(OutLocationEmissionsTotal).Mean(), 1e-9)
		assert.InDelta(t, sum(mkt), res.Output(OutMarketEmissionsTotal).Mean(), 1e-9)
		assert.InDelta(t, sum(wantCarbon), res.Output(OutCarbonCostTotal).Mean(), 1e-9)
		assert.InDelta(t, cum, res.Output(OutCumulativeFCF).Mean(), 1e-9)
	}
	// Year 1, market basis, written out: oi = 30 − 1.3578 − 2.5 − 0.3504 +
	// 0.0438 = 25.8356; fcf = 30 − 1.3578 − 5.16712 − 10 − 0.3504 + 0.0438 =
	// 13.16848.
	res, err := handEnergy().Run(context.Background(), forecast.Options{Trials: 1, Seed: 1})
	require.NoError(t, err)
	assert.InDelta(t, 13.16848, res.Series(OutFreeCashFlow)[0].Mean(), 1e-9)
}

// TestFullRenewableShare: with every unit of energy from PPAs,
// market-based emissions are 0 in every trial and location-based ones are
// those without PPAs, draw for draw.
func TestFullRenewableShare(t *testing.T) {
	opts := forecast.Options{Trials: 4096, Seed: 9}
	full := Meta2026()
	full.RenewableShare = distributions.Constant{Value: 1}
	full.RenewableShareChange = distributions.Constant{Value: 0}
	none := Meta2026()
	none.RenewableShare = distributions.Constant{Value: 0}
	none.RenewableShareChange = distributions.Constant{Value: 0}
	rf, err := full.Run(context.Background(), opts)
	require.NoError(t, err)
	rn, err := none.Run(context.Background(), opts)
	require.NoError(t, err)
	for y, m := range rf.Series(OutMarketEmissions) {
		assert.Equal(t, 0.0, m.Min(), "year %d", y+1)
		assert.Equal(t, 0.0, m.Max(), "year %d", y+1)
		assert.Equal(t, rn.Series(OutLocationEmissions)[y].Values(), rf.Series(OutLocationEmissions)[y].Values())
		assert.Equal(t, rn.Series(OutLocationEmissions)[y].Values(), rn.Series(OutMarketEmissions)[y].Values())
	}
	assert.Equal(t, 0.0, rf.Output(OutMarketEmissionsTotal).Max())
	assert.Greater(t, rf.Output(OutLocationEmissionsTotal).Min(), 0.0)
}

// TestZeroCarbonPriceLeavesCashFlow: a carbon price of 0 (on either
// basis) gives free cash flow bit-identical to no carbon price at all.
func TestZeroCarbonPriceLeavesCashFlow(t *testing.T) {
	opts := forecast.Options{Trials: 4096, Seed: 4}
	without := Meta2026()
	without.CarbonPrice = nil
	res0, err := without.Run(context.Background(), opts)
	require.NoError(t, err)
	for _, basis := range []CarbonBasis{MarketBased, LocationBased} {
		s := Meta2026()
		s.CarbonPrice = distributions.Constant{Value: 0}
		s.CarbonPriceGrowth = distributions.Normal{Mu: 0.05, Sigma: 0.02}
		s.CarbonBasis = basis
		res, err := s.Run(context.Background(), opts)
		require.NoError(t, err)
		for y := range res.Series(OutFreeCashFlow) {
			assert.Equal(t, res0.Series(OutFreeCashFlow)[y].Values(), res.Series(OutFreeCashFlow)[y].Values(), "%v, year %d", basis, y+1)
		}
		assert.Equal(t, res0.Output(OutNPV).Values(), res.Output(OutNPV).Values())
		assert.Equal(t, 0.0, res.Output(OutCarbonCostTotal).Max())
	}
	// And a positive price lowers it by exactly the carbon cost after tax
	// (or more where it turns operating income negative): never raises it.
	priced := Meta2026()
	priced.CarbonPrice = distributions.Constant{Value: 100}
	priced.CarbonBasis = LocationBased
	res, err := priced.Run(context.Background(), opts)
	require.NoError(t, err)
	assert.Less(t, res.Output(OutCumulativeFCF).Mean(), res0.Output(OutCumulativeFCF).Mean())
	assert.Greater(t, res.Output(OutCarbonCostTotal).Min(), 0.0)
}

// TestEnergyKeysRoundTrip: WriteYAML writes every energy key and Load reads
// them back into the same scenario, location basis included.
func TestEnergyKeysRoundTrip(t *testing.T) {
	want := handEnergy()
	want.CarbonBasis = LocationBased
	want.RepairCorrelations = true
	var b bytes.Buffer
	require.NoError(t, want.WriteYAML(&b))
	for _, key := range []string{"renewable_share:", "renewable_share_change:", "ppa_price:", "grid_carbon_intensity:",
		"grid_intensity_change:", "carbon_price:", "carbon_price_growth:", "carbon_basis: location", "heat_recovery:", "heat_price:", "repair_correlations: true"} {
		assert.Contains(t, b.String(), "\n"+key)
	}
	got, err := Load(&b)
	require.NoError(t, err)
	assertSameScenario(t, want, got)
	assert.Equal(t, LocationBased, got.CarbonBasis)
	assert.True(t, got.RepairCorrelations)
}

// TestEnergyLoadErrors: bad energy values are errors naming the file, the
// line and the key.
func TestEnergyLoadErrors(t *testing.T) {
	cases := []struct{ line, want string }{
		{"renewable_share: 1.2", "renewable_share: 1.2: value 1.2 out of range, want a value in [0, 1]"},
		{"renewable_share: -0.1", "renewable_share: -0.1: value -0.1 out of range, want a value in [0, 1]"},
		{"renewable_share: uniform(0.5, 1.5)", "renewable_share: uniform(0.5, 1.5): values from"},
		{"grid_carbon_intensity: -0.4", "grid_carbon_intensity: -0.4: value -0.4 out of range, want ≥ 0"},
		{"ppa_price: -50", "ppa_price: -50: value -50 out of range, want ≥ 0"},
		{"carbon_price: -1", "carbon_price: -1: value -1 out of range, want ≥ 0"},
		{"heat_price: -20", "heat_price: -20: value -20 out of range, want ≥ 0"},
		{"heat_recovery: 2", "heat_recovery: 2: value 2 out of range, want a value in [0, 1]"},
		{"carbon_basis: both", `carbon_basis: "both", want market or location`},
		{"repair_correlations: maybe", `repair_correlations: want true or false, got "maybe"`},
	}
	dir := t.TempDir()
	for i, c := range cases {
		src := metaYAML(t)
		lines := strings.Split(src, "\n")
		// Replace the key's line when the file has it, else add it at the end.
		key := c.line[:strings.Index(c.line, ":")+1]
		n := -1
		for j, l := range lines {
			if strings.HasPrefix(l, key) {
				n = j
			}
		}
		if n < 0 {
			lines = append(lines[:len(lines)-1], c.line, "")
			n = len(lines) - 2
		} else {
			lines[n] = c.line
		}
		path := filepath.Join(dir, "s"+strconv.Itoa(i)+".yaml")
		require.NoError(t, os.WriteFile(path, []byte(strings.Join(lines, "\n")), 0o600))
		_, err := LoadFile(path)
		require.Error(t, err, c.line)
		assert.True(t, strings.HasPrefix(err.Error(), path+":"+strconv.Itoa(n+1)+": "+c.want), "%s\ngot  %v", c.line, err)
	}
}

// TestMeta2026Energy checks the built-in scenario's energy against its
// calibration: 2023's 14.98 TWh grown at 35 %/yr is 1.58·1.35³ ≈ 3.9 GW of
// IT draw in 2026, ≈ 36.5 TWh of facility energy at PUE 1.08 — the median
// of the 2026 energy must be near it (within the PUE band, 1.06–1.15, and
// the sampling error, far smaller at 20 000 trials).
func TestMeta2026Energy(t *testing.T) {
	res, err := Meta2026().Run(context.Background(), forecast.Options{Trials: 20_000, Seed: 1})
	require.NoError(t, err)
	e26 := res.Series(OutEnergy)[0].Percentile(0.5)
	want := 14.975435 / 1.08 * 1.35 * 1.35 * 1.35 * 1.08 // TWh, at the fleet PUE
	t.Logf("2026 energy: median %.1f TWh; calibration %.1f TWh", e26, want)
	assert.InDelta(t, want, e26, want*0.08)
	// Fully matched by PPAs in 2026: no market-based emissions that year.
	assert.Equal(t, 0.0, res.Series(OutMarketEmissions)[0].Max())
	assert.Greater(t, res.Series(OutLocationEmissions)[0].Mean(), 0.0)
}

// TestCheckCorrelations: the built-in scenario's correlations fit
// together; at horizon 100 (capex growth correlated with each of 100 years
// of revenue growth) they do not, and the error is short, names the file's
// keys and lines and the values to use, and repair_correlations accepts it.
func TestCheckCorrelations(t *testing.T) {
	require.NoError(t, Meta2026().CheckCorrelations())
	src := strings.Replace(metaYAML(t), "\nhorizon: 5\n", "\nhorizon: 100\n", 1)
	path := filepath.Join(t.TempDir(), "long.yaml")
	require.NoError(t, os.WriteFile(path, []byte(src), 0o600))
	s, err := LoadFile(path)
	require.NoError(t, err)
	err = s.CheckCorrelations()
	var ce *CorrelationError
	require.ErrorAs(t, err, &ce)
	msg := err.Error()
	t.Log(msg)
	assert.Less(t, len(msg), 600)
	assert.True(t, strings.HasPrefix(msg, path+":"), msg)
	assert.Contains(t, msg, "capex_growth–revenue_growth")
	assert.Contains(t, msg, "repair_correlations: true")
	assert.NotContains(t, msg, "revenue growth [")
	// The most changed pair is first, and its nearest value is looser.
	f := ce.Fixes[0]
	assert.Less(t, math.Abs(f.Nearest), math.Abs(f.Rho))
	lines := strings.Split(src, "\n")
	assert.Contains(t, lines[f.Line-1], "a: "+f.A)

	s.RepairCorrelations = true
	require.NoError(t, s.CheckCorrelations())
	res, err := s.Run(context.Background(), forecast.Options{Trials: 100, Seed: 1})
	require.NoError(t, err)
	assert.True(t, res.Correlations().Repaired)
}
