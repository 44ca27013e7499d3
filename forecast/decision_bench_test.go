package forecast

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mcforecast/mcforecast/distributions"
	"github.com/mcforecast/mcforecast/internal/cputime"
)

// Evaluating every choice allocates nothing per trial: only a worker's first
// trial allocates its scratch row.
func TestDecisionAllocationFree(t *testing.T) {
	m, _, _, _ := capexModel()
	for _, method := range []Method{MonteCarlo, LatinHypercube} {
		p, err := newPlan(m.forRun(), Options{Trials: 8 * BlockSize, Method: method}.withDefaults())
		require.NoError(t, err)
		w := p.newWorker()
		require.NoError(t, p.simulate(w, 0))
		allocs := testing.AllocsPerRun(10, func() {
			if err := p.simulate(w, 3); err != nil {
				t.Fatal(err)
			}
		})
		assert.Zero(t, allocs, "allocations per block (%v)", method)
	}
}

// An analysis that evaluates the model without its decisions gets a clear
// error from Trial.Choice.
func TestDecisionChoiceOutsideRun(t *testing.T) {
	m, _ := xOrZero()
	p, err := newPlan(m, Options{Trials: 10}.withDefaults())
	require.NoError(t, err)
	err = p.simulate(p.newWorker(), 0)
	require.ErrorContains(t, err, `Trial.Choice("plan"): the model is evaluated without its decisions`)
}

// BenchmarkDecision compares a run of the capex model under one plan (the
// plan fixed in Eval, no decision) with a run of the 3-choice decision, in
// exact and streaming mode: the ratio of ns/op is the cost of a 3-choice
// trial against a single one. Streaming, the decision also streams its 12
// derived values per compared output (decision_stream.go): 24 for both
// outputs, 12 with Compare("npv").
func BenchmarkDecision(b *testing.B) {
	single := NewModel()
	capex := single.Input("capex", distributions.Uniform{Min: 115, Max: 135})
	demand := single.Input("demand", distributions.Normal{Mu: 1, Sigma: 0.3})
	npv := single.Output("npv")
	c := single.Output("capex used")
	single.Eval(func(t *Trial) {
		k := t.Value(capex)
		t.Set(c, k)
		t.Set(npv, 300*t.Value(demand)-2*k)
	})
	three, _, _, _ := capexModel()
	npvOnly, _, _, _ := capexModel()
	npvOnly.Compare("npv")
	for _, bc := range []struct {
		name      string
		m         *Model
		streaming bool
	}{{"single", single, false}, {"three choices", three, false}, {"single/streaming", single, true}, {"three choices/streaming", three, true},
		{"three choices/streaming, Compare(npv)", npvOnly, true}} {
		opts := Options{Trials: 512 * BlockSize, Seed: 1, Workers: 1, Streaming: bc.streaming}
		b.Run(bc.name, func(b *testing.B) {
			timer := cputime.Start(b)
			for range b.N {
				if _, err := Run(context.Background(), bc.m, opts); err != nil {
					b.Fatal(err)
				}
			}
			timer.Report(b, opts.Trials, "cpu-ns/trial")
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(opts.Trials), "ns/trial")
		})
	}
}
