package forecast

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"sync/atomic"

	"github.com/mcforecast/mcforecast/distributions"
	"github.com/mcforecast/mcforecast/processes"
)

// Input is the handle of a model input, returned by Model.Input and
// Model.Series. It is an integer: reading an input through it costs a
// subtraction, a bounds check and two slice loads, no map look-up and no
// allocation.
//
// A handle belongs to the Model that returned it. Each Model numbers its
// handles from its own base (a per-model tag in the integer's high bits,
// drawn from a process-wide counter), so a handle of another Model falls
// outside this model's range and its use panics inside Eval — Run reports a
// *TrialError — instead of silently reading this model's input of the same
// index. The check is the bounds check that the read needs anyway; on
// 32-bit platforms the tags repeat after 32 767 models, so two models built
// that far apart may accept each other's handles.
type Input int

// Output is the handle of a model output, returned by Model.Output and
// Model.OutputSeries. Like Input, it belongs to the Model that returned it.
type Output int

// intBits is the size of an int in bits (32 or 64).
const intBits = 32 << (^uint(0) >> 63)

// handleShift places a model's tag above the handles' indices: a model has
// at most 1<<handleShift inputs and as many outputs (2²⁴ on 64-bit
// platforms, 2¹⁶ on 32-bit ones).
const handleShift = intBits/4 + 8

// MaxSeriesLength is the longest series Model.Series and Model.OutputSeries
// accept: 2²⁰ values (a million periods). Longer ones are declaration
// errors reported by Validate.
const MaxSeriesLength = 1 << 20

// modelTags numbers models for their handles' tags.
var modelTags atomic.Uint64

// newHandleBase returns the next model's handle base: a tag in
// [1, 2^(intBits−1−handleShift)) shifted by handleShift, so every handle is
// positive and a literal small integer is nobody's handle.
func newHandleBase() int {
	const tags = 1<<(intBits-1-handleShift) - 1
	return int(1+modelTags.Add(1)%tags) << handleShift
}

type inputSpec struct {
	name string
	dist distributions.Dist
	n    int // values per trial: 1 for Input, the length for Series
	off  int // offset of the first value in a trial's input row

	// proc is the process of a Process input (process.go), nil otherwise;
	// dist is then the standard normal of its driving scores.
	proc processes.Process
}

type outputSpec struct {
	name string
	n    int
	off  int
}

type corrSpec struct {
	a, b int     // input indices
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
	base    int // handle of the first input and of the first output

	// nu is the degrees of freedom of a Student t copula (StudentCopula,
	// studentcopula.go); 0 for the Gaussian copula.
	nu float64

	// Decision and InputPer declarations (decision.go); nil without.
	dec *decisions
}

// NewModel returns an empty model.
func NewModel() *Model {
	return &Model{names: map[string]bool{}, base: newHandleBase()}
}

// inputHandle returns the handle of input index i, outputHandle that of
// output index i.
func (m *Model) inputHandle(i int) Input   { return Input(m.base + i) }
func (m *Model) outputHandle(i int) Output { return Output(m.base + i) }

// inputIndex returns the index of handle h and whether it is one of m's.
func (m *Model) inputIndex(h Input) (int, bool) {
	i := int(h) - m.base
	return i, i >= 0 && i < len(m.inputs)
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
// A length outside [1, MaxSeriesLength] is an error reported by Validate.
func (m *Model) Series(name string, d distributions.Dist, n int) Input {
	m.declare("input", name)
	n = m.checkLength("input", name, n, len(m.inputs))
	m.inputs = append(m.inputs, inputSpec{name: name, dist: d, n: n, off: m.nIn})
	m.nIn += n
	return m.inputHandle(len(m.inputs) - 1)
}

// checkLength records an error for a series length outside [1,
// MaxSeriesLength] or a model with too many inputs or outputs (count
// declared so far), and returns the length to use (1 for a bad one: the
// model cannot run anyway, but offsets stay consistent).
func (m *Model) checkLength(kind, name string, n, count int) int {
	if count >= 1<<handleShift {
		m.errs = append(m.errs, fmt.Errorf("forecast: %s %q: more than %d %ss in one model", kind, name, 1<<handleShift, kind))
	}
	if n < 1 || n > MaxSeriesLength {
		m.errs = append(m.errs, fmt.Errorf("forecast: %s %q: series length %d, want 1 to %d (MaxSeriesLength)", kind, name, n, MaxSeriesLength))
		return 1
	}
	return n
}

// Output declares a scalar output, set once per trial with Trial.Set.
func (m *Model) Output(name string) Output {
	return m.OutputSeries(name, 1)
}

// OutputSeries declares an output of n values per trial, one per year, set
// with Trial.SetAt. The result has one Metric per year (Result.Series).
// A length outside [1, MaxSeriesLength] is an error reported by Validate.
func (m *Model) OutputSeries(name string, n int) Output {
	m.declare("output", name)
	n = m.checkLength("output", name, n, len(m.outputs))
	m.outputs = append(m.outputs, outputSpec{name: name, n: n, off: m.nOut})
	m.nOut += n
	return m.outputHandle(len(m.outputs) - 1)
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
func (m *Model) Correlate(h1, h2 Input, rho float64) {
	a, ok1 := m.inputIndex(h1)
	b, ok2 := m.inputIndex(h2)
	if !ok1 || !ok2 {
		m.errs = append(m.errs, fmt.Errorf("forecast: correlate: input handle %d or %d is not one of this model's (a handle from another Model?)", h1, h2))
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

// Fingerprint returns a digest of the model's declarations: the names and
// series lengths of its inputs and outputs, each input distribution's
// String() and the correlations. Two models built the same way have the same
// fingerprint; Merge uses it to refuse partials simulated from another
// model. (The Eval function cannot be digested: a model that changes only
// its Eval keeps its fingerprint.)
func (m *Model) Fingerprint() string {
	h := sha256.New()
	for _, in := range m.inputs {
		d := "<nil>"
		if in.dist != nil {
			d = in.dist.String()
		}
		if in.proc != nil { // Process (process.go)
			d = "process " + in.proc.String()
		}
		fmt.Fprintf(h, "input %q %d %q\n", in.name, in.n, d)
	}
	for _, o := range m.outputs {
		fmt.Fprintf(h, "output %q %d\n", o.name, o.n)
	}
	for _, c := range m.corrs {
		fmt.Fprintf(h, "correlate %q %q %x\n", m.inputs[c.a].name, m.inputs[c.b].name, math.Float64bits(c.rho))
	}
	if m.nu != 0 { // StudentCopula
		fmt.Fprintf(h, "student copula %x\n", math.Float64bits(m.nu))
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// InputName returns the name of input h, or "" when h is not one of the
// model's handles. (Handles are not indices into InputNames: see Input.)
func (m *Model) InputName(h Input) string {
	if i, ok := m.inputIndex(h); ok {
		return m.inputs[i].name
	}
	return ""
}

// OutputName returns the name of output h, or "" when h is not one of the
// model's handles. (Handles are not indices into OutputNames: see Input.)
func (m *Model) OutputName(h Output) string {
	if i := int(h) - m.base; i >= 0 && i < len(m.outputs) {
		return m.outputs[i].name
	}
	return ""
}

// InputDist returns the distribution of the named input and whether it
// exists. For a Process input it is the standard normal of the scores that
// drive the path (see InputProcess).
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
		if in.proc != nil { // Process (process.go)
			if err := validateProcess(in.proc); err != nil {
				errs = append(errs, fmt.Errorf("input %q: %w", in.name, err))
			}
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
//
// Misuse panics inside Eval, which Run reports as a *TrialError naming the
// trial: a handle of another Model, Value on a series input (use Values),
// Set on a series output (use SetAt), a year outside a series.
type Trial struct {
	in       []float64
	out      []float64
	base     int   // the model's handle base
	inScalar []int // offset of a scalar input's value, −1 for a series
	inOff    []int
	inLen    []int
	outSc    []int // offset of a scalar output's slot, −1 for a series
	outOff   []int
	outLen   []int
	index    int
	m        *Model // for the messages of misuse

	// Choices of a model with decisions (decision.go); nil without.
	dec *trialDecision
}

// Index returns the trial's index in the run, from 0 to Trials−1. It is the
// same index for any number of workers.
func (t *Trial) Index() int { return t.index }

// Value returns the draw of scalar input h in this trial. It panics for a
// series input (use Values) and for a handle of another model.
func (t *Trial) Value(h Input) float64 {
	i := int(h) - t.base
	if uint(i) >= uint(len(t.inScalar)) || t.inScalar[i] < 0 {
		panic(misuse{t.m, callValue, int(h), 0})
	}
	return t.in[t.inScalar[i]]
}

// Values returns the draws of series input h in this trial, one per year
// (one value for a scalar input). The slice belongs to the engine: read it,
// do not modify or retain it. It panics for a handle of another model.
func (t *Trial) Values(h Input) []float64 {
	i := int(h) - t.base
	if uint(i) >= uint(len(t.inOff)) {
		panic(misuse{t.m, callValues, int(h), 0})
	}
	o := t.inOff[i]
	e := o + t.inLen[i]
	return t.in[o:e:e]
}

// Set sets scalar output h. It panics for a series output (use SetAt) and
// for a handle of another model.
func (t *Trial) Set(h Output, v float64) {
	i := int(h) - t.base
	if uint(i) >= uint(len(t.outSc)) || t.outSc[i] < 0 {
		panic(misuse{t.m, callSet, int(h), 0})
	}
	t.out[t.outSc[i]] = v
}

// SetAt sets year i (0-based) of series output h (i = 0 for a scalar
// output). It panics when i is outside the series and for a handle of
// another model; Run turns the panic into an error naming the trial.
func (t *Trial) SetAt(h Output, i int, v float64) {
	k := int(h) - t.base
	if uint(k) >= uint(len(t.outOff)) || uint(i) >= uint(t.outLen[k]) {
		panic(misuse{t.m, callSetAt, int(h), i})
	}
	t.out[t.outOff[k]+i] = v
}

// Trial methods, for the messages of misuse.
const (
	callValue = iota
	callValues
	callSet
	callSetAt
)

// misuse is the value a Trial method panics with when it is misused. It is
// a small value whose message is formatted only when printed, so that the
// accessors stay cheap enough to inline.
type misuse struct {
	m      *Model
	method int
	h, i   int
}

// Error returns the message: the call, the input or output it names and
// the call to use instead.
func (e misuse) Error() string {
	name := [...]string{"Value", "Values", "Set", "SetAt"}[e.method]
	k := e.h - e.m.base
	input := e.method == callValue || e.method == callValues
	switch {
	case input && (k < 0 || k >= len(e.m.inputs)):
		return fmt.Sprintf("forecast: Trial.%s: input handle %d is not one of this model's (a handle from another Model?)", name, e.h)
	case !input && (k < 0 || k >= len(e.m.outputs)):
		return fmt.Sprintf("forecast: Trial.%s: output handle %d is not one of this model's (a handle from another Model?)", name, e.h)
	case input:
		in := e.m.inputs[k]
		return fmt.Sprintf("forecast: Trial.Value(%q): input is a series of %d values; use Trial.Values", in.name, in.n)
	case e.method == callSet:
		o := e.m.outputs[k]
		return fmt.Sprintf("forecast: Trial.Set(%q): output is a series of %d years; use Trial.SetAt", o.name, o.n)
	}
	o := e.m.outputs[k]
	return fmt.Sprintf("forecast: Trial.SetAt(%q, %d, …): year index %d outside [0, %d)", o.name, e.i, e.i, o.n)
}

// newTrial returns a Trial for model m.
func (m *Model) newTrial() *Trial {
	t := &Trial{
		base:     m.base,
		m:        m,
		inScalar: make([]int, len(m.inputs)),
		inOff:    make([]int, len(m.inputs)),
		inLen:    make([]int, len(m.inputs)),
		outSc:    make([]int, len(m.outputs)),
		outOff:   make([]int, len(m.outputs)),
		outLen:   make([]int, len(m.outputs)),
		out:      make([]float64, m.nOut),
	}
	for i, in := range m.inputs {
		t.inOff[i], t.inLen[i], t.inScalar[i] = in.off, in.n, in.off
		if in.n != 1 {
			t.inScalar[i] = -1
		}
	}
	for i, o := range m.outputs {
		t.outOff[i], t.outLen[i], t.outSc[i] = o.off, o.n, o.off
		if o.n != 1 {
			t.outSc[i] = -1
		}
	}
	return t
}

// isFinite reports whether v is neither NaN nor ±Inf: v − v is 0 for every
// finite v and NaN otherwise (one subtraction, no branches on bit patterns).
func isFinite(v float64) bool { return v-v == 0 }
