package scenario

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mcforecast/mcforecast/distributions"
	"github.com/mcforecast/mcforecast/forecast"
)

func TestMeta2026ValidatesAndRuns(t *testing.T) {
	s := Meta2026()
	require.NoError(t, s.Validate())
	res, err := s.Run(context.Background(), forecast.Options{Trials: 20_000, Seed: 1})
	require.NoError(t, err)
	assert.Equal(t, 20_000, res.Trials())
	for _, name := range []string{OutRevenue, OutCapex, OutEnergyCost, OutDepreciation, OutOperatingIncome, OutFreeCashFlow, OutCapexRevenue} {
		ms := res.Series(name)
		require.Len(t, ms, 5, name)
		for _, m := range ms {
			assert.Zero(t, m.Invalid(), m.Label())
		}
	}
	for _, name := range []string{OutCumulativeFCF, OutNPV, OutNegativeYears, OutPayback} {
		m := res.Output(name)
		require.NotNil(t, m, name)
		assert.Zero(t, m.Invalid(), name)
	}
	// First-year capex is the guidance band, exactly.
	c1 := res.Series(OutCapex)[0]
	assert.GreaterOrEqual(t, c1.Min(), 115.0)
	assert.LessOrEqual(t, c1.Max(), 135.0)
	neg := res.Output(OutNegativeYears)
	assert.GreaterOrEqual(t, neg.Min(), 0.0)
	assert.LessOrEqual(t, neg.Max(), 5.0)
	// Payback: a year 1…5, or 6 when never within the horizon. A trial
	// whose five-year total is ≥ 0 has paid back by year 5, so "not paid
	// back" can only be as likely as a negative total.
	pb := res.Output(OutPayback)
	assert.GreaterOrEqual(t, pb.Min(), 1.0)
	assert.Equal(t, 6.0, pb.Max())
	assert.LessOrEqual(t, pb.ProbAbove(5), res.Output(OutCumulativeFCF).ProbBelow(0))
	assert.Greater(t, pb.ProbAbove(5), 0.0)
	assert.Equal(t, []int{2026, 2027, 2028, 2029, 2030}, s.Years())
}

// expect returns E[h(X)] for X ~ d by the midpoint rule over the quantile
// function: E[h(X)] = ∫₀¹ h(Q(u)) du. With 100 000 points the error for
// the smooth h used here (powers of 1+g, depreciation weights) is far below
// the Monte Carlo error the test allows (the tails beyond 1/(2n) hold
// mass 1e-5 and contribute well under 1e-4 relative). Quantile grids are
// cached per distribution.
func expect(d distributions.Dist, h func(x float64) float64) float64 {
	const n = 100_000
	q, ok := quantileGrids[d.String()]
	if !ok {
		q = make([]float64, n)
		for i := range q {
			q[i] = d.Quantile((float64(i) + 0.5) / n)
		}
		quantileGrids[d.String()] = q
	}
	sum := 0.0
	for _, x := range q {
		sum += h(x)
	}
	return sum / n
}

var quantileGrids = map[string][]float64{}

// TestClosedFormMean checks the engine and the equations together: the mean
// of the cumulative free cash flow of Meta2026, with its correlations and
// its revenue-growth persistence removed so that the inputs are
// independent, and without tax (the one non-linear term, τ·max(0, O_t),
// checked exactly in TestDeterministic), against the expectation computed
// here from the equations of the package documentation. The per-year means
// of operating income (which carries the depreciation) and free cash flow
// are checked too.
//
// With independent inputs, E[product] = product of E's, and each year's
// revenue growth is an independent draw, so E[R_t] = R₀·(1+E[g])^t. The
// energy price is an Ornstein–Uhlenbeck path, E[price_t] its closed form
// (processes.OU.Mean). The
// scalar growth rates enter as powers, E[(1+c)^k], and the depreciation
// life as w(a)/L and max(0, 1−t/L): those expectations are integrals over
// one input's quantile function (expect).
//
// Tolerance: 4 standard errors of the mean (Metric.StdErr), a 6e-5
// two-sided false-alarm rate per check for a correct model.
func TestClosedFormMean(t *testing.T) {
	s := Meta2026()
	s.Correlations = nil
	s.RevenueGrowthAutocorrelation = 0
	s.TaxRate = nil
	require.Equal(t, distributions.Constant{Value: 0}, s.CarbonPrice, "the closed form below has no carbon cost")
	const trials = 200_000
	res, err := s.Run(context.Background(), forecast.Options{Trials: trials, Seed: 7})
	require.NoError(t, err)

	id := func(x float64) float64 { return x }
	pow := func(k int) func(float64) float64 {
		return func(g float64) float64 { return math.Pow(1+g, float64(k)) }
	}
	mean := func(d distributions.Dist) float64 { return expect(d, id) }

	var (
		h     = s.Horizon
		eR0   = mean(s.Revenue)
		eG    = mean(s.RevenueGrowth)
		eC1   = mean(s.Capex)
		eM    = mean(s.OperatingMargin)
		eP1   = mean(s.PowerGW)
		ePUE  = mean(s.PUE)
		ePr   = s.EnergyPriceProcess.Mean // E[price_t], the OU's closed form
		ePPA  = mean(s.PPAPrice)
		eS1   = mean(s.RenewableShare)
		eDS   = mean(s.RenewableShareChange)
		eD0   = mean(s.PriorDepreciation)
		evSum = 0.0
	)
	// The integral agrees with the distributions' own means.
	assert.InDelta(t, s.RevenueGrowth.Mean(), eG, 1e-6)
	assert.InDelta(t, s.PowerGW.Mean(), eP1, 1e-4)
	for _, e := range s.Events {
		evSum += e.Probability * mean(e.Cost)
	}
	eCapex := func(v int) float64 { return eC1 * expect(s.CapexGrowth, pow(v-1)) } // E[C_v], v 1-based
	want := 0.0
	for tt := 1; tt <= h; tt++ {
		eR := eR0 * math.Pow(1+eG, float64(tt))
		// Effective price: the share stays inside [0, 1] for Meta2026
		// (1 + (t−1)·Δ with Δ in [−0.05, 0]), so no clamp, and it is linear.
		eShare := eS1 + float64(tt-1)*eDS
		eE := gwPriceToB * eP1 * expect(s.PowerGrowth, pow(tt-1)) * ePUE * (eShare*ePPA + (1-eShare)*ePr(float64(tt)))
		eD := eD0 * expect(s.DepreciationLife, func(L float64) float64 { return math.Max(0, 1-float64(tt)/L) })
		for v := 1; v <= tt; v++ {
			age := float64(tt - v)
			eD += eCapex(v) * expect(s.DepreciationLife, func(L float64) float64 { return math.Min(1, math.Max(0, L-age)) / L })
		}
		oi := res.Series(OutOperatingIncome)[tt-1]
		assert.InDelta(t, eR*eM-eE-eD, oi.Mean(), 4*oi.StdErr(), "operating income, year %d", tt)
		eF := eR*eM - eE - eCapex(tt) - evSum
		f := res.Series(OutFreeCashFlow)[tt-1]
		assert.InDelta(t, eF, f.Mean(), 4*f.StdErr(), "free cash flow, year %d", tt)
		want += eF
	}
	cum := res.Output(OutCumulativeFCF)
	t.Logf("cumulative FCF: closed form %.3f, simulated %.3f ± %.3f (1 s.e.)", want, cum.Mean(), cum.StdErr())
	assert.InDelta(t, want, cum.Mean(), 4*cum.StdErr())
}

// TestDeterministic checks every output of one trial with constant inputs
// against values worked out by hand from the equations.
func TestDeterministic(t *testing.T) {
	c := func(v float64) distributions.Dist { return distributions.Constant{Value: v} }
	s := &Scenario{
		Name: "hand", BaseYear: 2000, Horizon: 3,
		Capex: c(10), CapexGrowth: c(0.5),
		Revenue: c(100), RevenueGrowth: c(0.1),
		OperatingMargin: c(0.3), TaxRate: c(0.2),
		PowerGW: c(1), PowerGrowth: c(1), PUE: c(1.25), EnergyPrice: c(80),
		DepreciationLife: c(2.5), PriorDepreciation: c(5),
		DiscountRate: c(0.1),
		Events:       []Event{{Name: "e", Probability: 1, Cost: c(2)}},
	}
	res, err := s.Run(context.Background(), forecast.Options{Trials: 1, Seed: 1})
	require.NoError(t, err)
	// Year:            1        2        3
	// revenue          110      121      133.1
	// capex            10       15       22.5
	// energy = GW·1.25·80·8.76e-3 = GW·0.876; GW = 1, 2, 4
	energy := []float64{0.876, 1.752, 3.504}
	// depreciation, L = 2.5: w(0)=1, w(1)=1, w(2)=0.5, /2.5
	//   prior 5·max(0, 1 − t/2.5) = 3, 1, 0
	//   y1: 3 + 10/2.5 = 7
	//   y2: 1 + 10/2.5 + 15/2.5 = 11
	//   y3: 0 + 10·0.5/2.5 + 15/2.5 + 22.5/2.5 = 2 + 6 + 9 = 17
	dep := []float64{7, 11, 17}
	rev := []float64{110, 121, 133.1}
	capex := []float64{10, 15, 22.5}
	cum, npv, neg := 0.0, 0.0, 0.0
	payback := 4.0 // horizon + 1: not paid back
	for y := 0; y < 3; y++ {
		oi := rev[y]*0.3 - energy[y] - dep[y]
		fcf := rev[y]*0.3 - energy[y] - 0.2*math.Max(0, oi) - capex[y] - 2
		assert.InDelta(t, rev[y], res.Series(OutRevenue)[y].Mean(), 1e-9)
		assert.InDelta(t, capex[y], res.Series(OutCapex)[y].Mean(), 1e-9)
		assert.InDelta(t, energy[y], res.Series(OutEnergyCost)[y].Mean(), 1e-9)
		assert.InDelta(t, dep[y], res.Series(OutDepreciation)[y].Mean(), 1e-9)
		assert.InDelta(t, oi, res.Series(OutOperatingIncome)[y].Mean(), 1e-9)
		assert.InDelta(t, fcf, res.Series(OutFreeCashFlow)[y].Mean(), 1e-9)
		assert.InDelta(t, capex[y]/rev[y], res.Series(OutCapexRevenue)[y].Mean(), 1e-12)
		cum += fcf
		if cum >= 0 && payback == 4 {
			payback = float64(y + 1)
		}
		npv += fcf / math.Pow(1.1, float64(y+1))
		if fcf < 0 {
			neg++
		}
	}
	assert.InDelta(t, cum, res.Output(OutCumulativeFCF).Mean(), 1e-9)
	assert.InDelta(t, npv, res.Output(OutNPV).Mean(), 1e-9)
	assert.Equal(t, neg, res.Output(OutNegativeYears).Mean())
	assert.Equal(t, payback, res.Output(OutPayback).Mean())
	assert.Equal(t, 1.0, payback, "year 1's free cash flow is positive")
	// Year 1: 33 − 0.876 − 0.2·(33 − 0.876 − 7) − 10 − 2 = 15.0992
	assert.InDelta(t, 15.0992, res.Series(OutFreeCashFlow)[0].Mean(), 1e-9)
}

// TestEvalDoesNotAllocate runs the model at two sizes on one worker and
// checks that the extra trials cost (almost) no extra allocations: an Eval
// that allocated even once per trial would add 63 488.
func TestEvalDoesNotAllocate(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	requireEvalDoesNotAllocate(t, Meta2026())
}

// requireEvalDoesNotAllocate runs the model of s at 2 and 64 blocks on one
// worker and fails if the 62 extra blocks cost one allocation per 100
// trials or more: per-block bookkeeping of the engine may allocate a
// little, per trial nothing.
func requireEvalDoesNotAllocate(t *testing.T, s *Scenario) {
	t.Helper()
	m, err := s.Model()
	require.NoError(t, err)
	allocs := func(trials int) float64 {
		return testing.AllocsPerRun(2, func() {
			_, err := forecast.Run(context.Background(), m, forecast.Options{Trials: trials, Workers: 1, Seed: 1})
			if err != nil {
				panic(err)
			}
		})
	}
	small, large := allocs(2*forecast.BlockSize), allocs(64*forecast.BlockSize)
	t.Logf("allocations: %v for 2 blocks, %v for 64 blocks", small, large)
	require.Less(t, large-small, float64(62*forecast.BlockSize)/100)
}

func BenchmarkRunMeta2026(b *testing.B) {
	m, err := Meta2026().Model()
	require.NoError(b, err)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := forecast.Run(context.Background(), m, forecast.Options{Trials: 100_000, Seed: uint64(i)}); err != nil {
			b.Fatal(err)
		}
	}
}

func TestValidate(t *testing.T) {
	cases := []struct {
		name    string
		edit    func(s *Scenario)
		wantErr string // substring; "" means valid
	}{
		{"meta", func(s *Scenario) {}, ""},
		{"no name", func(s *Scenario) { s.Name = " " }, "name: missing"},
		{"horizon 0", func(s *Scenario) { s.Horizon = 0 }, "horizon: 0 years, want 1 to 100"},
		{"horizon 101", func(s *Scenario) { s.Horizon = 101 }, "horizon: 101 years"},
		{"horizon 100", func(s *Scenario) { s.Horizon = 100 }, ""},
		{"missing capex", func(s *Scenario) { s.Capex = nil }, "capex: missing"},
		{"optional tax", func(s *Scenario) { s.TaxRate = nil; s.PriorDepreciation = nil }, ""},
		{"inverted band", func(s *Scenario) { s.Capex = distributions.Uniform{Min: 135, Max: 115} }, "capex: uniform: min 135 > max 115"},
		{"negative volatility", func(s *Scenario) { s.RevenueGrowth = distributions.Normal{Mu: 0.2, Sigma: -0.06} }, "revenue_growth: normal: sigma -0.06"},
		{"pue below 1", func(s *Scenario) { s.PUE = distributions.Constant{Value: 0.9} }, "pue: 0.9: value 0.9 out of range, want ≥ 1"},
		{"pue tail below 1", func(s *Scenario) { s.PUE = distributions.Normal{Mu: 1.1, Sigma: 0.05} }, "pue: normal(1.1, 0.05): values from"},
		{"zero life", func(s *Scenario) { s.DepreciationLife = distributions.Constant{Value: 0} }, "depreciation_life: 0: value 0 out of range, want > 0"},
		{"margin above 1", func(s *Scenario) { s.OperatingMargin = distributions.Uniform{Min: 0.5, Max: 1.5} }, "operating_margin"},
		{"event probability", func(s *Scenario) { s.Events[0].Probability = 1.5 }, "events[0].probability: 1.5"},
		{"event name repeated", func(s *Scenario) { s.Events[1].Name = s.Events[0].Name }, "events[1].name"},
		{"event cost negative", func(s *Scenario) { s.Events[1].Cost = distributions.Constant{Value: -1} }, "events[1].cost"},
		{"bad rho", func(s *Scenario) { s.Correlations[0].Rho = 1.2 }, "correlations[0].rho: 1.2"},
		{"unknown input", func(s *Scenario) { s.Correlations[0].A = "capx" }, `correlations[0].a: unknown input "capx"`},
		{"self", func(s *Scenario) { s.Correlations[0].B = "capex growth" }, "correlates \"capex growth\" with itself"},
		{"event input", func(s *Scenario) { s.Correlations[0].B = "acquisition cost" }, ""},
		{"unset optional input", func(s *Scenario) { s.TaxRate = nil; s.Correlations[0].B = "tax_rate" }, "is not set"},
		{"bad method", func(s *Scenario) { s.Method = forecast.Method(7) }, "method"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := Meta2026()
			c.edit(s)
			err := s.Validate()
			if c.wantErr == "" {
				require.NoError(t, err)
				_, err = s.Model()
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.wantErr)
			_, merr := s.Model()
			assert.Error(t, merr)
		})
	}
	var s *Scenario
	assert.Error(t, s.Validate())
}

func TestInvalidParameterIsWrapped(t *testing.T) {
	s := Meta2026()
	s.Capex = distributions.Uniform{Min: 135, Max: 115}
	assert.True(t, errors.Is(s.Validate(), distributions.ErrInvalidParameter))
}

func TestRunMethod(t *testing.T) {
	s := Meta2026()
	s.Method = forecast.LatinHypercube
	res, err := s.Run(context.Background(), forecast.Options{Trials: 4096, Seed: 3})
	require.NoError(t, err)
	assert.Equal(t, forecast.LatinHypercube, res.Options().Method)
}

func TestEventsChangeCashFlow(t *testing.T) {
	// A certain $10B event every year lowers cumulative FCF by exactly
	// 10·H in every trial (same seed: the other draws are the same only if
	// the event's inputs come after them, which they do; the energy fields,
	// declared after the events, are left unset here).
	base := withoutEnergy(Meta2026())
	base.Events = nil
	base.Correlations = nil
	withEvent := withoutEnergy(Meta2026())
	withEvent.Correlations = nil
	withEvent.Events = []Event{{Name: "fixed", Probability: 1, Cost: distributions.Constant{Value: 10}}}
	opts := forecast.Options{Trials: 2048, Seed: 11}
	r1, err := base.Run(context.Background(), opts)
	require.NoError(t, err)
	r2, err := withEvent.Run(context.Background(), opts)
	require.NoError(t, err)
	assert.InDelta(t, r1.Output(OutCumulativeFCF).Mean()-50, r2.Output(OutCumulativeFCF).Mean(), 1e-9)
}

func TestResolve(t *testing.T) {
	s := Meta2026()
	for ref, want := range map[string]string{
		"capex":                  InCapex,
		"Capex_Growth":           InCapexGrowth,
		"revenue growth":         InRevenueGrowth,
		"first-year capex":       InCapex,
		"acquisition_cost":       "acquisition cost",
		"regulatory fine occurs": "regulatory fine occurs",
	} {
		got, err := s.resolve(ref)
		require.NoError(t, err, ref)
		assert.Equal(t, want, got, ref)
	}
	_, err := s.resolve("nope")
	require.Error(t, err)
	assert.True(t, strings.Contains(err.Error(), "capex_growth"), err.Error())
}

// withoutEnergy returns s with every energy and emissions field unset.
func withoutEnergy(s *Scenario) *Scenario {
	for i := range fields {
		if fields[i].late {
			*fields[i].get(s) = nil
		}
	}
	s.CarbonBasis = MarketBased
	return s
}
