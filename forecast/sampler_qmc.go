package forecast

import (
	"fmt"

	"github.com/mcforecast/mcforecast/internal/sobol"
)

// qmcSampler is QuasiMonteCarlo: trial i's input row is point i of a
// scrambled Sobol' sequence with one dimension per input value, mapped
// through each input's Inverter; a copula value gets the normal score
// Φ⁻¹(u) of its coordinate. A point depends on (Seed, i) alone (package
// sobol computes any index on its own, exactly up to 2⁶⁴), so a block
// needs nothing from the blocks before it.
type qmcSampler struct {
	p   *plan
	seq *sobol.Sequence
}

func newQMCSampler(p *plan) (sampler, error) {
	n := p.m.nIn
	if n > sobol.MaxDims {
		return nil, fmt.Errorf("forecast: Options.Method qmc: the model has %d input values (a series counts one per year), more than the Sobol' sequence's sobol.MaxDims (%d); use fewer values or MonteCarlo", n, sobol.MaxDims)
	}
	if n == 0 {
		return &qmcSampler{p: p}, nil
	}
	// The scramble is drawn from Seed by package sobol (salted so that it
	// is unrelated to the PCG streams derived from the same Seed).
	seq, err := sobol.New(n, p.opts.Seed)
	if err != nil {
		return nil, fmt.Errorf("forecast: Options.Method qmc: %w", err)
	}
	for d := range p.dists {
		p.needInverter(d)
	}
	return &qmcSampler{p: p, seq: seq}, nil
}

// newScratch returns the column of uniforms of one input value.
func (s *qmcSampler) newScratch(rows int) any { return make([]float64, rows) }

func (s *qmcSampler) fill(w *worker, b, nb int) {
	if s.seq == nil || nb == 0 {
		return
	}
	p := s.p
	nIn := p.m.nIn
	in := w.in[:nb*nIn]
	u := w.scr.([]float64)[:nb]
	for d := 0; d < nIn; d++ {
		s.seq.Column(d, uint64(b)*BlockSize, u)
		p.fromUniforms(d, u, in[d:], nIn)
	}
}
