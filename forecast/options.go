package forecast

import (
	"fmt"
	"math"
	"runtime"
	"slices"
)

// Method is the sampling method of a run. Each method is one sampler (see
// sampler.go) and one entry of the methods table below.
type Method int

const (
	// MonteCarlo draws every input value independently (the zero value).
	MonteCarlo Method = iota
	// LatinHypercube stratifies every input value (every year of a series
	// too) within each block: in a block of n trials, each of the n
	// equal-probability strata of every input holds exactly one draw.
	LatinHypercube
	// QuasiMonteCarlo takes trial i's inputs from point i of a scrambled
	// Sobol' sequence (Joe–Kuo direction numbers, Owen-type nested
	// scramble seeded from Options.Seed), one dimension per input value
	// (every year of a series). A point depends on (Seed, i) alone, so
	// results are bit-identical for any Workers and through
	// SimulateBlocks and Merge. For smooth models the error of a mean falls
	// close to 1/n instead of 1/√n; the balance properties hold for
	// power-of-two trial counts (Trials = 2^k), and for other counts the
	// error bound degrades toward Monte Carlo's as n departs from one.
	// A model has at most sobol.MaxDims (21 201) input values under this
	// method; more is an error of Check and Run.
	//
	// Precision: the order-statistic confidence intervals of percentiles
	// (Metric.PercentileCI) and the Options.Precision stopping rule assume
	// independent draws; under QuasiMonteCarlo they are conservative (wider
	// than the true error, which is smaller, for smooth models much
	// smaller), so a Precision run may stop later than it needs to, never
	// earlier; the stop is the same for any number of workers.
	QuasiMonteCarlo
)

// methodSpec is a sampling method's entry in the methods table: its name,
// the other spellings ParseMethod accepts, and its sampler.
type methodSpec struct {
	name       string
	aliases    []string
	newSampler func(p *plan) (sampler, error)
}

// methods is indexed by Method. A new method is one sampler file and one
// line here.
var methods = [...]methodSpec{
	MonteCarlo:      {"montecarlo", []string{"mc", "monte-carlo"}, newMCSampler},
	LatinHypercube:  {"lhs", []string{"latinhypercube", "latin-hypercube"}, newLHSSampler},
	QuasiMonteCarlo: {"qmc", []string{"sobol", "quasimontecarlo", "quasi-monte-carlo"}, newQMCSampler},
}

// valid reports whether m is a method of the table.
func (m Method) valid() bool { return m >= 0 && int(m) < len(methods) }

// String returns "montecarlo", "lhs" or "qmc".
func (m Method) String() string {
	if m.valid() {
		return methods[m].name
	}
	return fmt.Sprintf("Method(%d)", int(m))
}

// methodNames returns "montecarlo, lhs or qmc".
func methodNames() string {
	s := ""
	for i, spec := range methods {
		switch {
		case i == 0:
		case i == len(methods)-1:
			s += " or "
		default:
			s += ", "
		}
		s += spec.name
	}
	return s
}

// ParseMethod reads "montecarlo" (or "mc"), "lhs" (or "latinhypercube")
// and "qmc" (or "sobol", "quasimontecarlo"); "" is MonteCarlo.
func ParseMethod(s string) (Method, error) {
	if s == "" {
		return MonteCarlo, nil
	}
	for i, spec := range methods {
		if s == spec.name || slices.Contains(spec.aliases, s) {
			return Method(i), nil
		}
	}
	return 0, fmt.Errorf("forecast: method %q, want %s", s, methodNames())
}

// BlockSize is the number of trials in a block, the unit of work and of
// randomness: block b draws from its own stream derived from (Seed, b).
// It is part of the stream contract (see the package documentation).
const BlockSize = 1024

// MaxTrials is the largest Options.Trials: 2⁵³ on 64-bit platforms (beyond
// it float64 counts, in the streaming sketches and in probabilities, are no
// longer exact), about 2³⁰ on 32-bit ones (so that trial indices and block
// offsets fit an int).
const MaxTrials = min(1<<53, math.MaxInt>>1&^(BlockSize-1))

// MaxWorkers is the largest Options.Workers. A run never starts more
// workers than it has blocks.
const MaxWorkers = 1 << 16

// numBlocks returns ⌈trials/BlockSize⌉ without overflow.
func numBlocks(trials int) int {
	b := trials / BlockSize
	if trials%BlockSize != 0 {
		b++
	}
	return b
}

// DefaultTrials is the number of trials of a run whose Options.Trials is 0.
const DefaultTrials = 100_000

// Options configures Run. The zero value runs DefaultTrials Monte Carlo
// trials with seed 0 on GOMAXPROCS workers, storing every output value.
// Options is a plain value: print it, save it beside a result
// (Result.Options returns the values a run used) and it reproduces the run.
type Options struct {
	// Trials is the number of trials (0 means DefaultTrials; at most
	// MaxTrials). With Precision set, it is the cap.
	Trials int
	// Seed selects the random streams (under QuasiMonteCarlo, the
	// scramble of the Sobol' points). The same Seed gives bit-identical
	// results whatever Workers is.
	Seed uint64
	// Workers is the number of goroutines simulating blocks (0 means
	// runtime.GOMAXPROCS(0); at most MaxWorkers, and never more than the
	// run has blocks). It does not change results.
	Workers int
	// Method is MonteCarlo (the zero value), LatinHypercube or
	// QuasiMonteCarlo.
	Method Method
	// Streaming keeps bounded-memory mergeable quantile sketches instead of
	// every output value, so that 10⁹ trials fit in a few hundred MB.
	// Percentiles are then within a relative error of SketchAccuracy of the
	// exact ones; Metric.Samples returns nil; sensitivities come from the
	// sensitivity sample (SensitivitySample), as in exact mode.
	Streaming bool
	// Precision, when > 0, stops the run at the first checkpoint where, for
	// every output, the 95 % confidence intervals of P5, P50 and P95 are no
	// wider than ± Precision × the output's standard deviation. Trials is
	// then the cap. Checkpoints fall at fixed block counts, so the stop is
	// the same for any number of workers. The intervals assume independent
	// draws: under QuasiMonteCarlo they are conservative, so the run may
	// stop later than the precision reached would allow.
	Precision float64
	// KeepInputs stores every input draw, so that Metric.Sensitivity and
	// SensitivityByInput use every trial instead of the first
	// SensitivitySample (the sensitivity sample every run keeps). It costs
	// 8 bytes per trial per input value (a 5-year series counts 5), and the
	// first Sensitivity call ranks every input value once (8 more bytes per
	// trial per input value, kept for later calls). It requires exact
	// (non-streaming) mode.
	KeepInputs bool
	// RepairCorrelations replaces a correlation matrix that is not positive
	// semi-definite by the nearest correlation matrix (Higham 2002) instead
	// of failing; Result.Correlations reports the matrix used.
	RepairCorrelations bool
	// Progress, if not nil, is called with the trials done and the total (the
	// cap with Precision) at most every 100 ms and once at the end, from a
	// goroutine of its own (one call at a time). It must return quickly. A
	// panic (or runtime.Goexit) in it stops the run, and Run returns it as
	// an error.
	Progress func(done, total int) `json:"-"`
}

// withDefaults returns o with zero values replaced by their defaults.
func (o Options) withDefaults() Options {
	if o.Trials == 0 {
		o.Trials = DefaultTrials
	}
	if o.Workers == 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	return o
}

// Validate reports options that no run can use: Trials or Workers negative
// or above MaxTrials or MaxWorkers, an unknown Method, a negative or NaN
// Precision, KeepInputs with Streaming.
func (o Options) Validate() error {
	switch {
	case o.Trials < 0:
		return fmt.Errorf("forecast: Options.Trials %d, want ≥ 0 (0 means %d)", o.Trials, DefaultTrials)
	case o.Trials > MaxTrials:
		return fmt.Errorf("forecast: Options.Trials %d, want at most MaxTrials (%d)", o.Trials, MaxTrials)
	case o.Workers < 0:
		return fmt.Errorf("forecast: Options.Workers %d, want ≥ 0 (0 means GOMAXPROCS)", o.Workers)
	case o.Workers > MaxWorkers:
		return fmt.Errorf("forecast: Options.Workers %d, want at most MaxWorkers (%d)", o.Workers, MaxWorkers)
	case !o.Method.valid():
		return fmt.Errorf("forecast: Options.Method %d, want MonteCarlo, LatinHypercube or QuasiMonteCarlo", int(o.Method))
	case !(o.Precision >= 0) || math.IsInf(o.Precision, 0):
		return fmt.Errorf("forecast: Options.Precision %v, want a finite value ≥ 0 (0 means run all Trials)", o.Precision)
	case o.KeepInputs && o.Streaming:
		return fmt.Errorf("forecast: Options.KeepInputs needs every draw and cannot be combined with Streaming")
	}
	return nil
}
