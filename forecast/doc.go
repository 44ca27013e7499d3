// Package forecast is the Monte Carlo engine of mcforecast: models declared
// once, evaluated trial by trial on parallel goroutines, reproducibly, with
// honest statements of precision.
//
// # Models
//
// A Model declares its inputs (distributions.Dist values), its outputs and
// the function that turns one trial's draws into outputs:
//
//	m := forecast.NewModel()
//	capex := m.Input("capex", distributions.Uniform{Min: 115, Max: 135})
//	growth := m.Series("revenue growth", distributions.Normal{Mu: 0.18, Sigma: 0.06}, 5)
//	fcf := m.OutputSeries("free cash flow", 5)
//	m.Eval(func(t *forecast.Trial) {
//		c, g := t.Value(capex), t.Values(growth)
//		...
//		t.SetAt(fcf, year, v)
//	})
//	res, err := forecast.Run(ctx, m, forecast.Options{Trials: 1_000_000, Seed: 42})
//
// Handles (Input, Output) are small integers: reading a draw or setting an
// output costs a couple of slice loads, no map look-up and no allocation.
//
// # Sampling
//
// Inputs are drawn a block at a time, value by value, by the Method's
// sampler (one file each: sampler_mc.go, sampler_lhs.go, sampler_qmc.go):
// for MonteCarlo each distribution's Sample (or Fill); for LatinHypercube
// each value (every year of a series) is stratified within the block — n
// trials, n equal-probability strata, one draw in each, in random order —
// and mapped through the input's distributions.Inverter (its Quantile
// within 1e-9 relative, at a few tens of ns where the distribution's own
// Quantile iterates); for QuasiMonteCarlo trial i takes point i of a
// scrambled Sobol' sequence, one dimension per input value, mapped the
// same way. Inverters are built once per input (a series shares one), only
// under LatinHypercube, QuasiMonteCarlo or the copula, and reused across
// runs for the distributions package's comparable values.
//
// QuasiMonteCarlo's balance properties hold for power-of-two trial counts;
// percentile confidence intervals and the Precision rule, which assume
// independent draws, are conservative under it (see QuasiMonteCarlo).
//
// Correlated inputs (Model.Correlate) go through a Gaussian copula: standard
// normal scores are drawn (Φ⁻¹ of the stratified uniforms under
// LatinHypercube, of the Sobol' coordinates under QuasiMonteCarlo), mixed
// by a Cholesky factor of the normal-score correlation matrix 2·sin(π·ρs/6)
// that yields the requested Spearman ρs, and mapped through each input's
// Inverter.FromNormal (Quantile(Φ(z)); exact closed forms for Normal,
// LogNormal and CI90). The marginals are exactly the inputs' distributions
// (to the Inverter's 1e-9); under LatinHypercube and QuasiMonteCarlo a
// correlated value other than the first of its group keeps its marginal
// but loses exact stratification. A matrix that is not positive
// semi-definite is an error, or with Options.RepairCorrelations is replaced
// by the nearest correlation matrix (Higham 2002), reported by
// Result.Correlations.
//
// # Richer inputs
//
// Model.Autocorrelate puts an AR(1) on a series' normal scores — normal-score
// correlation r^|i−j| between years i and j, r = 2·sin(π·ρ/6) for the
// requested lag-1 Spearman ρ — in the same matrix as Correlate (validated,
// repairable). Model.Process declares an input whose yearly values are a
// processes.Process path (GBM, OU) driven by the sampler's normal scores, so
// correlations, Latin hypercube and QMC drive it too. Model.StudentCopula
// replaces the Gaussian copula by a Student t copula with ν degrees of
// freedom, calibrated so that the requested Spearman coefficients are
// achieved, with more frequent joint extremes (tail dependence); it costs
// about 3 µs per trial for the t and χ² distribution functions.
//
// # Determinism: the stream contract
//
// Trials are cut into blocks of BlockSize. Block b draws every variate from a
// PCG generator (math/rand/v2) seeded from (Seed, b) alone through a
// SplitMix64 mixer. Workers take blocks in any order and write into the
// block's own slots. Means and variances come from exact sums (the sum of
// the values and of their squares, with no rounding error: internal/xsum)
// rounded once at the end, and streaming sketches hold integer counts, so
// every merge is exact whatever its order or grouping. Therefore, for the
// same Model, Seed, Trials, Method and Options that change what is computed
// (Streaming, Precision), a run returns bit-identical results — every
// sample, percentile, mean and sensitivity — whatever Workers is, and on any
// machines that simulate the blocks, however the partials are split and
// merged (see SimulateBlocks, MergePartials and Merge, used by the Beam
// runner).
//
// Changed in this release: means and standard deviations were merged from
// per-block float64 summaries in block order; they are now the exactly
// rounded mean and variance of the values, which can differ in the last
// bits (the draws and exact-mode percentiles are unchanged), and streaming
// percentiles come from a new sketch (see SketchAccuracy). The golden test
// was regenerated for both.
//
// What may change the streams in a minor release (following numpy's NEP 19):
// the seed derivation, BlockSize, the order in which a block draws its
// values, and the sampling algorithm of a distribution. Such a change is
// announced in the release notes and updates the golden test
// (testdata/golden.json, regenerated with go test -run Golden -update).
// Patch releases never change streams.
//
// # Results
//
// Result holds one Metric per scalar output and per year of a series
// output: percentiles (by selection, linear time, no full sort), their
// distribution-free confidence intervals, mean and standard deviation
// (rounded once from exact sums), expected shortfall, probabilities of
// thresholds, histograms, and rank-correlation sensitivities with standard
// errors, per input value or per input (the tornado), from the first
// SensitivitySample trials in any mode, or from every trial with
// Options.KeepInputs. A trial whose output is NaN or ±Inf is counted by
// Metric.Invalid and excluded from every statistic.
//
// Streaming mode keeps log-linear histogram sketches (DDSketch's guarantee
// with HdrHistogram's bucket layout, no logarithm per value) instead of
// values: memory no longer grows with Trials, percentiles are within
// SketchAccuracy (relative) of the exact order statistics, and merging is
// exact, so results stay bit-identical across worker counts and splits.
//
// # Concurrency and errors
//
// Run validates everything before starting any goroutine, runs workers under
// an errgroup with a limit, honours context cancellation between blocks,
// returns the first error and returns only after every goroutine it started
// has exited. A panic in a model's Eval, or its call of runtime.Goexit,
// becomes a *TrialError naming the trial; it never crashes the caller and
// never leaves a result of zeros. Misuse inside Eval panics the same way:
// a handle of another Model, Trial.Value on a series input, Trial.Set on a
// series output. Sizes are bounded (MaxTrials, MaxWorkers,
// MaxSeriesLength, MaxHistogramBins) and EstimateMemory tells what a run
// will allocate; Run refuses one beyond half of the machine's memory.
// Result.Warnings lists what a user should see: outputs never set or
// invalid on some trials, repaired correlations.
package forecast
