package forecast

import (
	"context"
	"errors"
	"fmt"
	"math"

	"github.com/mcforecast/mcforecast/internal/decide"
)

// SeekTolerance is the relative width, (hi − lo)·SeekTolerance, to which Seek
// narrows the interval around x: far below the sampling error of any
// measure estimated from a run, and reached in about 20 runs when the
// measure is a step function (a probability over a fixed sample), fewer when
// it is smooth (a mean).
const SeekTolerance = 1e-6

// Seek finds x in [lo, hi] where measure(Run(build(x))) = target (goal
// seek), for example the capex that keeps P(five-year cash flow < 0) at
// 10 %. It runs build(x) with the same opts, and so the same seed, for every
// x: the measure is then a deterministic function of x, monotone when the
// model is, and root finding on it converges instead of chasing sampling
// noise. The answer is exact for that sample; its sampling error is that of
// the measure divided by the measure's slope in x.
//
// Seek brackets the root with Brent–Dekker (internal/decide.Brent): the
// measure minus target must change sign between lo and hi, otherwise the
// error states the measure at lo and at hi. The measure may be a step
// function (ProbBelow on a fixed sample); x is then within
// (hi − lo)·SeekTolerance of the step that crosses target. Seek returns x
// and the Result of the run at x. It runs at most 103 times (usually 10 to
// 25); a failing build, Run or a NaN measure is an error naming x; it checks
// ctx before each run and Run honours it during one.
func Seek(ctx context.Context, build func(x float64) (*Model, error), lo, hi float64,
	measure func(*Result) float64, target float64, opts Options) (x float64, res *Result, err error) {
	if build == nil || measure == nil {
		return math.NaN(), nil, errors.New("forecast: Seek: build and measure must not be nil")
	}
	if !(lo < hi) || math.IsInf(lo, 0) || math.IsInf(hi, 0) {
		return math.NaN(), nil, fmt.Errorf("forecast: Seek: lo = %v, hi = %v: want finite lo < hi", lo, hi)
	}
	if err := opts.Validate(); err != nil {
		return math.NaN(), nil, err
	}
	var lastX float64
	var last *Result
	run := func(x float64) (*Result, error) {
		m, err := build(x)
		if err != nil {
			return nil, fmt.Errorf("build: %w", err)
		}
		return Run(ctx, m, opts)
	}
	f := func(x float64) (float64, error) {
		r, err := run(x)
		if err != nil {
			return 0, err
		}
		lastX, last = x, r
		return measure(r), nil
	}
	x, err = decide.Brent(ctx, f, lo, hi, target, (hi-lo)*SeekTolerance, 0)
	if err != nil {
		return x, nil, fmt.Errorf("forecast: Seek: %w", err)
	}
	if last == nil || lastX != x {
		if last, err = run(x); err != nil {
			return x, nil, fmt.Errorf("forecast: Seek: x = %v: %w", x, err)
		}
	}
	return x, last, nil
}
