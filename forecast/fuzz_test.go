package forecast

import (
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mcforecast/mcforecast/distributions"
)

// fuzzBytes reads a fuzz input as a sequence of small decisions and float64
// parameters; past its end it reads zeros.
type fuzzBytes struct{ b []byte }

func (f *fuzzBytes) byte() byte {
	if len(f.b) == 0 {
		return 0
	}
	c := f.b[0]
	f.b = f.b[1:]
	return c
}

// float returns a parameter: one of a few extreme or subnormal values, or
// the raw bits of the next 8 bytes, or a small ordinary number.
func (f *fuzzBytes) float() float64 {
	specials := []float64{0, 1, -1, 0.5, 1e-320, 5e-324, -5e-324, 2e-308, 1e-300, 1e300, -1e300,
		math.MaxFloat64, -math.MaxFloat64, math.Inf(1), math.NaN(), 1e15, 1 - 1e-16}
	switch c := f.byte(); {
	case c < 64:
		return specials[int(c)%len(specials)]
	case c < 128:
		var w [8]byte
		for i := range w {
			w[i] = f.byte()
		}
		return math.Float64frombits(binary.LittleEndian.Uint64(w[:]))
	default:
		return float64(int(c)-192) / 8
	}
}

func (f *fuzzBytes) dist() distributions.Dist {
	a, b, c := f.float(), f.float(), f.float()
	switch f.byte() % 10 {
	case 0:
		return distributions.Constant{Value: a}
	case 1:
		return distributions.Uniform{Min: a, Max: b}
	case 2:
		return distributions.Normal{Mu: a, Sigma: b}
	case 3:
		return distributions.LogNormal{Mu: a, Sigma: b}
	case 4:
		return distributions.Triangular{Min: a, Mode: b, Max: c}
	case 5:
		return distributions.PERT{Min: a, Mode: b, Max: c}
	case 6:
		// Shapes beyond 1e6 make Beta.Quantile take about a millisecond
		// (gonum's inverse incomplete beta; reported to package
		// distributions), which the fuzzer mistakes for a hang under LHS.
		return distributions.Beta{Alpha: math.Min(a, 1e6), Beta: math.Min(b, 1e6)}
	case 7:
		a, b = math.Min(a, 1e6), math.Min(b, 1e300) // as for Beta
		if a > 0 && a < 1e-300 {
			// gamma with a subnormal shape passes Validate but its
			// Quantile never returns (gonum's GammaIncRegCompInv; issue 18
			// item 4, for package distributions to refuse): FuzzRun found
			// it. Skipped so that fuzzing goes on to other cases.
			a = 1e-300
		}
		return distributions.Gamma{Shape: a, Rate: b}
	case 8:
		return distributions.Bernoulli{P: a}
	default:
		return distributions.CI90(a, b)
	}
}

// fuzzModel builds a small model from the fuzz input: one to three inputs
// (scalar or short series) of random distributions, maybe a correlation,
// and outputs combining them in ways that overflow, underflow or divide by
// zero.
func fuzzModel(f *fuzzBytes) (*Model, string) {
	m := NewModel()
	n := 1 + int(f.byte()%3)
	ins := make([]Input, n)
	desc := ""
	for i := range ins {
		d := f.dist()
		length := 1 + int(f.byte()%3)
		ins[i] = m.Series(fmt.Sprintf("in%d", i), d, length)
		desc += fmt.Sprintf("in%d=%v×%d ", i, d, length)
	}
	if n > 1 && f.byte()%2 == 1 {
		rho := f.float()
		m.Correlate(ins[0], ins[1], rho)
		desc += fmt.Sprintf("ρ=%v ", rho)
	}
	op := f.byte() % 4
	desc += fmt.Sprintf("op=%d", op)
	sum := m.Output("sum")
	series := m.OutputSeries("series", 2)
	m.Eval(func(t *Trial) {
		acc := 0.0
		if op == 1 {
			acc = 1
		}
		for _, h := range ins {
			for _, v := range t.Values(h) {
				switch op {
				case 0:
					acc += v
				case 1:
					acc *= v
				case 2:
					acc += 1 / v
				default:
					acc += math.Exp(v)
				}
			}
		}
		t.Set(sum, acc)
		t.SetAt(series, 0, acc)
		t.SetAt(series, 1, t.Values(ins[0])[0])
	})
	return m, desc
}

// FuzzRun drives Run with random small models and options. Whatever the
// parameters, Run returns within a bounded time; it returns an error or a
// result in which Count + Invalid = Trials for every metric and every
// statistic of a metric with values is finite.
func FuzzRun(f *testing.F) {
	f.Add([]byte{1, 1, 200, 210, 2, 0, 0, 0, 0})
	f.Add([]byte{3, 2, 200, 220, 0, 2, 4, 150, 30, 1, 1, 9, 1, 1})
	f.Add([]byte{2, 7, 5, 200, 0, 1, 1, 9, 10, 7, 0, 1, 3, 1, 2, 3, 0})
	f.Add([]byte{1, 9, 0, 0, 1, 2, 1, 3})
	f.Fuzz(func(t *testing.T, data []byte) {
		fb := &fuzzBytes{data}
		m, desc := fuzzModel(fb)
		opts := Options{
			// Up to 1021 trials (one block): a few distributions' Quantile
			// takes a millisecond (gamma with a shape of 1e15 under LHS), and
			// the fuzzer takes a worker that is busy for seconds for a hung
			// one.
			Trials:    1 + int(fb.byte())*4,
			Seed:      uint64(fb.byte()),
			Workers:   1 + int(fb.byte()%3),
			Method:    Method(fb.byte() % 3),
			Streaming: fb.byte()%2 == 1,
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		type out struct {
			res *Result
			err error
		}
		c := make(chan out, 1)
		go func() {
			res, err := Run(ctx, m, opts)
			c <- out{res, err}
		}()
		var o out
		select {
		case o = <-c:
		case <-time.After(30 * time.Second):
			require.FailNowf(t, "hang", "Run did not return within 30 s (context: 5 s): %s %+v", desc, opts)
		}
		if o.err != nil {
			return
		}
		for _, met := range o.res.Metrics() {
			checkFuzzMetric(t, met, o.res.Trials(), desc)
		}
	})
}

func checkFuzzMetric(t *testing.T, met *Metric, trials int, desc string) {
	t.Helper()
	require.Equalf(t, trials, met.Count()+met.Invalid(), "%s %s: Count + Invalid", desc, met.Label())
	if met.Count() == 0 {
		return
	}
	lo, hi := met.PercentileCI(0.5, 0.95)
	stats := map[string]float64{
		"Mean": met.Mean(), "Min": met.Min(), "Max": met.Max(),
		"P5": met.Percentile(0.05), "P50": met.Percentile(0.5), "P95": met.Percentile(0.95),
		"ProbBelow(0)": met.ProbBelow(0), "ProbAbove(0)": met.ProbAbove(0), "CI lo": lo, "CI hi": hi,
	}
	if met.Count() > 1 {
		stats["StdDev"] = met.StdDev()
	}
	for name, v := range stats {
		require.Truef(t, isFinite(v), "%s %s: %s = %v with Count %d, Invalid %d", desc, met.Label(), name, v, met.Count(), met.Invalid())
	}
	require.LessOrEqualf(t, met.ProbBelow(0)+met.ProbAbove(0), 1+1e-9, "%s %s: ProbBelow(0) + ProbAbove(0)", desc, met.Label())
	total := 0
	for _, c := range met.Histogram(8).Counts {
		total += c
	}
	require.Equalf(t, met.Count(), total, "%s %s: values in the histogram", desc, met.Label())
}
