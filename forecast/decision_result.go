package forecast

import (
	"fmt"
	"math"
	"slices"
	"sort"

	"github.com/mcforecast/mcforecast/internal/decide"
	"github.com/mcforecast/mcforecast/internal/xsum"
)

// Information is the expected value of partial perfect information about
// one input value (see Result.EVPPI): what learning it before choosing is
// worth, in the output's unit, with its Monte Carlo standard error.
type Information struct {
	Input  string  // the input's name
	Year   int     // 1-based year of a series input, 0 for a scalar input
	Value  float64 // EVPPI
	StdErr float64 // standard error of Value
}

// decisionData is what a Result of a model with decisions holds beside its
// top-level statistics (those of the first choice).
type decisionData struct {
	choices []string
	// under[c] is the Result under choice c + 1; choice 0 is the Result
	// itself.
	under []*Result
	// In streaming mode, the metrics of the derived values
	// (decision_stream.go), placed by layout; nil in exact mode.
	derived []*Metric
	layout  *derivedLayout
}

func attachDecisions(r *Result, d *decisionData) { r.dec = d }

func decisionsOf(r *Result) *decisionData {
	if r == nil {
		return nil
	}
	d, _ := r.dec.(*decisionData)
	return d
}

// decided turns the Result of the expanded model m (see forRun) into the
// Result of the model: the statistics of the first choice at the top level,
// every choice's through Under. Without decisions it returns res.
func (m *Model) decided(res *Result) (*Result, error) {
	if m.dec == nil || m.dec.run == nil {
		return res, nil
	}
	rd := m.dec.run
	orig := rd.orig
	var top *Result
	d := &decisionData{choices: rd.names}
	for c := range rd.names {
		r := &Result{
			opts: res.opts, trials: res.trials, elapsed: res.elapsed,
			outputs: orig.OutputNames(),
			scalar:  map[string]*Metric{},
			series:  map[string][]*Metric{},
			corr:    res.corr,
			inputs:  res.inputs, inputName: res.inputName, inputYear: res.inputYear,
			groups: res.groups,
		}
		if sd := res.sens; sd != nil {
			// The same trials' inputs; choice c's block of output columns.
			r.sens = &sensData{in: sd.in, out: sd.out[c*orig.nOut : (c+1)*orig.nOut]}
		}
		// The expanded model's metrics of choice c: one per output value,
		// in declaration order; rename them and point them at r. A copy of
		// the slice: sharing res.all's array would keep the first
		// choice's metrics, and so the returned Result, reachable from the
		// decision data (which would then never be collected).
		all := slices.Clone(res.all[c*orig.nOut : (c+1)*orig.nOut])
		for _, o := range orig.outputs {
			ms := all[o.off : o.off+o.n]
			for _, met := range ms {
				met.name, met.res = o.name, r
			}
			if o.n == 1 {
				r.scalar[o.name] = ms[0]
			} else {
				r.series[o.name] = ms
			}
		}
		r.all = all
		if c == 0 {
			top = r
		} else {
			d.under = append(d.under, r)
		}
	}
	if n := len(rd.names) * orig.nOut; res.opts.Streaming {
		d.layout = newDerivedLayout(rd, res.opts.Trials)
		d.derived = res.all[n:]
		if len(d.derived) != d.layout.count() {
			return nil, fmt.Errorf("forecast: internal error: %d derived values of decisions, want %d", len(d.derived), d.layout.count())
		}
		for _, met := range d.derived {
			met.res = nil // not an output: no sensitivities
		}
	}
	attachDecisions(top, d)
	return top, nil
}

// Choices returns the names of the choices of a run of a model with
// decisions, in order: the options of its decision or, with several
// decisions, every combination of their options named "a/b" (the last
// decision varying fastest). The first choice is the baseline: its
// statistics are the Result's own. Nil without decisions.
func (r *Result) Choices() []string {
	d := decisionsOf(r)
	if d == nil {
		return nil
	}
	return append([]string(nil), d.choices...)
}

// Under returns the Result under the named choice: every statistic a Result
// has (metrics, percentiles, sensitivities with KeepInputs), computed from
// the same trials as every other choice's, and its own Warnings. Under of
// the first choice returns r itself; the Result of another choice holds no
// decision data (its Choices is nil): compare choices through r. An unknown
// choice, or a run without decisions, is an error naming the choices.
func (r *Result) Under(choice string) (*Result, error) {
	c, err := r.choiceIndex(choice)
	if err != nil {
		return nil, err
	}
	if c == 0 {
		return r, nil
	}
	return decisionsOf(r).under[c-1], nil
}

func (r *Result) choiceIndex(choice string) (int, error) {
	d := decisionsOf(r)
	if d == nil {
		return 0, fmt.Errorf("forecast: Under(%q): the run has no decisions (declare them with Model.Decision)", choice)
	}
	for c, n := range d.choices {
		if n == choice {
			return c, nil
		}
	}
	return 0, fmt.Errorf("forecast: no choice %q (choices: %s)", choice, quoteList(d.choices))
}

// Difference returns the Metric of the per-trial difference of the named
// scalar output between choices a and b (a − b), named "output (a − b)".
// Because both choices see the same draws, its spread is that of the effect
// of the choice alone, without the sampling noise that separate runs would
// add. A trial invalid under either choice is invalid in the difference.
// The Metric has every statistic of an output's but no sensitivities.
//
// In exact mode it is computed from every trial's values (8 bytes per
// trial). Under Options.Streaming it is the difference streamed during the
// run, for an output Model.Compare names (by default every scalar output):
// the same exact mean and standard deviation, percentiles from its sketch;
// Difference(b, a), b before a in Choices, mirrors the sketch of
// Difference(a, b), about 3 ns per trial.
func (r *Result) Difference(output, a, b string) (*Metric, error) {
	ca, err := r.choiceIndex(a)
	if err != nil {
		return nil, err
	}
	cb, err := r.choiceIndex(b)
	if err != nil {
		return nil, err
	}
	va, err := r.underMetric(ca, output)
	if err != nil {
		return nil, err
	}
	vb, err := r.underMetric(cb, output)
	if err != nil {
		return nil, err
	}
	name := output + " (" + a + " − " + b + ")"
	if va.raw == nil {
		d := decisionsOf(r)
		j, err := d.streamedIndex("Difference", output)
		if err != nil {
			return nil, err
		}
		return d.streamDifference(name, j, ca, cb, va), nil
	}
	diff := make([]float64, len(va.raw))
	for i := range diff {
		diff[i] = va.raw[i] - vb.raw[i]
	}
	return metricFromValues(name, diff, nil)
}

// underMetric returns the metric of scalar output name under choice c.
func (r *Result) underMetric(c int, name string) (*Metric, error) {
	u := r
	if c > 0 {
		u = decisionsOf(r).under[c-1]
	}
	return u.Metric(name)
}

// metricFromValues returns the Metric of raw (every trial's value, trial
// order), its moments rounded once from exact sums as a run's are.
func metricFromValues(name string, raw []float64, res *Result) (*Metric, error) {
	var acc xsum.Moments
	acc.AddBlock(raw)
	met := &Metric{name: name, mom: summarize(&acc), raw: raw, res: res}
	if err := met.checkMoments(); err != nil {
		return nil, err
	}
	return met, nil
}

// choiceValues returns values[c][i], the named scalar output of trial i
// under choice c, with invalid values (±Inf) as NaN, for internal/decide;
// without decisions {y, 0}: go against no-go. With sample it reads the
// sensitivity sample's trials (sample.go), else every trial's values (exact
// mode).
func (r *Result) choiceValues(method, output string, sample bool) ([][]float64, error) {
	met, err := r.Metric(output)
	if err != nil {
		return nil, fmt.Errorf("forecast: %s: %w", method, err)
	}
	col := func(u *Result, m *Metric) []float64 {
		src := m.raw
		if sample {
			src = u.sens.out[slices.Index(u.all, m)]
		}
		v := make([]float64, len(src))
		for i, x := range src {
			if !isFinite(x) {
				x = math.NaN()
			}
			v[i] = x
		}
		return v
	}
	if sample && r.sens == nil || !sample && met.raw == nil {
		return nil, fmt.Errorf("forecast: %s(%q): the run kept no trial's values to compare", method, output)
	}
	y := col(r, met)
	d := decisionsOf(r)
	if d == nil {
		return [][]float64{y, make([]float64, len(y))}, nil
	}
	values := [][]float64{y}
	for _, u := range d.under {
		values = append(values, col(u, u.scalar[output]))
	}
	return values, nil
}

// streamed returns the layout of the derived values of a streaming run
// with decisions and the position of scalar output name in it, or nil when
// the run has none (exact mode, no decisions). An output that is not a
// scalar output is an error.
func (r *Result) streamed(method, output string) (*derivedLayout, int, error) {
	met, err := r.Metric(output)
	if err != nil {
		return nil, 0, fmt.Errorf("forecast: %s: %w", method, err)
	}
	d := decisionsOf(r)
	if met.raw != nil || d == nil || d.layout == nil {
		return nil, 0, nil
	}
	j, err := d.streamedIndex(method, output)
	return d.layout, j, err
}

// streamedIndex returns the position of scalar output name among the
// outputs a streaming run compared, or an error naming Model.Compare.
func (d *decisionData) streamedIndex(method, output string) (int, error) {
	j := d.layout.scalarIndex(output)
	if j < 0 {
		named := "none"
		if len(d.layout.names) > 0 {
			named = quoteList(d.layout.names)
		}
		return 0, fmt.Errorf("forecast: %s(%q): the streaming run did not compare this output (Model.Compare named %s)", method, output, named)
	}
	return j, nil
}

// ProbBest returns, for each choice in Choices order, the probability that
// it gives the highest value of the named scalar output, and its standard
// error (a trial where k choices tie counts 1/k for each). Larger is better:
// for a cost, declare an output of its negative. Without decisions the
// choices are go (the output) and no-go (0). Trials invalid under any
// choice are left out.
//
// In exact mode it reads every trial's values: O(trials·choices), 8 bytes
// per trial per choice. Under Options.Streaming, with decisions, it is the
// mean of each choice's score streamed during the run (decision_stream.go),
// over every trial: the same estimate (to 2⁻⁵³) and standard error; without
// decisions it reads the sensitivity sample, the first
// min(Trials, SensitivitySample) trials, and its standard error is that of
// those trials.
func (r *Result) ProbBest(output string) (p, stderr []float64, err error) {
	l, j, err := r.streamed("ProbBest", output)
	if err != nil {
		return nil, nil, err
	}
	if l != nil {
		d := decisionsOf(r)
		p, stderr = make([]float64, l.choices), make([]float64, l.choices)
		for c := range p {
			m := d.derived[l.score(j, c)]
			if m.Count() == 0 {
				return nil, nil, fmt.Errorf("forecast: ProbBest(%q): no trial has a finite value under every choice", output)
			}
			p[c] = m.Mean() - 1 // scores are 1 + score (decision_stream.go)
			if m.Count() > 1 {
				stderr[c] = m.StdErr()
			}
		}
		return p, stderr, nil
	}
	values, err := r.choiceValues("ProbBest", output, r.Output(output).raw == nil)
	if err != nil {
		return nil, nil, err
	}
	p, stderr, err = decide.ProbBest(values)
	if err != nil {
		return nil, nil, fmt.Errorf("forecast: ProbBest(%q): %w", output, err)
	}
	return p, stderr, nil
}

// EVPI returns the expected value of perfect information about the named
// scalar output, E[max over choices] − max over choices of E: what learning
// every uncertain input before choosing would be worth, in the output's
// unit, with its Monte Carlo standard error. Larger is better: for a cost,
// declare an output of its negative. Without decisions the choice is go
// (the output) against no-go (0), as R's decisionSupport does.
//
// The estimate is cross-fitted, unbiased up to O(1/trials): the mean over
// the trials of the regret max_c y_c − y_c*, where c* is the choice with
// the highest mean over the other half of the trials; the standard error
// is that of this mean, treating the two choices c* as fixed. In exact mode
// (internal/decide.EVPI) the halves are the first and the second half of
// the trials, O(trials·choices). Under Options.Streaming, with decisions,
// the regrets are streamed during the run (decision_stream.go) and the
// halves are alternate blocks of BlockSize trials (the two halves of a
// one-block run), so the estimate differs from exact mode's by sampling
// error only; without decisions it reads the sensitivity sample, the first
// min(Trials, SensitivitySample) trials, with their standard error.
func (r *Result) EVPI(output string) (value, stderr float64, err error) {
	l, j, err := r.streamed("EVPI", output)
	if err != nil {
		return math.NaN(), math.NaN(), err
	}
	if l != nil {
		value, stderr, err = decisionsOf(r).streamEVPI(j)
		if err != nil {
			return math.NaN(), math.NaN(), fmt.Errorf("forecast: EVPI(%q): %w", output, err)
		}
		return value, stderr, nil
	}
	values, err := r.choiceValues("EVPI", output, r.Output(output).raw == nil)
	if err != nil {
		return math.NaN(), math.NaN(), err
	}
	value, stderr, err = decide.EVPI(values)
	if err != nil {
		return math.NaN(), math.NaN(), fmt.Errorf("forecast: EVPI(%q): %w", output, err)
	}
	return value, stderr, nil
}

// EVPPI returns the expected value of partial perfect information of every
// input value (each year of a series input) about the named scalar output,
// largest first: what learning that input alone before choosing would be
// worth, E over the input of [max over choices of E(output | input)] − max
// over choices of E, with its standard error (estimator:
// internal/decide.EVPPI, quantile binning with cross-fitting; reliable with
// 100 or more trials per bin, that is from about 1e4 trials). Estimates can
// fall slightly below 0 by sampling error. Larger is better; without
// decisions the choice is go against no-go (0), as for EVPI.
//
// It needs the input draws. With Options.KeepInputs it uses every trial;
// otherwise, in exact and streaming mode alike, the sensitivity sample: the
// first min(Trials, SensitivitySample) = 65 536 trials of a long run, which
// every run keeps, and the standard errors are those of that many trials.
// For an InputPer input the draw is its uniform, which carries the same
// information as every option's value. Cost: O(trials·choices) per input
// value.
func (r *Result) EVPPI(output string) ([]Information, error) {
	if _, err := r.Metric(output); err != nil {
		return nil, fmt.Errorf("forecast: EVPPI: %w", err)
	}
	inputs := r.inputs
	if inputs == nil {
		if r.sens == nil {
			return nil, fmt.Errorf("forecast: EVPPI(%q): the run kept no input draws", output)
		}
		inputs = r.sens.in
	}
	values, err := r.choiceValues("EVPPI", output, r.inputs == nil)
	if err != nil {
		return nil, err
	}
	info := make([]Information, len(inputs))
	for d, x := range inputs {
		v, se, err := decide.EVPPI(x, values, decide.EVPPIOptions{})
		if err != nil {
			return nil, fmt.Errorf("forecast: EVPPI(%q), input %q: %w", output, r.inputName[d], err)
		}
		info[d] = Information{Input: r.inputName[d], Year: r.inputYear[d], Value: v, StdErr: se}
	}
	sort.SliceStable(info, func(i, j int) bool { return info[i].Value > info[j].Value })
	return info, nil
}
