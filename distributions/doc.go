// Package distributions provides the probability distributions that
// describe the uncertain inputs of a forecast: sampling, quantiles, CDFs,
// means, validation, and a text form that Parse reads back.
//
// # Distributions
//
// A Dist is a small immutable value type with exported parameter fields,
// built with a struct literal (Normal{Mu: 0.18, Sigma: 0.06}) or from text
// with Parse ("normal(0.18, 0.06)"). Every type implements Dist with value
// receivers; values are safe for concurrent use by any number of
// goroutines, each with its own *rand.Rand. Quantiles and CDFs build on
// gonum's stat/distuv and mathext where gonum has them.
//
//	Type        Parameters (String form)         Supported range; notes
//	Constant    Value  ("125")                   finite
//	Uniform     Min, Max                         finite, Min < Max, Max − Min finite
//	Triangular  Min, Mode, Max                   as Uniform, Min ≤ Mode ≤ Max
//	PERT        Min, Mode, Max                   as Triangular; beta-PERT, λ = 4
//	Normal      Mu, Sigma                        Mu finite, Sigma > 0, |Mu| + 40·Sigma finite
//	LogNormal   Mu, Sigma (of the log)           Sigma > 0, |Mu| + 15·Sigma ≤ 709, Mu + Sigma²/2 ≤ 709
//	Interval90  Lo, Hi  ("115 to 135")           finite, Lo < Hi, derived LogNormal or Normal in range
//	Beta        Alpha, Beta                      1e-3 ≤ each ≤ 1e4; support [0, 1]
//	Gamma       Shape, Rate                      1e-3 ≤ Shape ≤ 1e4, 1e-250 ≤ Rate ≤ 1e250
//	Bernoulli   P                                0 ≤ P ≤ 1; takes 0 or 1
//	Discrete    Values, Weights ([..], [..])     equal lengths, values finite, weights finite ≥ 0, Σ finite > 0
//	Empirical   Data ([..])                      non-empty, finite; resamples Data
//	Truncated   Dist, Min, Max                   Dist valid, Min < Max (±Inf allowed), window mass ≥ 1e-9·CDF(Max)
//	Mixture     Components, Weights ([..], [..]) components valid; weights as Discrete, or nil
//
// The ranges are where the numerics can be trusted: inside them every
// method returns in bounded time, Quantile and Sample are finite (except
// Quantile(0) and Quantile(1) at an infinite end of the support), and Mean
// is finite (TestExtremeParameters sweeps the edges). Validate refuses
// anything outside with a *ParamError that states the range: shapes below
// 1e-3 or above 1e4 are where gonum's incomplete gamma and beta inversions
// lose their accuracy or, at 1e-320, do not return.
//
// Parameters are in the units of the variable they describe (Rate in the
// reciprocal units); rates of growth and margins are fractions, not
// percent (0.18, not 18).
//
// # Errors
//
// The package follows a three-tier error policy:
//
//  1. Programmer errors panic with a message that starts with
//     "distributions:": calling Sample with a nil *rand.Rand.
//  2. Parameter values that do not describe a distribution — NaN, ±Inf, a
//     minimum above the maximum, σ ≤ 0, a probability outside [0, 1], empty
//     data, negative or all-zero weights, slices of different lengths, a
//     truncation window without probability mass, an invalid component —
//     are reported by Validate, by the New… constructors and by Parse as a
//     *ParamError that wraps ErrInvalidParameter (test with errors.Is and
//     errors.As). Such values can come from files, so they never panic.
//     Every check is written so that NaN fails it.
//  3. Sample, Quantile, CDF and Mean on an invalid value return NaN.
//     Quantile(p) is NaN for p outside [0, 1] or NaN. These checks are
//     O(1) except for Discrete and Empirical struct literals, which check
//     their slices on each call (O(n)); their New… constructors check once.
//
// # Randomness
//
// Sample takes its random stream explicitly as a math/rand/v2 [rand.Rand]
// (over PCG or ChaCha8), never the global source and never gonum's Src
// field, so that a distribution carries no state and a run is reproducible
// from its seed. Sample never allocates and retains nothing.
//
// Sample draws a fixed number of values from r per call where the method
// allows: one r.Float64 for Uniform, Triangular, Bernoulli, Discrete,
// Empirical and Truncated; none for Constant; one r.Float64 plus the
// chosen component's draws for Mixture. Normal, LogNormal and Interval90
// use r.NormFloat64 (the ziggurat), which occasionally draws more than one
// value; Gamma, Beta and PERT use rejection (Marsaglia–Tsang), so the
// number of values they draw varies. Which values a type draws, and how
// many, is part of its stream contract: a change to it changes the results
// of a seeded run and is announced in the release notes.
//
// # Fast inverse CDFs
//
// Latin hypercube sampling and correlated inputs map a uniform u or a
// normal score z through Quantile(u) or Quantile(Φ(z)), which is iterative
// (microseconds) for PERT, Beta, Gamma, Truncated and Mixture. NewInverter
// builds, once per run, a verified piecewise-polynomial inverse with the
// same accuracy (1e-9 relative, tails included) at tens of nanoseconds a
// call; see Inverter.
//
// # Text form
//
// String returns text that Parse reads back into an equal distribution,
// with floats in strconv's shortest exact 'g' form; Parse also reads
// "lo to hi" (CI90), bare numbers (Constant) and nested forms such as
// "truncated(normal(0.2, 0.1), 0, 1)". See Parse for the grammar.
//
// # Your own distributions
//
// Any type with the Dist methods works wherever a Dist does (the forecast
// engine samples it through Sample, or through Quantile under Latin
// hypercube sampling and correlation). Package disttest checks that it keeps
// the promises above — monotone quantiles, a sampler that matches its CDF
// (KS test) and its Mean, no allocation per draw — with the same checks
// every type of this package passes.
package distributions
