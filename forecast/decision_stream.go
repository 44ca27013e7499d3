package forecast

import (
	"fmt"
	"math"
	"slices"

	"github.com/mcforecast/mcforecast/internal/sketch"
)

// Decisions under Options.Streaming.
//
// A streaming run keeps no trial's value, so the comparisons that need the
// same trial under every choice are computed while the trial is at hand: the
// run of a model with decisions appends, for every scalar output that
// Model.Compare names (by default every one), derived output values that the engine streams like any other (an
// exact sum for the mean and variance, a sketch for percentiles), merges
// across workers and partials, and that the Result keeps out of sight (they
// are not outputs: no name in Outputs, no Warnings, no Under). For C
// choices and each scalar output y they are, in this order:
//
//   - the C(C−1)/2 differences y_a − y_b, a after b in Choices order
//     (Difference(b, a) is the exact negation of Difference(a, b), its
//     sketch mirrored);
//   - C scores: 1 + 1/k for each of the k choices with the highest value, 1
//     for the others (ProbBest is their means less 1: values in [1, 2]
//     rather than {0, 1} keep the exact sums and the sketches on their fast
//     paths, which zeros leave; the subtraction is exact, and the mean then
//     differs from exact mode's by at most 2⁻⁵³);
//   - 2·C regrets max_c y_c − y_c, each in one half of the trials and NaN in
//     the other (EVPI, cross-fitted on the two halves).
//
// Scores and regrets are NaN in a trial where y is not finite under some
// choice, so that, as in exact mode, every choice is compared on the same
// trials. The halves are alternate blocks of BlockSize trials, or the two
// halves of a run of one block. Under MonteCarlo and LatinHypercube a block
// is drawn (and stratified) from its own stream, so the halves are
// independent; under QuasiMonteCarlo they are interleaved segments of one
// Sobol' sequence, as exact mode's halves are its two ends.
//
// That costs C(C−1)/2 + 3C streamed values per compared output and trial:
// 12 for 3 choices, against the 3 values of the output itself
// (BenchmarkDecision: a 3-choice trial of a 2-output model costs about 9
// times a single streaming trial, 3.2 times a 3-choice exact one).

// Compare limits the outputs that a streaming run of m compares across the
// choices of its decisions (Result.Difference, ProbBest and EVPI under
// Options.Streaming) to the named scalar outputs, declared before the call.
// By default a streaming run compares every scalar output, at a cost of
// C(C−1)/2 + 3C streamed values per output and trial for C choices (12 for
// 3, each as costly as an output value: an exact sum, a sketch, and a
// column of the sensitivity sample); a model with many scalar outputs but
// few that decide saves that much by naming those. Compare with no name
// compares none. Exact runs compare every output from the stored values,
// whatever Compare says. A name that is not a scalar output declared so far
// is an error reported by Validate; a later call replaces the list.
func (m *Model) Compare(outputs ...string) {
	if m.dec == nil {
		m.dec = &decisions{}
	}
	m.dec.compare, m.dec.compareSet = nil, true
	for _, name := range outputs {
		i := slices.IndexFunc(m.outputs, func(o outputSpec) bool { return o.name == name })
		switch {
		case i < 0:
			m.errs = append(m.errs, fmt.Errorf("forecast: Compare(%q): no output of that name declared (outputs: %s)", name, quoteList(m.OutputNames())))
		case m.outputs[i].n != 1:
			m.errs = append(m.errs, fmt.Errorf("forecast: Compare(%q): output is a series of %d years; want a scalar output", name, m.outputs[i].n))
		default:
			m.dec.compare = append(m.dec.compare, name)
		}
	}
}

// compared reports whether a streaming run compares scalar output name.
func (d *decisions) compared(name string) bool {
	return !d.compareSet || slices.Contains(d.compare, name)
}

// derivedLayout places the derived values of a streaming run with
// decisions after the choices' output values (C·nOut of them).
type derivedLayout struct {
	choices int      // C
	nOut    int      // output values of the model under one choice
	scalars []int    // offset of each scalar output in one choice's values
	names   []string // their names
	pairs   int      // C(C−1)/2 differences
	per     int      // derived values per scalar output
	halfLen int      // trials per half-segment: alternate segments form the halves
}

// newDerivedLayout returns the layout of rd's derived values for a run of
// trials trials.
func newDerivedLayout(rd *decisionRun, trials int) *derivedLayout {
	C := len(rd.combos)
	l := &derivedLayout{choices: C, nOut: rd.orig.nOut, pairs: C * (C - 1) / 2, halfLen: BlockSize}
	l.per = l.pairs + 3*C
	if trials <= BlockSize {
		l.halfLen = max(1, (trials+1)/2)
	}
	for _, o := range rd.orig.outputs {
		if o.n == 1 && rd.orig.dec.compared(o.name) {
			l.scalars = append(l.scalars, o.off)
			l.names = append(l.names, o.name)
		}
	}
	return l
}

// first returns the index of the first derived value in a trial's output
// values, count their number.
func (l *derivedLayout) first() int { return l.choices * l.nOut }
func (l *derivedLayout) count() int { return len(l.scalars) * l.per }

// diff, score and regret return the index, among the derived values, of
// the difference a − b (a > b) of scalar output j, of choice c's score, and
// of choice c's regret in half h.
func (l *derivedLayout) diff(j, a, b int) int { return j*l.per + a*(a-1)/2 + b }
func (l *derivedLayout) score(j, c int) int   { return j*l.per + l.pairs + c }
func (l *derivedLayout) regret(j, h, c int) int {
	return j*l.per + l.pairs + l.choices + h*l.choices + c
}

// half returns the half (0 or 1) that trial index belongs to.
func (l *derivedLayout) half(index int) int { return index / l.halfLen & 1 }

// withDerived returns the model that a streaming run of m (a model built by
// forRun) simulates: m with the derived values of its decisions appended
// to its outputs, and an Eval that computes them after every choice's.
// Exact runs, and models without decisions or without a scalar output,
// return m. opts must be defaulted. withDerived of a model it returned
// returns that model.
func (m *Model) withDerived(opts Options) *Model {
	if !opts.Streaming || m.dec == nil || m.dec.run == nil || m.dec.derived != nil {
		return m
	}
	rd := m.dec.run
	l := newDerivedLayout(rd, opts.Trials)
	if len(l.scalars) == 0 {
		return m
	}
	dm := &Model{inputs: m.inputs, corrs: m.corrs, nu: m.nu, names: m.names, nIn: m.nIn, base: m.base, nOut: m.nOut,
		dec: &decisions{specs: m.dec.specs, run: rd, derived: l}}
	dm.outputs = slices.Clip(slices.Clone(m.outputs))
	for _, name := range l.names {
		for k := range l.per {
			dm.outputs = append(dm.outputs, outputSpec{name: fmt.Sprintf("%s (derived %d of %d)", name, k+1, l.per), n: 1, off: dm.nOut})
			dm.nOut++
		}
	}
	eval := m.eval
	dm.eval = func(t *Trial) {
		eval(t)
		l.derive(t.out, t.index)
	}
	return dm
}

// userOut returns the number of m's output values that are outputs of the
// model (those of every choice), before any derived value.
func (m *Model) userOut() int {
	if m.dec != nil && m.dec.derived != nil {
		return m.dec.derived.first()
	}
	return m.nOut
}

// derive computes the derived values of trial index from every choice's
// output values in out, and writes them after those. It allocates nothing.
func (l *derivedLayout) derive(out []float64, index int) {
	C, nO := l.choices, l.nOut
	h := l.half(index)
	nan := math.NaN()
	all := out[l.first():]
	for j, off := range l.scalars {
		d := all[j*l.per : (j+1)*l.per]
		k := 0
		for a := 1; a < C; a++ {
			ya := out[a*nO+off]
			for b := 0; b < a; b++ {
				d[k] = ya - out[b*nO+off]
				k++
			}
		}
		score, regret := d[l.pairs:l.pairs+C], d[l.pairs+C:]
		for i := range regret {
			regret[i] = nan
		}
		best, ties := math.Inf(-1), 0
		complete := true
		for c := range C {
			switch v := out[c*nO+off]; {
			case !isFinite(v):
				complete = false
			case v > best:
				best, ties = v, 1
			case v == best:
				ties++
			}
		}
		if !complete {
			for c := range score {
				score[c] = nan
			}
			continue
		}
		s := 1 / float64(ties)
		for c := range C {
			v := out[c*nO+off]
			score[c] = 1
			if v == best {
				score[c] = 1 + s
			}
			regret[h*C+c] = best - v
		}
	}
}

// scalarIndex returns the position of scalar output name in l.scalars.
func (l *derivedLayout) scalarIndex(name string) int { return slices.Index(l.names, name) }

// streamDifference returns the Metric of a − b (choices ca and cb) of
// scalar output j from the derived values: the streamed difference, or its
// negation, or zeros for a choice against itself.
func (d *decisionData) streamDifference(name string, j, ca, cb int, ya *Metric) *Metric {
	l := d.layout
	switch {
	case ca > cb:
		src := d.derived[l.diff(j, ca, cb)]
		return &Metric{name: name, mom: src.mom, sketch: src.sketch}
	case ca < cb:
		src := d.derived[l.diff(j, cb, ca)]
		mom := src.mom
		mom.Mean, mom.Min, mom.Max = -mom.Mean, -mom.Max, -mom.Min
		return &Metric{name: name, mom: mom, sketch: negated(src.sketch)}
	}
	// y − y: 0 where y is finite, NaN elsewhere.
	mom := moments{N: ya.mom.N, Invalid: ya.mom.Invalid, Min: math.Inf(1), Max: math.Inf(-1), Var: math.NaN()}
	s := sketch.New()
	if mom.N > 0 {
		mom.Mean, mom.Min, mom.Max = 0, 0, 0
		for range mom.N {
			s.Add(0)
		}
	}
	if mom.N > 1 {
		mom.Var = 0
	}
	return &Metric{name: name, mom: mom, sketch: s}
}

// streamEVPI is EVPI from the streamed regrets of scalar output j: for each
// half h, the regret of the choice with the least mean regret (the highest
// mean value) over the other half; their pooled mean and standard error.
func (d *decisionData) streamEVPI(j int) (value, stderr float64, err error) {
	l := d.layout
	if l.choices == 1 {
		return 0, 0, nil
	}
	var pick [2]*Metric
	for h := range 2 {
		o := 1 - h
		best := d.derived[l.regret(j, o, 0)]
		c := 0
		for k := 1; k < l.choices; k++ {
			if m := d.derived[l.regret(j, o, k)]; m.Mean() < best.Mean() {
				best, c = m, k
			}
		}
		if best.Count() == 0 {
			return 0, 0, fmt.Errorf("no trial of half %d of the run (alternate blocks of %d trials) has a finite value under every choice", o+1, l.halfLen)
		}
		pick[h] = d.derived[l.regret(j, h, c)]
	}
	n0, n1 := float64(pick[0].Count()), float64(pick[1].Count())
	n := n0 + n1
	if n < 2 {
		return 0, 0, fmt.Errorf("%v trials have a finite value under every choice: want at least 2", n)
	}
	m0, m1 := pick[0].mom.Mean, pick[1].mom.Mean
	value = (n0*m0 + n1*m1) / n
	// The pooled sum of squared deviations from value.
	ss := n0*(m0-value)*(m0-value) + n1*(m1-value)*(m1-value)
	for _, p := range pick {
		if p.Count() > 1 {
			ss += float64(p.Count()-1) * p.mom.Var
		}
	}
	return value, math.Sqrt(ss / (n - 1) / n), nil
}

// negated returns the sketch of the negated values of s: every bucket
// mirrored, with the exact extremes. The sketch's buckets are symmetric in
// the sign (a value's bucket is chosen by its magnitude), so this is the
// sketch that adding −v for every v added to s would build. Cost: one Add
// per value, about 3 ns.
func negated(s *sketch.Sketch) *sketch.Sketch {
	ns := sketch.New()
	n := s.Count()
	if n == 0 {
		return ns
	}
	ns.Add(-s.Min())
	if n > 1 {
		ns.Add(-s.Max())
	}
	first, left := true, n
	for v, c := range s.Buckets() {
		k := c
		if first {
			k-- // the minimum, added exactly
			first = false
		}
		if left -= c; left == 0 && n > 1 {
			k-- // the maximum, in the last bucket
		}
		for range k {
			ns.Add(-v)
		}
	}
	return ns
}
