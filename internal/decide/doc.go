// Package decide is the numerical core of decisions in mcforecast: the
// probability that each choice is best, the expected value of perfect
// information (EVPI), the expected value of partial perfect information about
// one input (EVPPI), and a bracketing root finder (Brent–Dekker) for goal
// seeking.
//
// # Layout of the values
//
// The functions take values[c][i], the output of trial i under choice c.
// Every choice must hold the same trials, in the same order (common random
// numbers: trial i of every choice was computed from the same input draws),
// so that len(values[c]) is the same for every c. Larger is better: to
// compare costs, negate them first. Without a decision, pass
// values = {y, zeros} to treat the choice as go / no-go against 0.
//
// # Missing trials
//
// A trial whose value is NaN under any choice (or, for [EVPPI], whose input
// is NaN) is left out of every statistic, for every choice, so that the
// choices are still compared on the same trials. Only when every trial is
// left out is that an error. ±Inf is an error: it has no finite mean.
//
// # Estimates and standard errors
//
// Every estimate comes with a Monte Carlo standard error computed from the
// same trials; a tolerance of 4–5 standard errors covers the sampling error.
// Where a choice has to be picked from the data (the best on average, the
// best in a bin of an input), it is picked on the other half of the trials
// than the one it is evaluated on (two-fold cross-fitting, see [EVPI] and
// [EVPPI]), which removes the upward bias of the maximum of noisy means.
//
// The functions only read their arguments and keep no state: they are safe
// to call concurrently on the same slices, for example EVPPI for each input
// in its own goroutine.
//
// Bad input (no choices, no trials, ragged slices, infinities, invalid
// options) returns an error that names the field, the value and what was
// expected; nothing in this package panics on data.
package decide
