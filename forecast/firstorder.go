package forecast

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
)

// FirstOrder is the first-order sensitivity of one output to one input
// value, estimated from given data (Metric.FirstOrder): the correlation
// ratio η² = Var(E[Y | X]) / Var(Y), the share of the output's variance
// that the input's value explains alone. With independent inputs it is the
// first-order Sobol' index (SobolIndex.First); unlike Sobol' indices from
// Saltelli's design it stays defined, and meaningful, when inputs are
// correlated: then it also counts what the input explains through the
// inputs it is correlated with (an input correlated with a driver has a
// first-order effect of its own even if the model never reads it). There
// is no total-order counterpart from given data.
type FirstOrder struct {
	// Input is the input's name.
	Input string
	// Year is the 1-based year of a series input's value, 0 for a scalar
	// input.
	Year int
	// Value is the bias-corrected estimate of η², in [0, 1] up to sampling
	// error: it may be slightly negative for an input without effect.
	Value float64
	// StdErr is the standard error of Value (delta method; see
	// Metric.FirstOrder).
	StdErr float64
	// Trials is the number of trials the estimate was computed from: the
	// trials of the sensitivity sample (or of the whole run with
	// Options.KeepInputs) whose output value is finite.
	Trials int
	// Bins is the number of bins of the input's values the estimate used.
	Bins int
}

// Label returns the input's name, followed by " [year]" for a year of a
// series.
func (f FirstOrder) Label() string {
	if f.Year > 0 {
		return fmt.Sprintf("%s [%d]", f.Input, f.Year)
	}
	return f.Input
}

// minFirstOrderTrials is the fewest valid trials FirstOrder estimates from:
// two bins of two trials each at least, and a variance within bins.
const minFirstOrderTrials = 8

// FirstOrder returns the first-order sensitivity of this output to each
// input value (every year of a series is one entry), estimated from the
// run's trials as the correlation ratio η² = Var(E[Y | X_i]) / Var(Y),
// largest Value first (ties in declaration order). Inputs that do not vary
// are left out. Unlike SobolIndices it needs no extra model evaluations and
// is valid with correlated inputs (see FirstOrder, the type).
//
// Which trials: those of Sensitivity — with Options.KeepInputs every trial
// of the run, otherwise the sensitivity sample (the first
// min(Trials, SensitivitySample) trials, kept by every run in every mode) —
// whose output value is finite; n of them.
//
// Estimator: the trials are put into B = ⌊√n⌋ bins of about equal count by
// the input's rank (tied values share a bin, so a discrete input with few
// values has one bin per value and at most B bins), E[Y | X_i] is estimated
// by each bin's mean, and η² by the between-bin sum of squares over the
// total, corrected for the between-bin variance that noise alone gives
// (Kelley's ε²: (SS_between − (B−1)·SS_within/(n−B)) / SS_total, unbiased
// when Y does not depend on X_i). Binning loses the variation of E[Y | X_i]
// within a bin, a downward bias of the order of 1/B² of Var(E[Y | X_i])
// for a smooth dependence (more when it is steep in a long tail of X_i's
// distribution); with √n bins it is far below the standard error.
//
// StdErr is from the delta method with the influence function of the
// correlation ratio, ψ = [(g − μ)² + 2(y − g)(g − μ) − η²(y − μ)²] / Var(Y)
// with g the bin mean, plus the variance of the noise in the bin means
// (the whole of it when Y does not depend on X_i, where ψ vanishes), less
// what that noise adds to the plug-in Var(ψ̂): StdErr² = max(Var(ψ̂)/n −
// 4ν, 0) + 2ν with ν = (B−1)(1 − η²)²/n², η² clamped to [0, 1] there.
// TestFirstOrderStdErr checks it against the spread over seeds. It assumes independent trials: under LatinHypercube or
// QuasiMonteCarlo it is conservative.
//
// Cost: the input ranks of Sensitivity (computed once per Result and
// shared; O(n) per input value), then O(n) per input value; 16 bytes per
// trial of scratch. Errors: fewer than 8 valid trials, an output that does
// not vary over them, and a cancelled ctx (FirstOrderContext). A nil
// Metric, or a Result without sensitivity data, gives an error too.
func (m *Metric) FirstOrder() ([]FirstOrder, error) {
	return m.FirstOrderContext(context.Background())
}

// FirstOrderContext is FirstOrder, stopping with an error that wraps
// ctx.Err() when ctx is cancelled while the inputs are ranked.
func (m *Metric) FirstOrderContext(ctx context.Context) ([]FirstOrder, error) {
	if m == nil || m.res == nil || m.res.sens == nil {
		return nil, fmt.Errorf("forecast: FirstOrder: no sensitivity data (a nil Metric, or a Result without trials)")
	}
	r := m.res
	col := r.sens.out[slices.Index(r.all, m)]
	y := make([]float64, 0, len(col))
	for _, v := range col {
		if isFinite(v) {
			y = append(y, v)
		}
	}
	n := len(y)
	if n < minFirstOrderTrials {
		return nil, fmt.Errorf("forecast: FirstOrder of %q: %d valid trials, want at least %d", m.Label(), n, minFirstOrderTrials)
	}
	mean, ss := 0.0, 0.0
	for _, v := range y {
		mean += v
	}
	mean /= float64(n)
	for _, v := range y {
		ss += (v - mean) * (v - mean)
	}
	if !(ss > 0) {
		return nil, fmt.Errorf("forecast: FirstOrder of %q: the output does not vary over its %d valid trials", m.Label(), n)
	}
	pr, err := r.prepare(ctx, m)
	if err != nil {
		return nil, fmt.Errorf("forecast: FirstOrder of %q: %w", m.Label(), err)
	}
	bins := max(2, int(math.Sqrt(float64(n))))
	sc := &etaScratch{bin: make([]int32, n), sum: make([]float64, bins), cnt: make([]int, bins)}
	var out []FirstOrder
	for d, rx := range pr.inRanks {
		eta, se, b, ok := correlationRatio(y, mean, ss, rx, bins, sc)
		if !ok {
			continue // a constant input: no information
		}
		out = append(out, FirstOrder{Input: r.inputName[d], Year: r.inputYear[d], Value: eta, StdErr: se, Trials: n, Bins: b})
	}
	slices.SortStableFunc(out, func(a, b FirstOrder) int { return cmp.Compare(b.Value, a.Value) })
	return out, nil
}

// etaScratch is correlationRatio's reusable scratch.
type etaScratch struct {
	bin []int32   // per trial, its bin
	sum []float64 // per bin, sum of y
	cnt []int     // per bin, count
}

// correlationRatio returns the bias-corrected correlation ratio of y on the
// input whose 1-based ranks (ties sharing their average rank) are rx, with
// at most bins equal-count bins, its standard error and the number of
// non-empty bins used (see Metric.FirstOrder). mean and ss are y's mean and
// sum of squared deviations. ok is false when the input takes one value.
func correlationRatio(y []float64, mean, ss float64, rx []float64, bins int, sc *etaScratch) (eta, se float64, used int, ok bool) {
	n := len(y)
	clear(sc.sum)
	clear(sc.cnt)
	fn, fb := float64(n), float64(bins)
	for j, r := range rx {
		// Rank r (1..n) falls in bin ⌊(r − ½)·B/n⌋: equal counts, and tied
		// values (one shared rank) in one bin.
		b := min(int((r-0.5)*fb/fn), bins-1)
		sc.bin[j] = int32(b)
		sc.sum[b] += y[j]
		sc.cnt[b]++
	}
	ssb := 0.0
	for b, c := range sc.cnt {
		if c == 0 {
			continue
		}
		used++
		sc.sum[b] /= float64(c) // now the bin's mean
		ssb += float64(c) * (sc.sum[b] - mean) * (sc.sum[b] - mean)
	}
	if used < 2 {
		return 0, 0, used, false
	}
	ssw := max(ss-ssb, 0)
	fu := float64(used)
	eta = (ssb - (fu-1)*ssw/(fn-fu)) / ss
	// Influence function of η² at each trial (η² the plug-in ssb/ss), and
	// its sample variance.
	v, raw := ss/fn, ssb/ss
	mpsi, m2 := 0.0, 0.0
	for j, yj := range y {
		g := sc.sum[sc.bin[j]]
		psi := ((g-mean)*(g-mean) + 2*(yj-g)*(g-mean) - raw*(yj-mean)*(yj-mean)) / v
		// Welford's update: ψ can be large for a heavy-tailed output.
		k := float64(j + 1)
		dlt := psi - mpsi
		mpsi += dlt / k
		m2 += dlt * (psi - mpsi)
	}
	// The noise in the B bin means adds (1 − η²)·Var(Y)·χ²_{B−1}/n to
	// SS_between/n: variance 2(B−1)(1 − η²)²/n² of η̂², which the
	// influence function (first order in 1/n) does not see. The same noise
	// in g inflates the plug-in Var(ψ)/n by about 4(B−1)(1 − η²)²/n²
	// (through the term 2(y − g)(g − μ)), which is taken off.
	q := 1 - min(max(eta, 0), 1)
	noise := (fu - 1) * q * q / (fn * fn)
	se = math.Sqrt(max(m2/(fn-1)/fn-4*noise, 0) + 2*noise)
	return eta, se, used, true
}
