package forecast

import (
	"github.com/mcforecast/mcforecast/distributions"
	"github.com/mcforecast/mcforecast/internal/stream"
)

// mcSampler is MonteCarlo: every input value drawn independently from
// block b's PCG stream, value by value (every trial of the block for value
// 0, then value 1, …), by the distribution's Fill where it has one, else
// its Sample; a copula value gets a standard normal score.
type mcSampler struct {
	p       *plan
	fillers []distributions.Filler // batch sampler of value d, or nil
}

func newMCSampler(p *plan) (sampler, error) {
	s := &mcSampler{p: p, fillers: make([]distributions.Filler, p.m.nIn)}
	for d, dist := range p.dists {
		s.fillers[d], _ = dist.(distributions.Filler)
	}
	return s, nil
}

func (s *mcSampler) newScratch(int) any { return nil }

func (s *mcSampler) fill(w *worker, b, nb int) {
	p := s.p
	nIn := p.m.nIn
	stream.Reset(&w.src, p.opts.Seed, uint64(b))
	r := w.rng
	in := w.in[:nb*nIn]
	for d := 0; d < nIn; d++ {
		col := in[d:]
		switch {
		case p.corrDim[d]:
			for i := 0; i < nb; i++ {
				col[i*nIn] = r.NormFloat64()
			}
		case s.fillers[d] != nil:
			s.fillers[d].Fill(r, col, nb, nIn)
		default:
			dist := p.dists[d]
			for i := 0; i < nb; i++ {
				col[i*nIn] = dist.Sample(r)
			}
		}
	}
}
