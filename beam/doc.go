// Package beam runs a forecast on Apache Beam, so that a run too large for
// one machine (10¹⁰ trials, thousands of scenarios) goes to an existing
// distributed engine: the in-process Prism runner by default, or Flink,
// Spark and Dataflow through Beam's own runner flags.
//
// It lives in its own module, github.com/mcforecast/mcforecast/beam, so
// that the core library does not pull Beam's dependencies.
//
// # Pipeline
//
// The run's blocks of forecast.BlockSize trials become Beam elements, each a
// Range of Spec.BlocksPerElement consecutive blocks:
//
//	Impulse → split into Ranges → Reshuffle → simulate each Range → Combine (mergeCombineFn) → deliver
//
// The simulate DoFn rebuilds the model on the worker, from the scenario's
// YAML text (Spec.Scenario, read with scenario.Load) or from a model
// registered by name with forecast.Register (Spec.Model), and calls
// forecast.SimulateBlocks, which draws exactly the streams a local
// forecast.Run draws for those blocks. Each Range's forecast.Partial travels
// as a Chunk (its MarshalBinary bytes), without the sensitivity sample's
// rows (forecast.Partial.DropSample: 55 MB for the built-in scenario's
// first 2¹⁶ trials, which would otherwise pass through every combine of
// that element's accumulator). A Beam CombineFn gathers the chunks:
// runners lift it, combining on each worker before the shuffle. In a
// streaming run its accumulator (Acc) is one chunk, the pairwise
// forecast.MergePartials of every chunk combined so far: exact sums and
// sketches merge associatively and commutatively to the bit, so the
// accumulator's size grows only as the sketches' tails fill in (not with
// the trials) and the order and
// grouping the runner picks change nothing. In an exact run it keeps every
// chunk (they carry every value). The deliver DoFn calls forecast.Merge,
// which simulates the sensitivity sample again from the seed (at most
// forecast.SensitivitySample trials, on the merging worker): the same rows,
// so the same sensitivities.
//
// # Same result as a local run
//
// For the same model, Seed, Trials and Method, the Result equals the one
// forecast.Run returns locally: the same samples (exact mode), so the same
// counts and percentiles, and means and variances bit-identical in both
// exact and streaming mode, because means and variances are rounded once
// from exact sums (internal/xsum) and sketch merges add integer counts. Neither the number of Beam workers, nor Options.Workers, nor
// Spec.BlocksPerElement, nor the order of delivery changes a bit.
//
// # Getting the result out
//
// Beam pipelines return no values. The deliver DoFn hands the Result to the
// launching process through a package-level registry keyed by a run id; this
// works when the workers run inside the launching process (Prism in its
// default loopback mode, as in tests). On a remote runner (Flink, Spark,
// Dataflow, with another environment type) the workers are other
// processes: set Spec.Output to a file (or a directory ending in "/") on a
// file system both sides reach (a shared disk, gs://) and the deliver DoFn
// writes the partials there; Run then reads them back and merges them
// (ReadOutput does the same for a job whose launcher has gone).
//
// # Costs
//
// Exact mode ships 8 bytes per trial per output value (and per input value
// with KeepInputs) through the runner and holds them all in the merge step
// and again in the Result. On Prism in process this costs about 20 times the
// sample bytes in memory (3·10⁶ trials of the built-in scenario, 0.7 GB of
// samples, peaked at 13 GB), so use Options.Streaming for large runs: each
// Range ships one exact sum (about 70 bytes encoded) and one bounded sketch
// per output value (about 0.3 MB per element for the built-in scenario),
// and the combined accumulator stays about that size (under 1 MB),
// whatever the number of trials. Options.Precision is not supported
// (stopping needs a global decision); Options.Progress is not called.
// README.md in this directory has the measured peak RSS, CPU time and
// shuffle sizes from 10⁶ to 10⁹ trials, and a capacity plan.
//
// Workers must run the same binary as the launcher (Beam's Go SDK
// requirement), so models registered by name are registered in both.
package beam
