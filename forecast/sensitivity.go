package forecast

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"sync"

	"golang.org/x/sync/errgroup"
	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
)

// Sensitivity is one bar of a tornado chart: how strongly one input value
// (Metric.Sensitivity) or one input with all its years
// (Metric.SensitivityByInput) moves an output, measured over the trials of
// a run.
type Sensitivity struct {
	// Input is the input's name.
	Input string
	// Year is the 1-based year of a series input's value, 0 for a scalar
	// input and in the grouped view (Metric.SensitivityByInput).
	Year int
	// Values is the number of input values the entry covers: 1 for a
	// scalar input or one year of a series, the series' length in the
	// grouped view.
	Values int
	// Spearman is the rank correlation between the input's draws and the
	// output's values, in [−1, 1]. In the grouped view it is the signed
	// multiple rank correlation (see Metric.SensitivityByInput), which is
	// the Spearman coefficient itself for a scalar input.
	Spearman float64
	// StdErr is the standard error of Spearman at the number of trials
	// used (Trials): from Bonett and Wright (2000), var(atanh ρ̂) ≈
	// (1 + ρ̂²/2)/(n − 3), mapped back through tanh by the delta method:
	// StdErr = (1 − ρ̂²)·√((1 + ρ̂²/2)/(n − 3)). About 0.004 for a weak
	// driver at the SensitivitySample of 2¹⁶ trials. In the grouped view
	// the same formula is applied to the multiple correlation, an
	// approximation for a series: it ignores the upward bias of about
	// Values/Trials in Spearman² (1.5·10⁻⁴ for 10 years at 2¹⁶ trials).
	StdErr float64
	// Contribution is Spearman² normalised so that the contributions of an
	// output's entries sum to 1: the usual "contribution to variance" of
	// @RISK and Crystal Ball, exact for a monotone additive model with
	// independent inputs and an approximation otherwise. In the grouped
	// view it is each input's rank R² over the sum of them.
	Contribution float64
	// Trials is the number of trials the coefficient was computed from:
	// the trials of the sensitivity sample (or of the whole run with
	// Options.KeepInputs) whose output value is finite.
	Trials int
}

// Label returns the input's name, followed by " [year]" for a year of a
// series.
func (s Sensitivity) Label() string {
	if s.Year > 0 {
		return fmt.Sprintf("%s [%d]", s.Input, s.Year)
	}
	return s.Input
}

// spearmanSE returns the standard error of a Spearman coefficient r from n
// pairs (n > 3): Bonett and Wright, "Sample size requirements for
// estimating Pearson, Kendall and Spearman correlations", Psychometrika 65
// (2000), give var(atanh r) ≈ (1 + r²/2)/(n − 3); the delta method
// (d tanh z/dz = 1 − tanh² z) maps it back to r.
func spearmanSE(r float64, n int) float64 {
	return (1 - r*r) * math.Sqrt((1+r*r/2)/float64(n-3))
}

// minSensTrials is the fewest valid trials sensitivities are computed
// from: the standard error needs n > 3.
const minSensTrials = 4

// Sensitivity returns each input value's rank correlation with this output,
// sorted by decreasing |Spearman| (the per-year tornado: a 10-year series
// gives 10 entries; see SensitivityByInput for one entry per input), each
// with its standard error. Inputs that do not vary (constants) are left
// out, and so are trials whose output is invalid; nil with fewer than 4
// valid trials.
//
// Which trials: with Options.KeepInputs, every trial of the run; otherwise
// (exact or streaming mode, Run or Merge) the sensitivity sample, the first
// min(Trials, SensitivitySample) trials, which every run keeps. The
// coefficients of the sample estimate those of the whole run within a few
// StdErr.
//
// Cost: the first call ranks the output and every input value once,
// O(n) each (radix sort), in parallel; input ranks are shared by all
// outputs without invalid trials. At the sample's 2¹⁶ trials that is a few
// ms per input value; with KeepInputs at 10⁶ trials about 10 ms per input
// value and 8 bytes per trial per input value kept for later calls. Later
// calls return the cached slice (a copy). Sensitivity is
// SensitivityContext without cancellation.
func (m *Metric) Sensitivity() []Sensitivity {
	s, _ := m.SensitivityContext(context.Background())
	return s
}

// SensitivityContext is Sensitivity, stopping with an error that wraps
// ctx.Err() when ctx is cancelled while it ranks (checked between input
// columns: a column of n values costs about 10 ns × n). A cancelled call
// caches nothing; a later call starts again.
func (m *Metric) SensitivityContext(ctx context.Context) ([]Sensitivity, error) {
	if m == nil || m.res == nil || m.res.sens == nil {
		return nil, nil
	}
	m.sensMu.Lock()
	defer m.sensMu.Unlock()
	if !m.sensDone {
		s, err := m.res.sensitivity(ctx, m)
		if err != nil {
			return nil, fmt.Errorf("forecast: sensitivity of %q: %w", m.Label(), err)
		}
		m.sens, m.sensDone = s, true
	}
	return slices.Clone(m.sens), nil
}

// SensitivityByInput returns one entry per input that varies, sorted by
// decreasing |Spearman|: the grouped tornado, in which a 10-year series is
// one driver rather than ten bars that hide it. It uses the trials that
// Sensitivity uses, and is SensitivityByInputContext without cancellation.
//
// The grouped measure is the rank R²: the coefficient of determination of
// the least-squares regression (with intercept) of the output's ranks on
// the ranks of all the input's values (its years). With r the vector of the
// years' Spearman coefficients with the output and R the matrix of their
// Spearman coefficients with each other, R² = rᵀR⁺r (R⁺ the
// pseudo-inverse, eigenvalues below 10⁻¹⁰ of the largest dropped, so that
// years that always move together count once). The entry's Spearman is
// sign·√R², the multiple rank correlation, signed by the sum of the
// standardised regression coefficients R⁺r (does raising every year of the
// input raise the output?); Contribution is R² over the sum of every
// input's R²; StdErr is that of Sensitivity.StdErr applied to √R²; Year is
// 0 and Values the number of years. For a scalar input, R² is the squared
// Spearman coefficient and the entry equals Sensitivity's, apart from the
// normalisation of Contribution (over inputs rather than input values).
// R² ≥ the largest squared coefficient of any of its years.
//
// Cost: besides the ranking of Sensitivity (shared through the same
// cache), p(p+1)/2 correlations over the trials for an input of p years,
// and an eigendecomposition of a p×p matrix (gonum/mat). The result is
// cached.
func (m *Metric) SensitivityByInput() []Sensitivity {
	s, _ := m.SensitivityByInputContext(context.Background())
	return s
}

// SensitivityByInputContext is SensitivityByInput, stopping with an error
// that wraps ctx.Err() when ctx is cancelled while it ranks or regresses.
// A cancelled call caches nothing.
func (m *Metric) SensitivityByInputContext(ctx context.Context) ([]Sensitivity, error) {
	if m == nil || m.res == nil || m.res.sens == nil {
		return nil, nil
	}
	m.byInputMu.Lock()
	defer m.byInputMu.Unlock()
	if !m.byInputDone {
		s, err := m.res.sensitivityByInput(ctx, m)
		if err != nil {
			return nil, fmt.Errorf("forecast: sensitivity by input of %q: %w", m.Label(), err)
		}
		m.byInput, m.byInputDone = s, true
	}
	return slices.Clone(m.byInput), nil
}

// sensData holds the trials sensitivities are computed from: every trial
// (KeepInputs) or the sensitivity sample.
type sensData struct {
	in    [][]float64 // per input value, trial order
	out   [][]float64 // per output value (Result.Metrics order), the same trials
	ranks rankCache
}

// inputGroup is one input of the model: its name and its values' positions
// in a trial's input row.
type inputGroup struct {
	name   string
	off, n int
}

// rankCache holds the ranks of every input value over all the trials of a
// sensData, once a ranking has completed.
type rankCache struct {
	mu    sync.Mutex
	ranks [][]float64
}

// setSensitivityData records in r the trials its sensitivities use: with
// KeepInputs every one of the n trials, otherwise the store's sensitivity
// sample (its first min(n, SensitivitySample) trials, the outputs read from
// the metrics' values in exact mode).
func (r *Result) setSensitivityData(m *Model, st *store, n int) {
	r.inputName = make([]string, m.nIn)
	r.inputYear = make([]int, m.nIn)
	for d := range r.inputName {
		r.inputName[d], r.inputYear[d] = m.dimName(d)
	}
	for _, in := range m.inputs {
		r.groups = append(r.groups, inputGroup{name: in.name, off: in.off, n: in.n})
	}
	sd := &sensData{in: make([][]float64, m.nIn), out: make([][]float64, m.nOut)}
	switch {
	case r.opts.KeepInputs:
		for d := range sd.in {
			sd.in[d] = st.inputs[d][:n:n]
		}
		r.inputs = sd.in
		for k, met := range r.all {
			sd.out[k] = met.raw
		}
	case st.smp != nil && n > st.smp.lo:
		ns := min(n, st.smp.hi)
		for d := range sd.in {
			sd.in[d] = st.smp.in[d][:ns:ns]
		}
		for k, met := range r.all {
			if st.smp.out != nil {
				sd.out[k] = st.smp.out[k][:ns:ns]
			} else {
				sd.out[k] = met.raw[:ns:ns]
			}
		}
	default:
		return
	}
	r.sens = sd
}

// prepared is what both views of an output's sensitivities start from: the
// ranks of its valid trials and of every input value over the same trials.
type prepared struct {
	ry      []float64   // the output's ranks
	inRanks [][]float64 // per input value
}

// prepare ranks metric m's valid trials and the input values over them
// (cached when every trial is valid). Nil with fewer than minSensTrials
// valid trials.
func (r *Result) prepare(ctx context.Context, m *Metric) (*prepared, error) {
	sd := r.sens
	col := sd.out[slices.Index(r.all, m)]
	valid := make([]int, 0, len(col)) // trial indices with a finite output
	for i, v := range col {
		if isFinite(v) {
			valid = append(valid, i)
		}
	}
	if len(valid) < minSensTrials {
		return nil, nil
	}
	y := make([]float64, len(valid))
	for j, i := range valid {
		y[j] = col[i]
	}
	pr := &prepared{ry: ranks(y)}
	var err error
	if len(valid) == len(col) {
		sd.ranks.mu.Lock()
		if sd.ranks.ranks == nil {
			sd.ranks.ranks, err = parallelRanks(ctx, sd.in, nil, r.opts.Workers)
		}
		pr.inRanks = sd.ranks.ranks
		sd.ranks.mu.Unlock()
	} else {
		pr.inRanks, err = parallelRanks(ctx, sd.in, valid, r.opts.Workers)
	}
	if err != nil {
		return nil, err
	}
	return pr, nil
}

func (r *Result) sensitivity(ctx context.Context, m *Metric) ([]Sensitivity, error) {
	pr, err := r.prepare(ctx, m)
	if pr == nil || err != nil {
		return nil, err
	}
	n := len(pr.ry)
	var out []Sensitivity
	sum := 0.0
	for d, rx := range pr.inRanks {
		rho := stat.Correlation(rx, pr.ry, nil)
		if math.IsNaN(rho) {
			continue // a constant input (or output): no rank information
		}
		out = append(out, Sensitivity{Input: r.inputName[d], Year: r.inputYear[d], Values: 1,
			Spearman: rho, StdErr: spearmanSE(rho, n), Trials: n})
		sum += rho * rho
	}
	finishSensitivities(out, sum)
	return out, nil
}

// finishSensitivities sets the contributions (Spearman² over sum) and sorts
// by decreasing |Spearman|.
func finishSensitivities(out []Sensitivity, sum float64) {
	for i := range out {
		if sum > 0 {
			out[i].Contribution = out[i].Spearman * out[i].Spearman / sum
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return math.Abs(out[i].Spearman) > math.Abs(out[j].Spearman) })
}

func (r *Result) sensitivityByInput(ctx context.Context, m *Metric) ([]Sensitivity, error) {
	pr, err := r.prepare(ctx, m)
	if pr == nil || err != nil {
		return nil, err
	}
	n := len(pr.ry)
	var out []Sensitivity
	sum := 0.0
	for _, g := range r.groups {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		r2, sign, ok := rankR2(pr.inRanks[g.off:g.off+g.n], pr.ry)
		if !ok {
			continue // every value constant
		}
		rho := sign * math.Sqrt(r2)
		out = append(out, Sensitivity{Input: g.name, Values: g.n, Spearman: rho, StdErr: spearmanSE(rho, n), Trials: n})
		sum += r2
	}
	finishSensitivities(out, sum)
	return out, nil
}

// eigenTol is the relative size below which rankR2 treats an eigenvalue of
// the correlation matrix as zero: columns that are (nearly) linear
// combinations of others add nothing to the fit.
const eigenTol = 1e-10

// rankR2 returns the R² of the least-squares regression of ry on the
// columns xs (with intercept), computed from correlations as rᵀR⁺r, and the
// sign of the sum of the standardised coefficients R⁺r (of r's sum when
// that is 0). Constant columns are left out; ok is false when all are.
//
// Why by hand: gonum has no multiple-correlation routine; this is the
// textbook identity R² = rᵀR⁻¹r for standardised variables (e.g. Cohen et
// al., Applied Multiple Regression, §3.5), with the pseudo-inverse of
// mat.EigenSym for collinear years. TestRankR2MatchesQR checks it against a
// QR least-squares fit (mat.Dense.Solve) to 1e-9.
func rankR2(xs [][]float64, ry []float64) (r2, sign float64, ok bool) {
	var cols [][]float64
	var r []float64
	for _, x := range xs {
		rho := stat.Correlation(x, ry, nil)
		if math.IsNaN(rho) {
			continue
		}
		cols = append(cols, x)
		r = append(r, rho)
	}
	p := len(cols)
	switch p {
	case 0:
		return 0, 0, false
	case 1:
		return r[0] * r[0], math.Copysign(1, r[0]), true
	}
	R := mat.NewSymDense(p, nil)
	for i := range cols {
		R.SetSym(i, i, 1)
		for j := 0; j < i; j++ {
			R.SetSym(i, j, stat.Correlation(cols[i], cols[j], nil))
		}
	}
	var eig mat.EigenSym
	if !eig.Factorize(R, true) {
		return math.NaN(), 0, true // cannot happen for a correlation matrix
	}
	vals := eig.Values(nil)
	var vecs mat.Dense
	eig.VectorsTo(&vecs)
	rv := mat.NewVecDense(p, r)
	beta := mat.NewVecDense(p, nil)
	lmax := slices.Max(vals)
	for i, l := range vals {
		if !(l > eigenTol*lmax) {
			continue
		}
		v := vecs.ColView(i)
		c := mat.Dot(v, rv)
		r2 += c * c / l
		beta.AddScaledVec(beta, c/l, v)
	}
	s := mat.Sum(beta)
	if s == 0 {
		s = floats.Sum(r)
	}
	return math.Min(math.Max(r2, 0), 1), math.Copysign(1, s), true
}

// parallelRanks ranks each column (restricted to the trial indices in sub
// when not nil) on up to workers goroutines, checking ctx before each
// column. On cancellation it returns nil and an error wrapping ctx.Err().
func parallelRanks(ctx context.Context, cols [][]float64, sub []int, workers int) ([][]float64, error) {
	out := make([][]float64, len(cols))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(max(workers, 1))
	for d := range cols {
		if gctx.Err() != nil {
			break // g.Wait reports why
		}
		g.Go(func() error {
			if err := gctx.Err(); err != nil {
				return err
			}
			x := cols[d]
			if sub != nil {
				x = make([]float64, len(sub))
				for j, i := range sub {
					x[j] = cols[d][i]
				}
			}
			out[d] = ranks(x)
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// ranks returns the 1-based ranks of x, ties sharing their average rank.
// x must hold no NaN. It sorts (key, index) pairs with an LSD radix sort on
// the order-preserving bit pattern of each float64 — O(n), about 4× faster
// than a comparison sort at 10⁶ values, which matters because a tornado
// ranks every input value of every trial. Byte positions where all keys
// agree (the high bytes of values of one sign and magnitude) are skipped.
func ranks(x []float64) []float64 {
	n := len(x)
	keys, tmpK := make([]uint64, n), make([]uint64, n)
	idx, tmpI := make([]int32, n), make([]int32, n)
	for i, v := range x {
		b := math.Float64bits(v)
		if b>>63 == 1 {
			b = ^b // negative: reverse the order of magnitudes
		} else {
			b |= 1 << 63
		}
		keys[i], idx[i] = b, int32(i)
	}
	for shift := uint(0); shift < 64 && n > 1; shift += 8 {
		var count [256]int
		for _, k := range keys {
			count[(k>>shift)&0xff]++
		}
		if count[(keys[0]>>shift)&0xff] == n {
			continue // every key has this byte: the pass would not move anything
		}
		pos := 0
		for b, c := range count {
			count[b] = pos
			pos += c
		}
		for i, k := range keys {
			d := (k >> shift) & 0xff
			tmpK[count[d]], tmpI[count[d]] = k, idx[i]
			count[d]++
		}
		keys, tmpK = tmpK, keys
		idx, tmpI = tmpI, idx
	}
	r := make([]float64, n)
	for i := 0; i < n; {
		j := i + 1
		for j < n && x[idx[j]] == x[idx[i]] {
			j++
		}
		avg := float64(i+j+1) / 2 // ranks i+1 … j
		for k := i; k < j; k++ {
			r[idx[k]] = avg
		}
		i = j
	}
	return r
}

// SwingResult is one bar of a deterministic, one-at-a-time tornado.
type SwingResult struct {
	Input      string  // the input's name
	Low, High  float64 // the input's values: its lo and hi quantiles
	OutputLow  float64 // the output with the input at Low, others at their medians
	OutputHigh float64 // the output with the input at High, others at their medians
	Base       float64 // the output with every input at its median
}

// Swing evaluates the model once with every input at its median, then, for
// each input in turn, with that input (every year of a series) at its lo and
// then its hi quantile and every other input at its median: the classic
// deterministic tornado. Results are sorted by decreasing
// |OutputHigh − OutputLow|. Correlations are ignored. output names a scalar
// output. Cost: 2·len(inputs)+1 evaluations.
func Swing(m *Model, output string, lo, hi float64) ([]SwingResult, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	if !(lo >= 0 && lo <= 1 && hi >= 0 && hi <= 1) {
		return nil, fmt.Errorf("forecast: swing quantiles %v and %v, want values in [0, 1]", lo, hi)
	}
	oi := -1
	for i, o := range m.outputs {
		if o.name == output {
			if o.n != 1 {
				return nil, fmt.Errorf("forecast: swing: output %q is a series, want a scalar output", output)
			}
			oi = i
		}
	}
	if oi < 0 {
		return nil, fmt.Errorf("forecast: swing: no output %q (outputs: %s)", output, quoteList(m.OutputNames()))
	}
	for _, in := range m.inputs {
		if in.proc != nil {
			return nil, fmt.Errorf("forecast: swing: input %q is a process (%v); Swing varies distributions' quantiles and cannot vary a process path", in.name, in.proc)
		}
	}
	t := m.newTrial()
	base := make([]float64, m.nIn)
	for _, in := range m.inputs {
		med := in.dist.Quantile(0.5)
		for k := 0; k < in.n; k++ {
			base[in.off+k] = med
		}
	}
	eval := func(row []float64) (v float64, err error) {
		defer func() {
			if p := recover(); p != nil {
				err = fmt.Errorf("forecast: swing: model panicked: %v", p)
			}
		}()
		t.in = row
		for k := range t.out {
			t.out[k] = math.NaN()
		}
		m.eval(t)
		return t.out[m.outputs[oi].off], nil
	}
	b, err := eval(slices.Clone(base))
	if err != nil {
		return nil, err
	}
	var out []SwingResult
	for _, in := range m.inputs {
		s := SwingResult{Input: in.name, Low: in.dist.Quantile(lo), High: in.dist.Quantile(hi), Base: b}
		for _, side := range []struct {
			x   float64
			dst *float64
		}{{s.Low, &s.OutputLow}, {s.High, &s.OutputHigh}} {
			row := slices.Clone(base)
			for k := 0; k < in.n; k++ {
				row[in.off+k] = side.x
			}
			if *side.dst, err = eval(row); err != nil {
				return nil, err
			}
		}
		out = append(out, s)
	}
	sort.SliceStable(out, func(i, j int) bool {
		return math.Abs(out[i].OutputHigh-out[i].OutputLow) > math.Abs(out[j].OutputHigh-out[j].OutputLow)
	})
	return out, nil
}
