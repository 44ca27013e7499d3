package scenario

import (
	"bytes"
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mcforecast/mcforecast/distributions"
	"github.com/mcforecast/mcforecast/forecast"
	"github.com/mcforecast/mcforecast/processes"
)

// plainScenario is Meta2026 with every distribution replaced by its median
// (a constant), no events, correlations, autocorrelation or process, no
// renewable contracts, and a constant energy price of 80: the tests below
// make one or two inputs uncertain and check what the equations imply.
func plainScenario() *Scenario {
	s := Meta2026()
	for i := range fields {
		f := &fields[i]
		if d := *f.get(s); d != nil {
			*f.get(s) = distributions.Constant{Value: d.Quantile(0.5)}
		}
		if f.proc != nil {
			*f.proc(s) = nil
		}
		if f.autocorr != nil {
			*f.autocorr(s) = 0
		}
	}
	s.EnergyPrice = distributions.Constant{Value: 80}
	s.RenewableShare, s.RenewableShareChange, s.PPAPrice = nil, nil, nil
	s.Events, s.Correlations, s.Copula = nil, nil, Copula{}
	return s
}

// TestRicherKeysRoundTrip: WriteYAML writes the process fields, the
// autocorrelation and the copula, and Load reads them back into the same
// scenario, which runs to the same numbers.
func TestRicherKeysRoundTrip(t *testing.T) {
	a := Meta2026()
	a.EnergyPrice, a.EnergyPriceProcess = nil, processes.OU{Start: 81, LongRunMean: 75, Reversion: 0.5, Volatility: 10}
	a.RevenueGrowthAutocorrelation = 0.45
	a.Copula = Copula{Nu: 4}
	b := Meta2026()
	b.RevenueGrowth, b.RevenueGrowthProcess = nil, processes.OU{Start: 0.22, LongRunMean: 0.18, Reversion: 0.7, Volatility: 0.05}
	b.RevenueGrowthAutocorrelation = 0
	b.EnergyPrice, b.EnergyPriceProcess = nil, processes.GBM{Start: 80, Drift: 0.02, Volatility: 0.1}
	for _, want := range []*Scenario{a, b} {
		require.NoError(t, want.Validate())
		var buf bytes.Buffer
		require.NoError(t, want.WriteYAML(&buf))
		text := buf.String()
		got, err := Load(&buf)
		require.NoError(t, err, text)
		assertSameScenario(t, want, got)
		opts := forecast.Options{Trials: 2048, Seed: 3}
		r1, err := want.Run(context.Background(), opts)
		require.NoError(t, err)
		r2, err := got.Run(context.Background(), opts)
		require.NoError(t, err)
		assert.Equal(t, r1.Output(OutNPV).Values(), r2.Output(OutNPV).Values())
	}
	var buf bytes.Buffer
	require.NoError(t, a.WriteYAML(&buf))
	for _, line := range []string{"\nenergy_price: ou(start=81, mean=75, reversion=0.5, volatility=10)\n",
		"\nrevenue_growth_autocorrelation: 0.45\n", "\ncopula: t(4)\n"} {
		assert.Contains(t, buf.String(), line)
	}
	// A scenario without them writes none of their keys.
	buf.Reset()
	require.NoError(t, plainScenario().WriteYAML(&buf))
	for _, line := range strings.Split(buf.String(), "\n") {
		if strings.HasPrefix(line, "#") {
			continue
		}
		for _, key := range []string{"copula", "autocorrelation", "ou(", "gbm("} {
			assert.NotContains(t, line, key)
		}
	}
}

// TestRicherLoadErrors: every bad value of the new keys is an error naming
// the file, the line and the key, and the expected form.
func TestRicherLoadErrors(t *testing.T) {
	cases := []struct {
		lines []string // replace the line of each key, or append it
		at    int      // index in lines of the line the error names
		want  string
	}{
		{[]string{"energy_price: ou(start=80, mean=75, reversion=0.5)"}, 0,
			`energy_price: parse "ou(start=80, mean=75, reversion=0.5)": position 35: missing volatility (ou takes start, mean, reversion, volatility); processes are written`},
		{[]string{"energy_price: ou(start=80, mean=75, reversion=-1, volatility=5)"}, 0,
			"energy_price: ou: reversion -1 must be ≥ 0"},
		{[]string{"energy_price: gbm(start=0, drift=0.02, volatility=0.1)"}, 0,
			"energy_price: gbm: start 0 must be > 0"},
		{[]string{"energy_price: ou(start=80, mean=75, reversion=0.5, volatility=15)"}, 0,
			"energy_price: ou(start=80, mean=75, reversion=0.5, volatility=15): year 2 values from -6.819 to 160.5 (quantiles 1e-09 and 1−1e-09) reach outside ≥ 0; lower the volatility, or use gbm(start, drift, volatility), which stays positive"},
		{[]string{"energy_price: brownian(1, 2)"}, 0, `energy_price: parse "brownian(1, 2)"`},
		{[]string{"capex: ou(start=120, mean=120, reversion=1, volatility=5)"}, 0,
			"capex: a process is not allowed here (only revenue_growth and energy_price may be a process)"},
		{[]string{"revenue_growth_autocorrelation: 1"}, 0,
			"revenue_growth_autocorrelation: 1, want a lag-1 rank correlation in (-1, 1) (0: independent years)"},
		{[]string{"revenue_growth_autocorrelation: -1.5"}, 0, "revenue_growth_autocorrelation: -1.5, want a lag-1 rank correlation in (-1, 1)"},
		{[]string{"revenue_growth_autocorrelation: strong"}, 0, `revenue_growth_autocorrelation: want a number, got "strong"`},
		{[]string{"revenue_growth_autocorrelation: 0.5", "revenue_growth: ou(start=0.2, mean=0.2, reversion=1, volatility=0.05)"}, 0,
			"revenue_growth_autocorrelation: 0.5, but revenue_growth is a process (ou(start=0.2, mean=0.2, reversion=1, volatility=0.05)), whose path has its own persistence: set one or the other"},
		{[]string{"revenue_growth_autocorrelation: 0.5", "horizon: 1"}, 0, "revenue_growth_autocorrelation: 0.5, but a horizon of 1 year has no consecutive years"},
		{[]string{"copula: t(2)"}, 0, `copula: "t(2)": degrees of freedom 2, want a finite number > 2`},
		{[]string{"copula: t(four)"}, 0, `copula: "t(four)": degrees of freedom "four" are not a number; want gaussian, t(NU) or student(NU)`},
		{[]string{"copula: clayton(2)"}, 0, `copula: "clayton(2)", want gaussian, t(NU) or student(NU) with NU > 2 degrees of freedom, e.g. t(4)`},
		{[]string{"copula: [t, 4]"}, 0, `copula: want a single value, got a list`},
	}
	dir := t.TempDir()
	for i, c := range cases {
		lines := strings.Split(metaYAML(t), "\n")
		at := -1
		for k, l := range c.lines {
			key := l[:strings.Index(l, ":")+1]
			n := -1
			for j, have := range lines {
				if strings.HasPrefix(have, key) {
					n = j
				}
			}
			if n < 0 {
				lines = append(lines[:len(lines)-1], l, "")
				n = len(lines) - 2
			} else {
				lines[n] = l
			}
			if k == c.at {
				at = n
			}
		}
		path := filepath.Join(dir, "s"+strconv.Itoa(i)+".yaml")
		require.NoError(t, os.WriteFile(path, []byte(strings.Join(lines, "\n")), 0o600))
		_, err := LoadFile(path)
		require.Error(t, err, c.lines)
		var fe *FileError
		require.True(t, errors.As(err, &fe), "%v", err)
		assert.True(t, strings.HasPrefix(err.Error(), path+":"+strconv.Itoa(at+1)+": "+c.want), "%s\ngot  %v", c.lines, err)
	}
}

// TestRicherPlanErrors: a plan cannot replace a process field by a
// distribution, nor set a process.
func TestRicherPlanErrors(t *testing.T) {
	s := Meta2026Plans()
	s.EnergyPrice, s.EnergyPriceProcess = nil, processes.OU{Start: 80, LongRunMean: 80, Reversion: 0.5, Volatility: 10}
	s.Plans[1].Set["energy_price"] = distributions.Constant{Value: 70}
	err := s.Validate()
	require.Error(t, err)
	assert.Contains(t, err.Error(), "plans[1].energy_price: the scenario's energy_price is a process (a yearly path), which a plan cannot replace")

	src := "name: p\nbase_year: 2025\nhorizon: 3\ncapex: 100\ncapex_growth: 0\nrevenue: 200\nrevenue_growth: 0.1\n" +
		"operating_margin: 0.5\npower_gw: 3\npower_growth: 0.1\npue: 1.1\ndepreciation_life: 6\ndiscount_rate: 0.09\n"
	for _, c := range []struct{ price, plan, want string }{
		{"ou(80, 80, 0.5, 10)", "energy_price: 70", "line 18: plans[1].energy_price: the scenario's energy_price is a process"},
		{"80", "energy_price: ou(80, 80, 0.5, 10)", "line 18: plans[1].energy_price: a plan cannot set a process"},
	} {
		file := src + "energy_price: " + c.price + "\nplans:\n  - name: a\n  - name: b\n    " + c.plan + "\n"
		_, err := Load(strings.NewReader(file))
		require.Error(t, err, file)
		assert.True(t, strings.HasPrefix(err.Error(), c.want), "got %v", err)
	}
}

// TestRicherValidate: the Go API gets the same checks as the file, each
// naming the field.
func TestRicherValidate(t *testing.T) {
	cases := []struct {
		name   string
		modify func(*Scenario)
		want   string
	}{
		{"both", func(s *Scenario) {
			s.EnergyPrice, s.EnergyPriceProcess = distributions.Constant{Value: 80}, processes.OU{Start: 80, LongRunMean: 80, Reversion: 1, Volatility: 5}
		}, "energy_price: both a distribution (80) and a process (ou(start=80, mean=80, reversion=1, volatility=5)): set one"},
		{"bad process", func(s *Scenario) {
			s.RevenueGrowth, s.RevenueGrowthProcess = nil, processes.OU{Start: 0.2, LongRunMean: math.NaN(), Reversion: 1, Volatility: 0.05}
		}, "revenue_growth: ou: mean NaN must be finite"},
		{"growth below -1", func(s *Scenario) {
			s.RevenueGrowth, s.RevenueGrowthProcess, s.RevenueGrowthAutocorrelation = nil, processes.OU{Start: 0.2, LongRunMean: 0.2, Reversion: 0.5, Volatility: 0.5}, 0
		}, "revenue_growth: ou(start=0.2, mean=0.2, reversion=0.5, volatility=0.5): year 1 values from"},
		{"autocorrelation", func(s *Scenario) { s.RevenueGrowthAutocorrelation = math.NaN() }, "revenue_growth_autocorrelation: NaN, want a lag-1 rank correlation"},
		{"copula", func(s *Scenario) { s.Copula = Copula{Nu: 1.5} }, "copula: degrees of freedom 1.5, want a finite number > 2"},
		{"copula inf", func(s *Scenario) { s.Copula = Copula{Nu: math.Inf(1)} }, "copula: degrees of freedom +Inf"},
		{"missing", func(s *Scenario) { s.EnergyPrice, s.EnergyPriceProcess = nil, nil }, "energy_price: missing"},
	}
	for _, c := range cases {
		s := Meta2026()
		c.modify(s)
		err := s.Validate()
		require.Error(t, err, c.name)
		assert.Contains(t, err.Error(), c.want, c.name)
		_, err = s.Model()
		assert.Error(t, err, c.name)
	}
	s := Meta2026()
	s.RevenueGrowth, s.RevenueGrowthProcess, s.RevenueGrowthAutocorrelation = nil, processes.OU{Start: 0.2, LongRunMean: 0.2, Reversion: 0.5, Volatility: math.Inf(1)}, 0
	assert.ErrorIs(t, s.Validate(), processes.ErrInvalidParameter)
}

func TestParseCopula(t *testing.T) {
	for _, c := range []struct {
		in   string
		want Copula
	}{{"gaussian", Copula{}}, {" Normal ", Copula{}}, {"t(4)", Copula{Nu: 4}}, {"T( 2.5 )", Copula{Nu: 2.5}},
		{"student(30)", Copula{Nu: 30}}, {"t(nu=6)", Copula{Nu: 6}}} {
		got, err := ParseCopula(c.in)
		require.NoError(t, err, c.in)
		assert.Equal(t, c.want, got, c.in)
		back, err := ParseCopula(got.String())
		require.NoError(t, err)
		assert.Equal(t, got, back)
	}
	for _, bad := range []string{"", "t", "t()", "t(1)", "t(-3)", "t(inf)", "t(nan)", "t(4", "clayton", "gumbel(2)"} {
		_, err := ParseCopula(bad)
		assert.Error(t, err, bad)
	}
}

// TestEnergyPricePath: with every other input constant and no contracts,
// the energy price is the OU path: the effective price of year t has the
// OU's mean and variance, and the energy cost's mean is
// E[X_t] · P_t · PUE · 8.76e-3, each within 5 standard errors (the mean's
// σ/√N; the variance's σ²·√(2/(N−1)), the normal sample variance's),
// under Monte Carlo and Latin hypercube sampling.
func TestEnergyPricePath(t *testing.T) {
	const n = 100_000
	ou := processes.OU{Start: 95, LongRunMean: 75, Reversion: 0.5, Volatility: 10}
	for _, method := range []forecast.Method{forecast.MonteCarlo, forecast.LatinHypercube} {
		s := plainScenario()
		s.EnergyPrice, s.EnergyPriceProcess = nil, ou
		res, err := s.Run(context.Background(), forecast.Options{Trials: n, Seed: 11, Method: method})
		require.NoError(t, err)
		p1 := s.PowerGW.Quantile(0.5)
		pg := s.PowerGrowth.Quantile(0.5)
		pue := s.PUE.Quantile(0.5)
		for y := 0; y < s.Horizon; y++ {
			tt := float64(y + 1)
			mean, sd := ou.Mean(tt), math.Sqrt(ou.Variance(tt))
			price := res.Series(OutEnergyPriceEff)[y]
			assert.InDelta(t, mean, price.Mean(), 5*sd/math.Sqrt(n), "%v price mean, year %d", method, y+1)
			v := price.StdDev() * price.StdDev()
			assert.InDelta(t, sd*sd, v, 5*sd*sd*math.Sqrt(2.0/(n-1)), "%v price variance, year %d", method, y+1)
			k := p1 * math.Pow(1+pg, tt-1) * pue * 8.76e-3
			cost := res.Series(OutEnergyCost)[y]
			assert.InDelta(t, mean*k, cost.Mean(), 5*sd*k/math.Sqrt(n), "%v energy cost mean, year %d", method, y+1)
		}
	}
	// Without contracts the PPA price follows the grid's path; with them,
	// the blend uses the year's grid price.
	s := plainScenario()
	s.EnergyPrice, s.EnergyPriceProcess = nil, ou
	s.RenewableShare, s.PPAPrice = distributions.Constant{Value: 0.25}, distributions.Constant{Value: 60}
	res, err := s.Run(context.Background(), forecast.Options{Trials: n, Seed: 11})
	require.NoError(t, err)
	for y := 0; y < s.Horizon; y++ {
		mean, sd := ou.Mean(float64(y+1)), math.Sqrt(ou.Variance(float64(y+1)))
		assert.InDelta(t, 0.25*60+0.75*mean, res.Series(OutEnergyPriceEff)[y].Mean(), 5*0.75*sd/math.Sqrt(n), "blend, year %d", y+1)
	}
}

// TestRevenueGrowthProcess: revenue growth as an OU path: R_t = R_0·∏(1+g_s)
// with g the path, so the growth recovered from revenue has the OU's
// yearly mean within 5 standard errors.
func TestRevenueGrowthProcess(t *testing.T) {
	const n = 50_000
	ou := processes.OU{Start: 0.3, LongRunMean: 0.15, Reversion: 0.6, Volatility: 0.05}
	s := plainScenario()
	s.RevenueGrowth, s.RevenueGrowthProcess = nil, ou
	res, err := s.Run(context.Background(), forecast.Options{Trials: n, Seed: 5})
	require.NoError(t, err)
	g := growthPaths(s, res)
	for y := range g {
		mean, sd := ou.Mean(float64(y+1)), math.Sqrt(ou.Variance(float64(y+1)))
		assert.InDelta(t, mean, meanOf(g[y]), 5*sd/math.Sqrt(n), "year %d", y+1)
	}
}

// growthPaths recovers each year's revenue growth of every trial from the
// revenue series: g_t = R_t/R_{t−1} − 1 (R_0 constant in plainScenario).
func growthPaths(s *Scenario, res *forecast.Result) [][]float64 {
	r0 := s.Revenue.Quantile(0.5)
	rev := res.Series(OutRevenue)
	g := make([][]float64, len(rev))
	prev := make([]float64, res.Trials())
	for i := range prev {
		prev[i] = r0
	}
	for y, m := range rev {
		v := m.Values()
		g[y] = make([]float64, len(v))
		for i := range v {
			g[y][i] = v[i]/prev[i] - 1
		}
		prev = v
	}
	return g
}

func meanOf(x []float64) float64 {
	s := 0.0
	for _, v := range x {
		s += v
	}
	return s / float64(len(x))
}

// rankOf returns the ranks (1 … n) of x.
func rankOf(x []float64) []float64 {
	idx := make([]int, len(x))
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool { return x[idx[a]] < x[idx[b]] })
	r := make([]float64, len(x))
	for k, i := range idx {
		r[i] = float64(k + 1)
	}
	return r
}

// spearmanOf is the Pearson correlation of the ranks (no ties here).
func spearmanOf(a, b []float64) float64 {
	ra, rb := rankOf(a), rankOf(b)
	n := float64(len(a))
	m := (n + 1) / 2
	var sab, saa, sbb float64
	for i := range ra {
		da, db := ra[i]-m, rb[i]-m
		sab += da * db
		saa += da * da
		sbb += db * db
	}
	return sab / math.Sqrt(saa*sbb)
}

// spearmanSE is the standard error of a sample Spearman coefficient near
// rho from n pairs: var(atanh r_s) ≈ 1.06/(n−3) (Fieller, Hartley and
// Pearson 1957), through the delta method.
func spearmanSE(rho float64, n int) float64 {
	return (1 - rho*rho) * math.Sqrt(1.06/float64(n-3))
}

// TestRevenueGrowthAutocorrelationAchieved: revenue_growth_autocorrelation
// makes consecutive years' growth rank-correlated at the requested value
// (within 5 standard errors, and within the 0.02), years two apart
// at the AR(1)'s 6/π·asin(r²/2) with r = 2·sin(π·ρ/6), and leaves each
// year's normal marginal (mean and standard deviation within 5 SE), under
// Monte Carlo and Latin hypercube sampling; combined with a correlation.
func TestRevenueGrowthAutocorrelationAchieved(t *testing.T) {
	const n = 100_000
	const rho = 0.5
	r := 2 * math.Sin(math.Pi*rho/6)
	lag2 := 6 / math.Pi * math.Asin(r*r/2)
	for _, method := range []forecast.Method{forecast.MonteCarlo, forecast.LatinHypercube} {
		s := plainScenario()
		s.RevenueGrowth = distributions.Normal{Mu: 0.2, Sigma: 0.06}
		s.RevenueGrowthAutocorrelation = rho
		s.CapexGrowth = distributions.Normal{Mu: 0.1, Sigma: 0.1}
		s.Correlations = []Correlation{{A: "capex_growth", B: "revenue_growth", Rho: 0.15}}
		res, err := s.Run(context.Background(), forecast.Options{Trials: n, Seed: 9, Method: method})
		require.NoError(t, err)
		g := growthPaths(s, res)
		for y := 0; y+1 < len(g); y++ {
			got := spearmanOf(g[y], g[y+1])
			tol := min(5*spearmanSE(rho, n), 0.02)
			assert.InDelta(t, rho, got, tol, "%v lag 1, years %d–%d", method, y+1, y+2)
			if y+2 < len(g) {
				assert.InDelta(t, lag2, spearmanOf(g[y], g[y+2]), 5*spearmanSE(lag2, n), "%v lag 2, years %d–%d", method, y+1, y+3)
			}
		}
		for y := range g {
			m := meanOf(g[y])
			assert.InDelta(t, 0.2, m, 5*0.06/math.Sqrt(n), "%v mean, year %d", method, y+1)
			v := 0.0
			for _, x := range g[y] {
				v += (x - m) * (x - m)
			}
			v /= n - 1
			assert.InDelta(t, 0.06*0.06, v, 5*0.06*0.06*math.Sqrt(2.0/(n-1)), "%v variance, year %d", method, y+1)
		}
		c := res.Correlations()
		require.NotNil(t, c)
		assert.Len(t, c.Names, 6, "capex growth and the five years of revenue growth")
	}
}

// TestCopulaKeySwitches: copula: t(3) makes joint extremes of two
// correlated inputs more frequent than the Gaussian copula does at the
// same Spearman coefficient: P(U > 0.99 | V > 0.99) is higher by more than
// 5 standard errors of the two binomial estimates (as in forecast's
// TestStudentCopulaTailDependence). The inputs are capex growth and power
// growth, read through the year-2 capex and energy, each increasing in one
// of them.
func TestCopulaKeySwitches(t *testing.T) {
	const n = 200_000
	cond := func(c Copula) (p, se, rs float64) {
		s := plainScenario()
		s.CapexGrowth = distributions.Normal{Mu: 0.1, Sigma: 0.1}
		s.PowerGrowth = distributions.Normal{Mu: 0.35, Sigma: 0.12}
		s.Correlations = []Correlation{{A: "capex_growth", B: "power_growth", Rho: 0.7}}
		s.Copula = c
		res, err := s.Run(context.Background(), forecast.Options{Trials: n, Seed: 23})
		require.NoError(t, err)
		u, v := res.Series(OutCapex)[1].Values(), res.Series(OutEnergy)[1].Values()
		ru, rv := rankOf(u), rankOf(v)
		var nv, both float64
		for i := range ru {
			if rv[i] > 0.99*n {
				nv++
				if ru[i] > 0.99*n {
					both++
				}
			}
		}
		p = both / nv
		return p, math.Sqrt(p * (1 - p) / nv), spearmanOf(u, v)
	}
	pt, set, rst := cond(Copula{Nu: 3})
	pg, seg, rsg := cond(Copula{})
	t.Logf("P(U>0.99 | V>0.99) at ρs = 0.7: t(3) %.4f ± %.4f (ρs %.4f), Gaussian %.4f ± %.4f (ρs %.4f)", pt, set, rst, pg, seg, rsg)
	assert.Greater(t, pt-pg, 5*math.Hypot(set, seg))
	assert.InDelta(t, 0.7, rst, 0.02)
	assert.InDelta(t, 0.7, rsg, 0.02)
}

// TestCheckCorrelationsAutocorrelation: an autocorrelation that cannot
// coexist with the correlations is named, with its file line, among the
// fixes; repair_correlations runs it.
func TestCheckCorrelationsAutocorrelation(t *testing.T) {
	src := "name: c\nbase_year: 2025\nhorizon: 5\ncapex: 100\ncapex_growth: normal(0.1, 0.1)\nrevenue: 200\n" +
		"revenue_growth: normal(0.2, 0.06)\nrevenue_growth_autocorrelation: -0.9\noperating_margin: 0.5\n" +
		"power_gw: 3\npower_growth: 0.1\npue: 1.1\nenergy_price: 80\ndepreciation_life: 6\ndiscount_rate: 0.09\n" +
		"correlations:\n  - {a: capex_growth, b: revenue_growth, rho: 0.6}\n"
	s, err := Load(strings.NewReader(src))
	require.NoError(t, err)
	err = s.CheckCorrelations()
	var ce *CorrelationError
	require.True(t, errors.As(err, &ce), "%v", err)
	var keys []string
	for _, f := range ce.Fixes {
		keys = append(keys, f.Key)
		if f.Key != "" {
			assert.Equal(t, 8, f.Line)
			assert.Equal(t, -1, f.Index)
			assert.Equal(t, -0.9, f.Rho)
			assert.Greater(t, f.Nearest, -0.9)
		}
	}
	assert.Contains(t, keys, "revenue_growth_autocorrelation")
	assert.Contains(t, err.Error(), "revenue_growth–revenue_growth")
	_, err = s.Run(context.Background(), forecast.Options{Trials: 100, Seed: 1})
	require.Error(t, err)
	s.RepairCorrelations = true
	require.NoError(t, s.CheckCorrelations())
	res, err := s.Run(context.Background(), forecast.Options{Trials: 100, Seed: 1})
	require.NoError(t, err)
	assert.True(t, res.Correlations().Repaired)
}

// TestRicherBitIdenticalWorkers: a scenario with a process, an
// autocorrelation and a t copula gives the same numbers on 1 and 4
// workers.
func TestRicherBitIdenticalWorkers(t *testing.T) {
	s := Meta2026()
	s.Copula = Copula{Nu: 5}
	s.RevenueGrowthAutocorrelation = 0.4
	s.EnergyPrice, s.EnergyPriceProcess = nil, processes.OU{Start: 81, LongRunMean: 81, Reversion: 0.5, Volatility: 10}
	var vals [][]float64
	for _, w := range []int{1, 4} {
		res, err := s.Run(context.Background(), forecast.Options{Trials: 10_000, Seed: 2, Workers: w})
		require.NoError(t, err)
		vals = append(vals, res.Output(OutCumulativeFCF).Values())
	}
	assert.Equal(t, vals[0], vals[1])
}

// TestWithoutDependence: the copy has no correlations, autocorrelation or
// t copula, and s keeps its own.
func TestWithoutDependence(t *testing.T) {
	s := Meta2026()
	s.Copula = Copula{Nu: 4}
	c := s.WithoutDependence()
	assert.Empty(t, c.Correlations)
	assert.Zero(t, c.RevenueGrowthAutocorrelation)
	assert.Equal(t, Copula{}, c.Copula)
	assert.NotEmpty(t, s.Correlations)
	assert.Equal(t, 0.5, s.RevenueGrowthAutocorrelation)
	assert.Equal(t, Copula{Nu: 4}, s.Copula)
	res, err := c.Run(context.Background(), forecast.Options{Trials: 100, Seed: 1})
	require.NoError(t, err)
	assert.Nil(t, res.Correlations())
}

// BenchmarkRicher runs the built-in scenario as it was before the richer
// keys (a single-draw price, independent years), as it is, and with a t
// copula: the ratios are the cost of the price path and persistence, and
// of the t copula.
func BenchmarkRicher(b *testing.B) {
	before := Meta2026()
	before.RevenueGrowthAutocorrelation = 0
	before.EnergyPrice, before.EnergyPriceProcess = distributions.CI90(50, 110), nil
	before.Correlations[2].Rho = 0.25
	t4 := Meta2026()
	t4.Copula = Copula{Nu: 4}
	for _, c := range []struct {
		name string
		s    *Scenario
	}{{"before", before}, {"meta2026", Meta2026()}, {"t4", t4}} {
		m, err := c.s.Model()
		require.NoError(b, err)
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				_, err := forecast.Run(context.Background(), m, forecast.Options{Trials: 20_000, Seed: 1, Workers: 1})
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
