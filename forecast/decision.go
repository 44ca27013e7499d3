package forecast

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"

	"github.com/mcforecast/mcforecast/distributions"
)

// Decision is the handle of a decision, returned by Model.Decision: a choice
// between named options (plans) that the model's Eval reads with
// Trial.Choice. Like Input, it belongs to the Model that returned it.
//
// A model with decisions is evaluated once per choice for each trial, on the
// same input draws (common random numbers): with several decisions, once per
// combination of their options. The Result of Run (or Merge) holds the
// statistics of the first combination (every decision's first option, the
// baseline) at its top level; Result.Choices names the combinations,
// Result.Under returns the statistics under one of them, and
// Result.Difference, ProbBest, EVPI and EVPPI compare them, in exact mode
// from the stored values and under Options.Streaming from comparisons
// computed per trial during the run, for the outputs Model.Compare names
// (by default every scalar output). The cost of a trial is the model's
// Eval times the number of combinations, plus when streaming 3C + C(C−1)/2
// streamed values per compared output for C combinations; exact mode
// stores every combination's outputs (memory times the number of
// combinations).
type Decision int

// decisionSpec is one declared decision.
type decisionSpec struct {
	name    string
	options []string
}

// decisions holds a model's decisions. On a model built by forRun, run is
// set as well; on one built by withDerived (streaming), derived too.
type decisions struct {
	specs   []decisionSpec
	run     *decisionRun
	derived *derivedLayout
	// compare lists the outputs a streaming run compares (Model.Compare),
	// when compareSet; every scalar output otherwise.
	compare    []string
	compareSet bool
}

// Decision declares a decision named name between the given options, in
// order; the first option is the baseline (see Result.Choices). An empty or
// repeated name or option, no option at all, or an option containing "/"
// (which separates the options of several decisions in Result.Choices) is an
// error reported by Validate.
func (m *Model) Decision(name string, options ...string) Decision {
	m.declare("decision", name)
	if m.dec == nil {
		m.dec = &decisions{}
	}
	if len(options) == 0 {
		m.errs = append(m.errs, fmt.Errorf("forecast: decision %q: no options: want at least one", name))
	}
	seen := map[string]bool{}
	for i, o := range options {
		switch {
		case o == "":
			m.errs = append(m.errs, fmt.Errorf("forecast: decision %q: option #%d is empty: want a name", name, i+1))
		case strings.Contains(o, "/"):
			m.errs = append(m.errs, fmt.Errorf("forecast: decision %q: option %q contains \"/\", which separates the options of several decisions", name, o))
		case seen[o]:
			m.errs = append(m.errs, fmt.Errorf("forecast: decision %q: option %q repeated", name, o))
		}
		seen[o] = true
	}
	m.dec.specs = append(m.dec.specs, decisionSpec{name: name, options: append([]string(nil), options...)})
	return Decision(m.base + len(m.dec.specs) - 1)
}

// decisionIndex returns the index of decision d and whether it is one of
// m's.
func (m *Model) decisionIndex(d Decision) (int, bool) {
	i := int(d) - m.base
	return i, m.dec != nil && i >= 0 && i < len(m.dec.specs)
}

// InputPer declares a scalar input whose distribution depends on the option
// of decision d: dists[k] under its k-th option, one distribution per
// option. Each trial draws one uniform u and maps it through every option's
// quantile function (common random numbers: the trial is at the same
// quantile under every option), so LatinHypercube, Correlate and every
// sampler treat the input as one input. With Options.KeepInputs the stored
// draw is u (Result.InputDist reports the input as uniform on (0, 1) with
// the options' distributions in its description); since every option's value
// is a monotone function of u, rank sensitivities are those of the value.
//
// A handle of another model's decision and a number of distributions other
// than the number of options are errors reported by Validate, as are invalid
// distributions (naming the option).
func (m *Model) InputPer(d Decision, name string, dists ...distributions.Dist) Input {
	return m.Series(name, m.perChoice("InputPer", d, name, dists), 1)
}

// SeriesPer declares a series input of n values per trial whose distribution
// depends on the option of decision d taken, as InputPer does for a scalar:
// each year draws one uniform u, and each option's value of that year is its
// distribution's quantile at u, so every option sees the same draws. Read it
// with Trial.Values. The years are independent unless the model correlates
// them (Model.Autocorrelate). Errors are those of InputPer and Series.
func (m *Model) SeriesPer(d Decision, name string, n int, dists ...distributions.Dist) Input {
	return m.Series(name, m.perChoice("SeriesPer", d, name, dists), n)
}

// perChoice returns the distribution of an InputPer or SeriesPer input,
// recording an error for a foreign decision handle.
func (m *Model) perChoice(call string, d Decision, name string, dists []distributions.Dist) perChoice {
	pc := perChoice{dists: append([]distributions.Dist(nil), dists...)}
	if i, ok := m.decisionIndex(d); ok {
		pc.decision = i
		pc.spec = m.dec.specs[i]
	} else {
		pc.decision = -1
		m.errs = append(m.errs, fmt.Errorf("forecast: %s %q: decision handle %d is not one of this model's (a handle from another Model?)", call, name, d))
	}
	return pc
}

// perChoice is the distribution an InputPer input is declared with: the
// uniform distribution on (0, 1), whose draw the run maps through the
// option's distribution. Its String lists the options' distributions, so
// that Model.Fingerprint (and so Merge) tells such inputs apart.
type perChoice struct {
	decision int // index of the decision, −1 for a foreign handle
	spec     decisionSpec
	dists    []distributions.Dist
}

// Sample returns a uniform draw in the open interval (0, 1).
func (p perChoice) Sample(r *rand.Rand) float64 { return unitUniform(r) }

// Quantile returns q for q in [0, 1], NaN otherwise.
func (p perChoice) Quantile(q float64) float64 {
	if !(q >= 0 && q <= 1) {
		return math.NaN()
	}
	return q
}

// CDF returns x clamped to [0, 1].
func (p perChoice) CDF(x float64) float64 {
	if math.IsNaN(x) {
		return x
	}
	return min(max(x, 0), 1)
}

// Mean returns 0.5, the mean of the uniform draw.
func (p perChoice) Mean() float64 { return 0.5 }

// Validate reports a count of distributions that is not the number of the
// decision's options and invalid distributions.
func (p perChoice) Validate() error {
	if p.decision < 0 {
		return nil // reported by InputPer
	}
	if len(p.dists) != len(p.spec.options) {
		return fmt.Errorf("%d distributions for the %d options of decision %q (%s): want one per option, in order",
			len(p.dists), len(p.spec.options), p.spec.name, strings.Join(p.spec.options, ", "))
	}
	for k, d := range p.dists {
		if d == nil {
			return fmt.Errorf("option %q of decision %q: no distribution", p.spec.options[k], p.spec.name)
		}
		if err := d.Validate(); err != nil {
			return fmt.Errorf("option %q of decision %q: %w", p.spec.options[k], p.spec.name, err)
		}
	}
	return nil
}

// String describes the uniform draw and the options' distributions.
func (p perChoice) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "uniform(0, 1) per option of %q:", p.spec.name)
	for k, d := range p.dists {
		o := "?"
		if k < len(p.spec.options) {
			o = p.spec.options[k]
		}
		s := "<nil>"
		if d != nil {
			s = d.String()
		}
		fmt.Fprintf(&b, " %s=%s", o, s)
	}
	return b.String()
}

// decisionRun is what the run of a model with decisions needs: the
// combinations of options and the InputPer mappings.
type decisionRun struct {
	orig   *Model
	specs  []decisionSpec
	combos [][]int32 // option index per decision, for each combination
	names  []string  // "a/b" names of the combinations
	per    []perInput
}

// perInput maps the uniform draw of an InputPer input to its value.
type perInput struct {
	off      int // offset in the input row
	decision int
	inv      []*distributions.Inverter // per option
}

// trialDecision is a worker's Trial state for decisions.
type trialDecision struct {
	run                   *decisionRun
	at                    []int32   // current option of each decision
	row                   []float64 // the input row with InputPer values mapped
	outSc, outOff, outLen []int     // the expanded model's slots, every combination
}

// combinations returns every combination of the options of specs, the last
// decision varying fastest, and their names ("a/b").
func combinations(specs []decisionSpec) ([][]int32, []string) {
	combos := [][]int32{{}}
	names := []string{""}
	for _, s := range specs {
		var nc [][]int32
		var nn []string
		for i, c := range combos {
			for k, o := range s.options {
				nc = append(nc, append(append([]int32(nil), c...), int32(k)))
				if names[i] == "" {
					nn = append(nn, o)
				} else {
					nn = append(nn, names[i]+"/"+o)
				}
			}
		}
		combos, names = nc, nn
	}
	return combos, names
}

// forRun returns the model a run simulates: m itself without decisions,
// else an expanded copy whose outputs are m's repeated once per combination
// of options (column block c holds combination c's outputs) and whose Eval
// evaluates m's once per combination on the same draws. m must be valid.
// The copy shares m's inputs and correlations and its handle base, so m's
// handles work on it; the engine runs it unchanged, so Workers,
// LatinHypercube, correlations, Streaming and SimulateBlocks/Merge behave as
// for any model.
//
// forRun of a model it returned returns that model.
func (m *Model) forRun() *Model {
	if m.dec == nil || len(m.dec.specs) == 0 || m.dec.run != nil {
		return m
	}
	combos, names := combinations(m.dec.specs)
	rd := &decisionRun{orig: m, specs: m.dec.specs, combos: combos, names: names}
	for _, in := range m.inputs {
		if pc, ok := in.dist.(perChoice); ok {
			var inv []*distributions.Inverter
			for _, d := range pc.dists {
				inv = append(inv, distributions.NewInverter(d))
			}
			for k := range in.n { // every year of a SeriesPer
				rd.per = append(rd.per, perInput{off: in.off + k, decision: pc.decision, inv: inv})
			}
		}
	}
	em := &Model{inputs: m.inputs, corrs: m.corrs, nu: m.nu, names: m.names, nIn: m.nIn, base: m.base,
		dec: &decisions{specs: m.dec.specs, run: rd, compare: m.dec.compare, compareSet: m.dec.compareSet}}
	for c, name := range names {
		for _, o := range m.outputs {
			n := o.name
			if c > 0 {
				n += " | " + name
			}
			em.outputs = append(em.outputs, outputSpec{name: n, n: o.n, off: c*m.nOut + o.off})
		}
	}
	em.nOut = len(combos) * m.nOut
	em.eval = rd.eval(m.eval)
	return em
}

// eval returns the expanded model's Eval: f once per combination.
// It allocates only on a worker's first trial.
func (rd *decisionRun) eval(f func(*Trial)) func(*Trial) {
	nO := len(rd.orig.outputs)
	return func(t *Trial) {
		td := t.dec
		if td == nil {
			td = &trialDecision{run: rd, row: make([]float64, len(t.in)),
				outSc: t.outSc, outOff: t.outOff, outLen: t.outLen}
			t.dec = td
			t.m = rd.orig // misuse messages name the model's outputs
		}
		row := t.in
		if len(rd.per) > 0 {
			copy(td.row, row)
			t.in = td.row
		}
		for c, combo := range rd.combos {
			td.at = combo
			for _, p := range rd.per {
				td.row[p.off] = p.inv[combo[p.decision]].Quantile(row[p.off])
			}
			lo, hi := c*nO, (c+1)*nO
			t.outSc, t.outOff, t.outLen = td.outSc[lo:hi:hi], td.outOff[lo:hi:hi], td.outLen[lo:hi:hi]
			f(t)
		}
		t.in = row
	}
}

// Choice returns the name of the option of decision d that this evaluation
// of the trial is under. It panics for a decision of another model, and
// when the model is evaluated outside Run, SimulateBlocks and Merge (by an
// analysis that does not support decisions), which is then reported as a
// *TrialError.
func (t *Trial) Choice(d Decision) string {
	i := int(d) - t.base
	td := t.dec
	if td == nil || uint(i) >= uint(len(td.at)) {
		panic(choiceMisuse{h: int(d), m: t.m})
	}
	return td.run.specs[i].options[td.at[i]]
}

// choiceMisuse is the value Trial.Choice panics with.
type choiceMisuse struct {
	h int
	m *Model
}

func (e choiceMisuse) Error() string {
	if _, ok := e.m.decisionIndex(Decision(e.h)); ok {
		return fmt.Sprintf("forecast: Trial.Choice(%q): the model is evaluated without its decisions (only Run, SimulateBlocks and Merge evaluate every choice)", e.m.dec.specs[e.h-e.m.base].name)
	}
	return fmt.Sprintf("forecast: Trial.Choice: decision handle %d is not one of this model's (a handle from another Model?)", e.h)
}
