package forecast

import (
	"fmt"
	"time"
)

// Result is the outcome of a run: one Metric per scalar output and per year
// of a series output. It is immutable (percentile queries only read the
// stored values; sensitivities are computed once, on first request, and
// cached) and safe for concurrent use.
type Result struct {
	opts    Options
	trials  int
	elapsed time.Duration
	outputs []string             // output names in declaration order
	scalar  map[string]*Metric   // scalar outputs
	series  map[string][]*Metric // series outputs, one Metric per year
	all     []*Metric            // every metric in declaration order
	corr    *Correlations

	// Sensitivities: each input value's name and 1-based year (0 for a
	// scalar), the model's inputs, and the trials the sensitivities are
	// computed from — every trial with KeepInputs, else the sensitivity
	// sample (nil when the run has no trial to offer).
	inputs    [][]float64 // with KeepInputs: every trial's input values
	inputName []string
	inputYear []int
	groups    []inputGroup
	sens      *sensData

	// A model with decisions: a *decisionData (decision_result.go), every
	// choice's Result. Typed any so that Result's type graph gains no cycle
	// (the notebooks' interpreter, gomacro, fails on some recursive types).
	dec any
}

// Options returns the options the run used, with defaults filled in
// (Trials, Workers). Saved beside the result, they reproduce it.
func (r *Result) Options() Options { return r.opts }

// Trials returns the number of trials run: Options.Trials, or fewer when
// Options.Precision stopped the run early.
func (r *Result) Trials() int { return r.trials }

// Elapsed returns the wall time of the run.
func (r *Result) Elapsed() time.Duration { return r.elapsed }

// Outputs returns the output names in declaration order.
func (r *Result) Outputs() []string { return append([]string(nil), r.outputs...) }

// Metrics returns every metric (scalar outputs and each year of series
// outputs) in declaration order.
func (r *Result) Metrics() []*Metric { return append([]*Metric(nil), r.all...) }

// Output returns the metric of the named scalar output, or nil (whose
// methods return NaN) when there is none; see Metric for an error instead.
func (r *Result) Output(name string) *Metric { return r.scalar[name] }

// Metric returns the metric of the named scalar output, or an error naming
// the outputs that exist.
func (r *Result) Metric(name string) (*Metric, error) {
	if m, ok := r.scalar[name]; ok {
		return m, nil
	}
	if _, ok := r.series[name]; ok {
		return nil, fmt.Errorf("forecast: output %q is a series: use Result.Series", name)
	}
	return nil, fmt.Errorf("forecast: no output %q (outputs: %s)", name, quoteList(r.outputs))
}

// Series returns the metrics of the named series output, one per year, or
// nil when there is none. For a scalar output it returns a one-element
// slice.
func (r *Result) Series(name string) []*Metric {
	if s, ok := r.series[name]; ok {
		return append([]*Metric(nil), s...)
	}
	if m, ok := r.scalar[name]; ok {
		return []*Metric{m}
	}
	return nil
}

// IsSeries reports whether the named output is a series output.
func (r *Result) IsSeries(name string) bool {
	_, ok := r.series[name]
	return ok
}

// Correlations returns the rank-correlation matrix the run used between
// correlated inputs (nil without correlations); Repaired tells whether it
// differs from the one requested.
func (r *Result) Correlations() *Correlations { return r.corr }

// Warnings returns what a user should see about the run beside its
// statistics, one sentence each: outputs that no trial set to a finite
// value (never set by Eval, or NaN or ±Inf on every trial), outputs with
// some invalid trials (how many, excluded from the statistics), and
// correlations that were repaired. Nil when there is nothing to report.
func (r *Result) Warnings() []string {
	var w []string
	for _, name := range r.outputs {
		ms := r.Series(name)
		none, some := 0, 0
		worst := 0
		for _, m := range ms {
			switch {
			case m.Count() == 0:
				none++
			case m.Invalid() > 0:
				some++
			}
			worst = max(worst, m.Invalid())
		}
		switch {
		case none == len(ms):
			w = append(w, fmt.Sprintf("output %q has no finite value in any trial: Eval never sets it, or sets NaN or ±Inf", name))
		case none > 0:
			w = append(w, fmt.Sprintf("output %q: %d of its %d years have no finite value in any trial (never set by Eval?)", name, none, len(ms)))
		case some > 0:
			w = append(w, fmt.Sprintf("output %q: up to %d of %d trials invalid (NaN or ±Inf), left out of its statistics", name, worst, r.trials))
		}
	}
	if r.corr != nil && r.corr.Repaired {
		w = append(w, "the correlations requested were not jointly consistent and were replaced by the nearest valid matrix (see Result.Correlations)")
	}
	return w
}
