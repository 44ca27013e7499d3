// Package processes provides stochastic processes that evolve a value year
// by year — a price, a rate of growth — for inputs whose years are not
// independent draws: geometric Brownian motion (GBM) and the
// Ornstein–Uhlenbeck mean-reverting process (OU).
//
// # Paths from normal scores
//
// A Process turns standard normal scores into a path: Path(z, dst) sets
// dst[i] to the value in year i+1 given the scores z[0..i]. The scores are
// the only randomness, so whatever produces them — independent draws,
// Latin hypercube strata, a Gaussian or Student copula that correlates them
// with other inputs, quasi-random points — drives the path. Time is in
// years; the step is one year; year 0 is Start and year 1 is one step after
// it. Every transition is the exact conditional distribution of the
// continuous-time process over one year, so a path has no discretisation
// error: the values at integer t have exactly the distribution given by
// Mean(t), Variance(t) and Quantile(t, p).
//
// GBM, for prices and quantities that grow in proportion to their level
// (Drift a fraction per year, Volatility a fraction per √year):
//
//	dS = Drift·S dt + Volatility·S dW
//	S(t+1) = S(t)·exp(Drift − Volatility²/2 + Volatility·z)
//	E[S(t)] = Start·e^(Drift·t)
//	Var[S(t)] = Start²·e^(2·Drift·t)·(e^(Volatility²·t) − 1)
//
// S(t) is log-normal: ln S(t) is normal with mean ln Start + (Drift −
// Volatility²/2)·t and variance Volatility²·t.
//
// OU, for a quantity pulled back towards a long-run level μ = LongRunMean,
// such as an energy price (Start and LongRunMean in the units of the
// variable, Reversion per year, Volatility in the variable's units per
// √year):
//
//	dX = Reversion·(μ − X) dt + Volatility dW
//	X(t+1) = μ + (X(t) − μ)·e^(−k) + Volatility·√((1 − e^(−2k))/(2k))·z,  k = Reversion
//	E[X(t)] = μ + (Start − μ)·e^(−k·t)
//	Var[X(t)] = Volatility²·(1 − e^(−2k·t))/(2k)
//
// X(t) is normal. A deviation from μ halves every ln 2/k years, and the
// long-run standard deviation is Volatility/√(2k). Reversion = 0 is
// Brownian motion, X(t) = Start + Volatility·W(t), handled exactly (the
// limits of the formulas above: variance Volatility²·t).
//
// # Errors
//
// As in package distributions: parameters that do not describe a process
// (NaN, ±Inf, a negative volatility, a non-positive GBM start) are reported
// by Validate and Parse as a *ParamError that wraps ErrInvalidParameter;
// Path writes NaN and Mean, Variance and Quantile return NaN for such
// values; Path panics only on a programmer error (dst and z of different
// lengths). Every check is written so that NaN fails it.
//
// # Text form
//
// String returns the named form that Parse reads back, for example
// "gbm(start=100, drift=0.05, volatility=0.2)" and "ou(start=80, mean=75,
// reversion=0.5, volatility=15)"; Parse also reads positional arguments in
// that order, as distributions.Parse does.
package processes
