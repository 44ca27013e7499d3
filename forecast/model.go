package forecast

import (
	"errors"
	"fmt"

	"github.com/mcforecast/mcforecast/distributions"
)

// Input is the handle of a model input, returned by Model.Input and
// Model.Series. It is a small integer: reading an input through it costs two
// slice loads, no map look-up and no allocation.
type Input int

// Output is the handle of a model output, returned by Model.Output and
// Model.OutputSeries.
type Output int

type inputSpec struct {
	name string
	dist distributions.Dist
	n    int // values per trial: 1 for Input, the length for Series
	off  int // offset of the first value in a trial's input row
}

type outputSpec struct {
	name string
	n    int
	off  int
}

type corrSpec struct {
	a, b Input
	rho  float64 // Spearman rank correlation requested
}

// Model is a Monte Carlo model: its inputs (probability distributions), its
// outputs, the correlations between inputs and the function that turns one
// trial's draws into outputs.
//
// Declare everything once, then pass the model to Run. Declaration methods
// never panic on bad values: problems (an empty or repeated name, a series
// length below 1, a correlation outside [−1, 1]) are recorded and reported by
// Validate and Run, each naming the input or output concerned. A Model must
// not be changed while a Run that uses it is in progress; Run only reads it,
// so any number of concurrent Runs may share one Model.
type Model struct {
	inputs  []inputSpec
	outputs []outputSpec
	corrs   []corrSpec
	eval    func(*Trial)
	names   map[string]bool
	errs    []error
	nIn     int // values per trial over all inputs
	nOut    int // values per trial over all outputs
}

// NewModel returns an empty model.
func NewModel() *Model {
	return &Model{names: map[string]bool{}}
}

func (m *Model) declare(kind, name string) {
	if name == "" {
		m.errs = append(m.errs, fmt.Errorf("forecast: %s #%d: empty name", kind, len(m.inputs)+len(m.outputs)+1))
		return
	}
	if m.names[name] {
		m.errs = append(m.errs, fmt.Errorf("forecast: %s %q: name already declared", kind, name))
		return
	}
	m.names[name] = true
}

// Input declares a scalar input: one draw of d per trial.
func (m *Model) Input(name string, d distributions.Dist) Input {
	return m.Series(name, d, 1)
}

// Series declares an input of n independent draws of d per trial, one per
// year (or period) of a horizon; Trial.Values returns them in order.
// Series(name, d, 1) is the same as Input(name, d).
func (m *Model) Series(name string, d distributions.Dist, n int) Input {
	m.declare("input", name)
	if n < 1 {
		m.errs = append(m.errs, fmt.Errorf("forecast: input %q: series length %d, want ≥ 1", name, n))
		n = 1 // keep offsets consistent; the model cannot run anyway
	}
	m.inputs = append(m.inputs, inputSpec{name: name, dist: d, n: n, off: m.nIn})
	m.nIn += n
	return Input(len(m.inputs) - 1)
}

// Output declares a scalar output, set once per trial with Trial.Set.
func (m *Model) Output(name string) Output {
	return m.OutputSeries(name, 1)
}

// OutputSeries declares an output of n values per trial, one per year, set
// with Trial.SetAt. The result has one Metric per year (Result.Series).
func (m *Model) OutputSeries(name string, n int) Output {
	m.declare("output", name)
	if n < 1 {
		m.errs = append(m.errs, fmt.Errorf("forecast: output %q: series length %d, want ≥ 1", name, n))
		n = 1
	}
	m.outputs = append(m.outputs, outputSpec{name: name, n: n, off: m.nOut})
	m.nOut += n
	return Output(len(m.outputs) - 1)
}

// Eval sets the function evaluated once per trial. It reads the trial's draws
// with Trial.Value and Trial.Values and writes outputs with Trial.Set and
// Trial.SetAt. It is called concurrently from several goroutines, each with
// its own *Trial, so it must not write to shared state without
// synchronisation. An output it does not set is NaN for that trial and is
// counted as invalid.
func (m *Model) Eval(f func(t *Trial)) { m.eval = f }

// Correlate asks for a Spearman rank correlation rho between inputs a and b,
// induced through a Gaussian copula (see the package documentation). For a
// series input the correlation applies year by year: year i of a with year i
// of b when both are series (up to the shorter length), and every year of a
// series with a scalar input. Correlating an input with itself, |rho| > 1, NaN
// and two different values for the same pair are errors reported by Validate.
func (m *Model) Correlate(a, b Input, rho float64) {
	if !m.validInput(a) || !m.validInput(b) {
		m.errs = append(m.errs, fmt.Errorf("forecast: correlate: unknown input handle %d or %d", a, b))
		return
	}
	na, nb := m.inputs[a].name, m.inputs[b].name
	switch {
	case a == b:
		m.errs = append(m.errs, fmt.Errorf("forecast: correlate %q with itself", na))
		return
	case !(rho >= -1 && rho <= 1):
		m.errs = append(m.errs, fmt.Errorf("forecast: correlate %q and %q: rho %v, want a value in [-1, 1]", na, nb, rho))
		return
	}
	for _, c := range m.corrs {
		if (c.a == a && c.b == b) || (c.a == b && c.b == a) {
			if c.rho != rho {
				m.errs = append(m.errs, fmt.Errorf("forecast: correlate %q and %q: rho %v conflicts with the earlier %v", na, nb, rho, c.rho))
			}
			return
		}
	}
	m.corrs = append(m.corrs, corrSpec{a: a, b: b, rho: rho})
}

func (m *Model) validInput(h Input) bool { return h >= 0 && int(h) < len(m.inputs) }

// InputNames returns the names of the inputs in declaration order.
func (m *Model) InputNames() []string {
	s := make([]string, len(m.inputs))
	for i, in := range m.inputs {
		s[i] = in.name
	}
	return s
}

// OutputNames returns the names of the outputs in declaration order.
func (m *Model) OutputNames() []string {
	s := make([]string, len(m.outputs))
	for i, o := range m.outputs {
		s[i] = o.name
	}
	return s
}

// InputDist returns the distribution of the named input and whether it
// exists.
func (m *Model) InputDist(name string) (distributions.Dist, bool) {
	for _, in := range m.inputs {
		if in.name == name {
			return in.dist, true
		}
	}
	return nil, false
}

// Validate reports every problem of the model's declarations: empty or
// repeated names, series lengths below 1, invalid distributions (the error
// names the input: `input "capex": uniform: min 135 > max 115`), invalid
// correlations, no outputs, no Eval function. It returns nil for a model that
// Run can start. Whether the correlations are jointly consistent (a positive
// semi-definite matrix) is checked by Run, since Options may ask to repair
// them.
func (m *Model) Validate() error {
	if m == nil {
		return errors.New("forecast: nil model")
	}
	errs := append([]error(nil), m.errs...)
	for _, in := range m.inputs {
		if in.dist == nil {
			errs = append(errs, fmt.Errorf("input %q: no distribution", in.name))
			continue
		}
		if err := in.dist.Validate(); err != nil {
			errs = append(errs, fmt.Errorf("input %q: %w", in.name, err))
		}
	}
	if len(m.outputs) == 0 {
		errs = append(errs, errors.New("forecast: model has no outputs"))
	}
	if m.eval == nil {
		errs = append(errs, errors.New("forecast: model has no Eval function"))
	}
	return errors.Join(errs...)
}

// dimName returns the name of input value d of a trial row: the input's name,
// and its 1-based year for a series (0 for a scalar input).
func (m *Model) dimName(d int) (string, int) {
	for _, in := range m.inputs {
		if d >= in.off && d < in.off+in.n {
			if in.n == 1 {
				return in.name, 0
			}
			return in.name, d - in.off + 1
		}
	}
	return "", 0
}

// dimDists returns the distribution of every value of a trial's input row.
func (m *Model) dimDists() []distributions.Dist {
	ds := make([]distributions.Dist, m.nIn)
	for _, in := range m.inputs {
		for k := 0; k < in.n; k++ {
			ds[in.off+k] = in.dist
		}
	}
	return ds
}

// Trial is one evaluation of a model: the draws of every input and the slots
// of every output. The engine reuses one Trial per worker; a *Trial and the
// slices it returns are valid only during the Eval call that receives it.
type Trial struct {
	in     []float64
	out    []float64
	inOff  []int
	inLen  []int
	outOff []int
	outLen []int
	index  int
}

// Index returns the trial's index in the run, from 0 to Trials−1. It is the
// same index for any number of workers.
func (t *Trial) Index() int { return t.index }

// Value returns the draw of input h in this trial; for a series input, the
// first year's draw.
func (t *Trial) Value(h Input) float64 { return t.in[t.inOff[h]] }

// Values returns the draws of series input h in this trial, one per year
// (one value for a scalar input). The slice belongs to the engine: read it,
// do not modify or retain it.
func (t *Trial) Values(h Input) []float64 {
	o := t.inOff[h]
	e := o + t.inLen[h]
	return t.in[o:e:e]
}

// Set sets scalar output h (or the first year of a series output).
func (t *Trial) Set(h Output, v float64) { t.out[t.outOff[h]] = v }

// SetAt sets year i (0-based) of series output h. It panics when i is outside
// the series; Run turns that panic into an error naming the trial.
func (t *Trial) SetAt(h Output, i int, v float64) {
	if uint(i) >= uint(t.outLen[h]) {
		panic(fmt.Sprintf("forecast: SetAt: year index %d outside [0, %d)", i, t.outLen[h]))
	}
	t.out[t.outOff[h]+i] = v
}

// newTrial returns a Trial over the given rows for model m.
func (m *Model) newTrial() *Trial {
	t := &Trial{
		inOff:  make([]int, len(m.inputs)),
		inLen:  make([]int, len(m.inputs)),
		outOff: make([]int, len(m.outputs)),
		outLen: make([]int, len(m.outputs)),
		out:    make([]float64, m.nOut),
	}
	for i, in := range m.inputs {
		t.inOff[i], t.inLen[i] = in.off, in.n
	}
	for i, o := range m.outputs {
		t.outOff[i], t.outLen[i] = o.off, o.n
	}
	return t
}

// isFinite reports whether v is neither NaN nor ±Inf: v − v is 0 for every
// finite v and NaN otherwise (one subtraction, no branches on bit patterns).
func isFinite(v float64) bool { return v-v == 0 }
