package forecast

import (
	"errors"

	"github.com/mcforecast/mcforecast/distributions"
	"github.com/mcforecast/mcforecast/processes"
)

// processScore is the distribution the samplers see for the values of a
// process input: the standard normal scores that drive its path. Every
// Method draws them as it draws a Normal input (MonteCarlo: NormFloat64;
// LatinHypercube: stratified Φ⁻¹(u); QuasiMonteCarlo: Φ⁻¹ of the Sobol'
// coordinate), and the copula mixes them like any correlated value
// (FromNormal of the standard normal is the identity).
var processScore = distributions.Normal{Mu: 0, Sigma: 1}

// Process declares an input whose yearly values are a path of process p
// over years years: p.Path maps one standard normal score per year into
// the values, so year 1 is one step of one year after p's start. Read it
// with Trial.Values like a series. The scores are drawn by the run's
// Method (stratified under LatinHypercube, Sobol' coordinates under
// QuasiMonteCarlo), and Correlate or Autocorrelate with a process input
// correlates its normal-score increments: the requested Spearman
// coefficient is that between the scores of the yearly increments, not
// between the levels. Sensitivities, KeepInputs and Result's input columns
// see the path's values.
//
// An invalid p (or nil) is an error reported by Validate naming the input,
// as is a length outside [1, MaxSeriesLength]. Cost per trial: p.Path,
// O(years) (one exp per year for GBM), plus a copy of the scores; no
// allocation.
func (m *Model) Process(name string, p processes.Process, years int) Input {
	h := m.Series(name, processScore, years)
	m.inputs[len(m.inputs)-1].proc = p
	if p == nil { // Validate reports it; keep the input a process
		m.inputs[len(m.inputs)-1].proc = nilProcess{}
	}
	return h
}

// nilProcess stands for a nil processes.Process so that Validate reports
// it; only its String is ever called (by Fingerprint).
type nilProcess struct{ processes.Process }

func (nilProcess) String() string { return "<nil>" }

// errNilProcess is Validate's error for Process(name, nil, years).
var errNilProcess = errors.New("no process (nil processes.Process)")

// validateProcess returns the error of a process input's process, or nil.
func validateProcess(p processes.Process) error {
	if _, ok := p.(nilProcess); ok {
		return errNilProcess
	}
	return p.Validate()
}

// procInput is a process input of a plan: its values' offset in the input
// row, its length and its process.
type procInput struct {
	off, n int
	p      processes.Process
}

// processInputs returns the model's process inputs and the longest one's
// length.
func (m *Model) processInputs() ([]procInput, int) {
	var ps []procInput
	longest := 0
	for _, in := range m.inputs {
		if in.proc != nil {
			ps = append(ps, procInput{in.off, in.n, in.proc})
			longest = max(longest, in.n)
		}
	}
	return ps, longest
}

// applyProcesses replaces the normal scores of every process input in the
// block's nb input rows by the process's path, through the scratch z (at
// least as long as the longest process input). It does not allocate.
func (p *plan) applyProcesses(in, z []float64, nb int) {
	nIn := p.m.nIn
	for _, pi := range p.procs {
		zs := z[:pi.n]
		for i := 0; i < nb; i++ {
			row := in[i*nIn+pi.off : i*nIn+pi.off+pi.n]
			copy(zs, row)
			pi.p.Path(zs, row)
		}
	}
}

// InputProcess returns the process of the named Process input and whether
// the model has a Process input of that name. (InputDist returns the
// standard normal of its driving scores.)
func (m *Model) InputProcess(name string) (processes.Process, bool) {
	for _, in := range m.inputs {
		if in.name == name && in.proc != nil {
			return in.proc, true
		}
	}
	return nil, false
}
