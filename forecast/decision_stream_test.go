package forecast

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/stat"

	"github.com/mcforecast/mcforecast/internal/sketch"
)

// The closed form of xOrZero streamed: EVPI = φ(0), P(best) = ½ each, EVPPI
// of x (from the sensitivity sample) = φ(0).
func TestDecisionStreamingClosedForm(t *testing.T) {
	m, _ := xOrZero()
	const n = 200_000
	res := mustRun(t, m, Options{Trials: n, Seed: 1, Streaming: true})
	v, se, err := res.EVPI("y")
	require.NoError(t, err)
	t.Logf("streaming EVPI %.5f ± %.5f (truth %.5f)", v, se, phi0)
	require.InDelta(t, phi0, v, 5*se)
	// The regret of choosing x (or 0) is max(−x, 0) (or max(x, 0)), of
	// standard deviation √(½ − φ(0)²) = 0.58383: the standard error is that
	// of n trials.
	require.InDelta(t, 0.58383/math.Sqrt(n), se, 0.05*se)
	p, pse, err := res.ProbBest("y")
	require.NoError(t, err)
	require.InDelta(t, 0.5, p[0], 5*pse[0])
	require.InDelta(t, 0.5/math.Sqrt(n), pse[0], 1e-5)
	require.InDelta(t, 1, p[0]+p[1], 1e-12)
	info, err := res.EVPPI("y")
	require.NoError(t, err)
	require.Len(t, info, 1)
	t.Logf("EVPPI(x) from the sample %.5f ± %.5f", info[0].Value, info[0].StdErr)
	require.InDelta(t, phi0, info[0].Value, 5*info[0].StdErr+0.005)
	// The sample's size: its standard error is that of 2¹⁶ trials, not n.
	require.Greater(t, info[0].StdErr, 1.5*se)

	// The difference x − 0 is x itself.
	d, err := res.Difference("y", "x", "zero")
	require.NoError(t, err)
	y := res.Output("y")
	require.Equal(t, y.Mean(), d.Mean())
	require.Equal(t, y.StdDev(), d.StdDev())
	require.Equal(t, y.Percentiles(0.05, 0.5, 0.95), d.Percentiles(0.05, 0.5, 0.95))
}

// Without a decision, streaming compares go against no-go on the
// sensitivity sample: y = a + b gives EVPI = √2·φ(0), EVPPI(a) = φ(0).
func TestEVPIGoNoGoStreaming(t *testing.T) {
	m := NewModel()
	a := m.Input("a", unitNormal)
	b := m.Input("b", unitNormal)
	y := m.Output("y")
	m.Eval(func(t *Trial) { t.Set(y, t.Value(a)+t.Value(b)) })
	res := mustRun(t, m, Options{Trials: 300_000, Seed: 2, Streaming: true})
	v, se, err := res.EVPI("y")
	require.NoError(t, err)
	t.Logf("EVPI %.5f ± %.5f (truth %.5f)", v, se, math.Sqrt2*phi0)
	require.InDelta(t, math.Sqrt2*phi0, v, 5*se)
	// From the sample: the regret max(∓y, 0), y ~ N(0, 2), has standard
	// deviation √2·0.58383 = 0.82566, over 2¹⁶ trials, not 300 000.
	require.InDelta(t, 0.82566/math.Sqrt(SensitivitySample), se, 0.05*se)
	p, pse, err := res.ProbBest("y")
	require.NoError(t, err)
	require.InDelta(t, 0.5, p[0], 5*pse[0])
	info, err := res.EVPPI("y")
	require.NoError(t, err)
	require.Len(t, info, 2)
	for _, in := range info {
		require.InDelta(t, phi0, in.Value, 5*in.StdErr+0.005, in.Input)
	}
	_, err = res.Difference("y", "go", "no-go")
	require.ErrorContains(t, err, "no decisions")
}

// Streaming gives the statistics exact mode gives where they are exact
// sums of the same per-trial values (means, standard deviations, ProbBest
// without ties), percentiles within the sketch's accuracy, and an EVPI that
// differs by sampling error only (other halves).
func TestDecisionStreamingMatchesExact(t *testing.T) {
	m, _, _, _ := capexModel()
	o := Options{Trials: 20*BlockSize + 77, Seed: 6, Method: LatinHypercube}
	ex := mustRun(t, m, o)
	o.Streaming = true
	st := mustRun(t, m, o)
	choices := ex.Choices()
	require.Equal(t, choices, st.Choices())
	for _, a := range choices {
		for _, b := range choices {
			de, err := ex.Difference("npv", a, b)
			require.NoError(t, err)
			ds, err := st.Difference("npv", a, b)
			require.NoError(t, err)
			require.Equal(t, de.Name(), ds.Name())
			require.Equal(t, de.Count(), ds.Count())
			require.Equal(t, math.Float64bits(de.Mean()), math.Float64bits(ds.Mean()), "%s − %s", a, b)
			require.Equal(t, math.Float64bits(de.StdDev()), math.Float64bits(ds.StdDev()), "%s − %s", a, b)
			require.Equal(t, [2]float64{de.Min(), de.Max()}, [2]float64{ds.Min(), ds.Max()})
			qe, qs := de.Percentiles(0.05, 0.5, 0.95), ds.Percentiles(0.05, 0.5, 0.95)
			for i := range qe {
				require.InDelta(t, qe[i], qs[i], 2*SketchAccuracy*math.Abs(qe[i])+1e-9, "%s − %s", a, b)
			}
			require.InDelta(t, de.ProbAbove(0), ds.ProbAbove(0), 0.002)
		}
	}
	pe, see, err := ex.ProbBest("npv")
	require.NoError(t, err)
	ps, ses, err := st.ProbBest("npv")
	require.NoError(t, err)
	require.InDeltaSlice(t, pe, ps, 0x1p-53)
	require.InDeltaSlice(t, see, ses, 1e-12)
	ve, sev, err := ex.EVPI("npv")
	require.NoError(t, err)
	vs, ses2, err := st.EVPI("npv")
	require.NoError(t, err)
	t.Logf("EVPI exact %.4f ± %.4f, streaming %.4f ± %.4f", ve, sev, vs, ses2)
	require.InDelta(t, ve, vs, 4*math.Hypot(sev, ses2))
	require.InDelta(t, sev, ses2, 0.1*sev)
	// EVPPI: exact without KeepInputs and streaming read the same sample.
	ie, err := ex.EVPPI("npv")
	require.NoError(t, err)
	is, err := st.EVPPI("npv")
	require.NoError(t, err)
	require.Equal(t, ie, is)
}

// The derived values are not outputs: not in Outputs, Metrics or
// Warnings, and nowhere under any choice.
func TestDecisionStreamingHidden(t *testing.T) {
	m, _, _, _ := capexModel()
	m.OutputSeries("years", 2) // never set: a warning per choice
	res := mustRun(t, m, Options{Trials: 3000, Seed: 7, Streaming: true})
	for _, c := range res.Choices() {
		u, err := res.Under(c)
		require.NoError(t, err)
		require.Equal(t, []string{"npv", "capex used", "years"}, u.Outputs())
		require.Len(t, u.Metrics(), 4)
		require.Len(t, u.Warnings(), 1, "%q", u.Warnings())
	}
	require.Equal(t, []string{"npv", "capex used", "years"}, m.OutputNames())
}

// Results of a streaming run with decisions are bit-identical for any
// number of workers and through SimulateBlocks and Merge, under every
// method and with a correlation: every choice's statistics, differences,
// P(best), EVPI and EVPPI.
func TestDecisionStreamingBitIdentical(t *testing.T) {
	m, _, capex, demand := capexModel()
	m.Correlate(capex, demand, 0.4)
	for _, method := range []Method{MonteCarlo, LatinHypercube, QuasiMonteCarlo} {
		t.Run(method.String(), func(t *testing.T) {
			base := Options{Trials: 5*BlockSize + 100, Seed: 5, Streaming: true, Method: method}
			ref := acrossWorkers(t, func() *Model { return m }, base, sameStreamedDecisions)
			var parts []*Partial
			for _, r := range [][2]int{{0, 2}, {2, 3}, {5, 1}} {
				pt, err := SimulateBlocks(context.Background(), m, base, r[0], r[1])
				require.NoError(t, err)
				parts = append(parts, pt)
			}
			merged, err := Merge(m, base, parts)
			require.NoError(t, err)
			sameStreamedDecisions(t, ref, merged)
			// Merged partials too: two, then the third.
			ab, err := MergePartials(parts[0], parts[1])
			require.NoError(t, err)
			merged, err = Merge(m, base, []*Partial{parts[2], ab})
			require.NoError(t, err)
			sameStreamedDecisions(t, ref, merged)
		})
	}
}

// sameStreamedDecisions requires a and b to agree to the bit on what a
// streaming run with decisions reports.
func sameStreamedDecisions(t *testing.T, a, b *Result) {
	t.Helper()
	require.Equal(t, a.Choices(), b.Choices())
	qs := []float64{0.01, 0.05, 0.5, 0.95, 0.99}
	same := func(x, y *Metric, what string) {
		t.Helper()
		require.Equal(t, x.Count(), y.Count(), what)
		require.Equal(t, math.Float64bits(x.Mean()), math.Float64bits(y.Mean()), what)
		require.Equal(t, math.Float64bits(x.StdDev()), math.Float64bits(y.StdDev()), what)
		require.Equal(t, x.Percentiles(qs...), y.Percentiles(qs...), what)
	}
	for _, c := range a.Choices() {
		ua, err := a.Under(c)
		require.NoError(t, err)
		ub, err := b.Under(c)
		require.NoError(t, err)
		for _, o := range ua.Outputs() {
			same(ua.Output(o), ub.Output(o), o+" under "+c)
		}
		for _, d := range a.Choices() {
			da, err := a.Difference("npv", c, d)
			require.NoError(t, err)
			db, err := b.Difference("npv", c, d)
			require.NoError(t, err)
			same(da, db, da.Name())
		}
	}
	for _, o := range []string{"npv", "capex used"} {
		pa, sa, err := a.ProbBest(o)
		require.NoError(t, err)
		pb, sb, err := b.ProbBest(o)
		require.NoError(t, err)
		require.Equal(t, pa, pb)
		require.Equal(t, sa, sb)
		va, ea, err := a.EVPI(o)
		require.NoError(t, err)
		vb, eb, err := b.EVPI(o)
		require.NoError(t, err)
		require.Equal(t, [2]float64{va, ea}, [2]float64{vb, eb})
	}
	ia, err := a.EVPPI("npv")
	require.NoError(t, err)
	ib, err := b.EVPPI("npv")
	require.NoError(t, err)
	require.Equal(t, ia, ib)
}

// A trial invalid under one choice is left out of P(best) and EVPI for
// every choice, and is invalid in the differences with that choice, as in
// exact mode.
func TestDecisionStreamingInvalidTrials(t *testing.T) {
	m := NewModel()
	d := m.Decision("plan", "a", "b", "c")
	x := m.Input("x", unitNormal)
	y := m.Output("y")
	m.Eval(func(t *Trial) {
		v := t.Value(x)
		switch t.Choice(d) {
		case "b":
			if t.Index()%10 == 3 {
				v = math.NaN()
			} else {
				v = -v
			}
		case "c":
			v = 0.3 // ties with nothing: a continuous x never equals 0.3
		}
		t.Set(y, v)
	})
	o := Options{Trials: 4 * BlockSize, Seed: 8}
	ex := mustRun(t, m, o)
	o.Streaming = true
	st := mustRun(t, m, o)
	pe, see, err := ex.ProbBest("y")
	require.NoError(t, err)
	ps, ses, err := st.ProbBest("y")
	require.NoError(t, err)
	require.InDeltaSlice(t, pe, ps, 0x1p-53)
	require.InDeltaSlice(t, see, ses, 1e-12)
	de, err := ex.Difference("y", "a", "b")
	require.NoError(t, err)
	ds, err := st.Difference("y", "a", "b")
	require.NoError(t, err)
	require.Equal(t, de.Invalid(), ds.Invalid())
	require.Equal(t, o.Trials/10+1, ds.Invalid())
	require.Equal(t, de.Mean(), ds.Mean())
	ve, sev, err := ex.EVPI("y")
	require.NoError(t, err)
	vs, ses2, err := st.EVPI("y")
	require.NoError(t, err)
	require.InDelta(t, ve, vs, 4*math.Hypot(sev, ses2))
}

// The sketch of the negated values: negated(s) is the sketch that adding
// every −v builds, to the byte, whatever the values' signs and spread.
func TestNegatedSketch(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	cases := map[string][]float64{
		"one":       {2.5},
		"two equal": {-1, -1},
		"zeros":     {0, 0, 1, -1, 5e-310},
		"normals":   nil,
		"wide":      nil,
	}
	for range 10000 {
		cases["normals"] = append(cases["normals"], r.NormFloat64())
		cases["wide"] = append(cases["wide"], math.Copysign(math.Exp(40*r.NormFloat64()), r.Float64()-0.3))
	}
	for name, vs := range cases {
		s, want := sketch.New(), sketch.New()
		for _, v := range vs {
			s.Add(v)
			want.Add(-v)
		}
		got := negated(s)
		wb, _ := want.MarshalBinary()
		gb, _ := got.MarshalBinary()
		assert.Equal(t, wb, gb, name)
		assert.Equal(t, want.Min(), got.Min(), name)
		assert.Equal(t, want.Max(), got.Max(), name)
	}
	require.Zero(t, negated(sketch.New()).Count())
}

// Precision stops a streaming run with decisions on the choices' outputs
// alone (the derived values, such as 0/1 scores, have no precise
// percentiles), at the same trial for any number of workers.
func TestDecisionPrecisionStreaming(t *testing.T) {
	m, _, _, _ := capexModel()
	o := Options{Trials: 200 * BlockSize, Seed: 10, Precision: 0.05, Streaming: true}
	a := mustRun(t, m, o)
	o.Workers = 3
	b := mustRun(t, m, o)
	require.Less(t, a.Trials(), 200*BlockSize)
	sameStreamedDecisions(t, a, b)
	t.Logf("stopped at %d trials", a.Trials())
}

// Streaming adds the derived values to the same allocation-free trial.
func TestDecisionStreamingAllocationFree(t *testing.T) {
	m, _, _, _ := capexModel()
	p, err := newPlan(m.forRun(), Options{Trials: 8 * BlockSize, Streaming: true}.withDefaults())
	require.NoError(t, err)
	require.Equal(t, 3*2+2*12, p.m.nOut) // 3 choices × 2 outputs, 12 derived per output
	w := p.newWorker()
	require.NoError(t, p.simulate(w, 0))
	allocs := testing.AllocsPerRun(10, func() {
		if err := p.simulate(w, 3); err != nil {
			t.Fatal(err)
		}
	})
	assert.Zero(t, allocs)
}

// The memory estimate counts every choice and, streaming, the derived
// values.
func TestDecisionMemoryEstimate(t *testing.T) {
	m, _, _, _ := capexModel()
	single := NewModel()
	single.Input("capex", unitNormal)
	single.Input("demand", unitNormal)
	single.Output("npv")
	single.Output("capex used")
	single.Eval(func(*Trial) {})
	for _, streaming := range []bool{false, true} {
		o := Options{Trials: 1 << 20, Workers: 2, Streaming: streaming}
		one, err := EstimateMemory(single, o)
		require.NoError(t, err)
		three, err := EstimateMemory(m, o)
		require.NoError(t, err)
		t.Logf("streaming %v: %d bytes single, %d with 3 choices", streaming, one, three)
		require.Greater(t, three, 2*one)
	}
	require.True(t, slices.Equal(m.OutputNames(), []string{"npv", "capex used"}))
}

// Compare limits the streamed comparisons to the outputs it names: the
// others are errors that say so, and exact runs compare every output.
func TestDecisionCompare(t *testing.T) {
	m, _, _, _ := capexModel()
	m.Compare("npv")
	o := Options{Trials: 3000, Seed: 12, Streaming: true}
	res := mustRun(t, m, o)
	p, err := newPlan(m.forRun(), o.withDefaults())
	require.NoError(t, err)
	require.Equal(t, 3*2+12, p.m.nOut, "12 derived values, for npv alone")
	_, err = res.Difference("npv", "pause", "guided")
	require.NoError(t, err)
	_, _, err = res.EVPI("npv")
	require.NoError(t, err)
	_, err = res.Difference("capex used", "pause", "guided")
	require.ErrorContains(t, err, `Difference("capex used"): the streaming run did not compare this output (Model.Compare named "npv")`)
	_, _, err = res.ProbBest("capex used")
	require.ErrorContains(t, err, `ProbBest("capex used")`)
	_, _, err = res.EVPI("capex used")
	require.ErrorContains(t, err, "Model.Compare")
	// EVPPI reads the sample, which holds every output.
	_, err = res.EVPPI("capex used")
	require.NoError(t, err)
	o.Streaming = false
	ex := mustRun(t, m, o)
	_, err = ex.Difference("capex used", "pause", "guided")
	require.NoError(t, err)

	m.Compare()
	res = mustRun(t, m, Options{Trials: 3000, Seed: 12, Streaming: true})
	_, err = res.Difference("npv", "pause", "guided")
	require.ErrorContains(t, err, "Model.Compare named none")

	for _, bad := range []struct{ name, want string }{
		{"nope", `Compare("nope"): no output of that name declared`},
		{"path", `Compare("path"): output is a series of 2 years`},
	} {
		m, _, _, _ := capexModel()
		m.OutputSeries("path", 2)
		m.Compare(bad.name)
		require.ErrorContains(t, m.Validate(), bad.want)
	}
}

// A plan that adds 1 to every trial: streamed, its difference has mean 1
// and standard deviation 0 to rounding, and every percentile is 1 within
// the sketch's accuracy; the reverse difference is its mirror.
func TestDecisionStreamingDifferenceOfShift(t *testing.T) {
	m := NewModel()
	d := m.Decision("plan", "base", "plus one")
	x := m.Input("x", unitNormal)
	y := m.Output("y")
	m.Eval(func(t *Trial) {
		v := t.Value(x)
		if t.Choice(d) == "plus one" {
			v++
		}
		t.Set(y, v)
	})
	res := mustRun(t, m, Options{Trials: 10_000, Seed: 3, Streaming: true})
	diff, err := res.Difference("y", "plus one", "base")
	require.NoError(t, err)
	require.Equal(t, "y (plus one − base)", diff.Name())
	require.InDelta(t, 1, diff.Mean(), 1e-14)
	require.InDelta(t, 0, diff.StdDev(), 1e-14)
	for _, q := range diff.Percentiles(0, 0.05, 0.5, 0.95, 1) {
		require.InDelta(t, 1, q, SketchAccuracy)
	}
	rev, err := res.Difference("y", "base", "plus one")
	require.NoError(t, err)
	require.Equal(t, -diff.Mean(), rev.Mean())
	require.Equal(t, diff.StdDev(), rev.StdDev())
	require.Equal(t, [2]float64{-diff.Max(), -diff.Min()}, [2]float64{rev.Min(), rev.Max()})
	require.Equal(t, -diff.Percentile(0.95), rev.Percentile(0.05))
	p, _, err := res.ProbBest("y")
	require.NoError(t, err)
	require.Equal(t, []float64{0, 1}, p)
}

// The streamed EVPI is unbiased and its standard error honest where the
// plug-in estimator is worst, two choices that tie on average (y = x
// against y = 0): over 40 seeds, the mean estimate is φ(0) within 4
// standard errors of that mean (the plug-in's bias, 0.7 standard errors
// per run, would put it 4.4 away), and the spread of the estimates matches
// the reported standard error within 4 standard errors of a spread
// measured on 40 runs (±11 % each).
func TestDecisionStreamingEVPISpread(t *testing.T) {
	m, _ := xOrZero()
	const runs = 40
	var vs, ses []float64
	for seed := range uint64(runs) {
		res := mustRun(t, m, Options{Trials: 20 * BlockSize, Seed: 100 + seed, Streaming: true, Workers: 1})
		v, se, err := res.EVPI("y")
		require.NoError(t, err)
		vs, ses = append(vs, v), append(ses, se)
	}
	mean, sd := stat.MeanStdDev(vs, nil)
	se := stat.Mean(ses, nil)
	t.Logf("mean EVPI %.5f (φ(0) %.5f), spread %.5f, mean stderr %.5f (ratio %.2f)", mean, phi0, sd, se, sd/se)
	require.InDelta(t, phi0, mean, 4*se/math.Sqrt(runs))
	rel := 1 / math.Sqrt(2*(runs-1))
	require.InDelta(t, 1, sd/se, 4*rel)
}
