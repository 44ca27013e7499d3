// Package benchmarks measures mcforecast against the two things a user would
// otherwise run: a vectorised numpy script (reference/ref5y_numpy.py, driven
// by compare.sh) and a hand-written, single-purpose Go loop (Ref5yLoop).
//
// The shared workload is "ref5y", a five-year investment model in $B:
//
//	capex_1 ~ Uniform(115, 135); g_c ~ Normal(0.10, 0.05) once per trial
//	capex_t = capex_1 (1 + g_c)^(t−1)
//	revenue_0 = 201; r_t ~ Normal(0.18, 0.06) each year
//	revenue_t = revenue_{t−1} (1 + r_t)
//	m ~ Triangular(0.35, 0.41, 0.45) once per trial
//	P_1 ~ Triangular(2, 4, 8) GW; P_t = P_1 · 1.3^(t−1)
//	e ~ LogNormal(ln 80, 0.25) $/MWh once per trial
//	energy_t = P_t · e · 0.00876   (GW · $/MWh · 8760 h / 10⁶ → $B)
//	outcome = Σ_{t=1..5} (revenue_t · m − capex_t − energy_t)
//
// Ref5yModel builds it on the public forecast API; Ref5yLoop is the floor:
// what a user writes without the library. Ref5yExactMean derives its mean
// analytically (−112.87539), which the tests check both against.
//
// The package has no exported API beyond what cmd/ref5y and the benchmarks
// share; it is not imported by the library.
package benchmarks

import (
	"math"
	"math/rand/v2"
	"slices"
	"sync"

	"github.com/mcforecast/mcforecast/distributions"
	"github.com/mcforecast/mcforecast/forecast"
)

// Ref5yHorizon is the number of years of the ref5y workload.
const Ref5yHorizon = 5

// Parameters of ref5y, shared by the model, the loop and the exact mean. The
// numpy script (reference/ref5y_numpy.py) repeats them; keep both in step.
const (
	capexMin, capexMax = 115.0, 135.0 // first-year capex band, $B
	capexGrowthMu      = 0.10         // yearly capex growth, fraction
	capexGrowthSigma   = 0.05         //
	revenue0           = 201.0        // revenue of year 0, $B
	revGrowthMu        = 0.18         // yearly revenue growth, fraction
	revGrowthSigma     = 0.06         //
	marginMin          = 0.35         // operating margin, fraction of revenue
	marginMode         = 0.41         //
	marginMax          = 0.45         //
	powerMin           = 2.0          // first-year data-centre power, GW
	powerMode          = 4.0          //
	powerMax           = 8.0          //
	powerGrowth        = 1.3          // yearly power growth factor
	priceMedian        = 80.0         // energy price median, $/MWh (μ = ln 80)
	priceSigma         = 0.25         // σ of ln price
	gwMWhToBillions    = 0.00876      // 1 GW for 8760 h = 8.76·10⁶ MWh; × $/MWh / 10⁹
	ref5yOutcome       = "outcome"    // output name: Σ_t (revenue_t·m − capex_t − energy_t), $B
)

// Ref5yInputs holds the input handles of a model built by Ref5yModelWith.
type Ref5yInputs struct {
	Capex1, CapexGrowth, RevGrowth, Margin, Power1, Price forecast.Input
}

// Ref5yModel returns the ref5y model on the public forecast API and the
// handle of its single scalar output, the five-year outcome in $B. Each
// trial draws 10 values (5 of them the revenue-growth series) and evaluates
// without allocating.
func Ref5yModel() (*forecast.Model, forecast.Output) {
	m, out, _ := Ref5yModelWith()
	return m, out
}

// Ref5yModelWith is Ref5yModel that also returns the input handles, so that
// a caller can add correlations (Model.Correlate) before running.
func Ref5yModelWith() (*forecast.Model, forecast.Output, Ref5yInputs) {
	m := forecast.NewModel()
	in := Ref5yInputs{
		Capex1:      m.Input("capex_1", distributions.Uniform{Min: capexMin, Max: capexMax}),
		CapexGrowth: m.Input("capex growth", distributions.Normal{Mu: capexGrowthMu, Sigma: capexGrowthSigma}),
		RevGrowth:   m.Series("revenue growth", distributions.Normal{Mu: revGrowthMu, Sigma: revGrowthSigma}, Ref5yHorizon),
		Margin:      m.Input("margin", distributions.Triangular{Min: marginMin, Mode: marginMode, Max: marginMax}),
		Power1:      m.Input("power_1", distributions.Triangular{Min: powerMin, Mode: powerMode, Max: powerMax}),
		Price:       m.Input("energy price", distributions.LogNormal{Mu: math.Log(priceMedian), Sigma: priceSigma}),
	}
	out := m.Output(ref5yOutcome)
	m.Eval(func(t *forecast.Trial) {
		t.Set(out, ref5yOutcomeOf(
			t.Value(in.Capex1), t.Value(in.CapexGrowth), t.Values(in.RevGrowth),
			t.Value(in.Margin), t.Value(in.Power1), t.Value(in.Price)))
	})
	return m, out, in
}

// ref5yOutcomeOf evaluates one trial from its draws; r holds the yearly
// revenue growths.
func ref5yOutcomeOf(capex1, gc float64, r []float64, margin, power1, price float64) float64 {
	rev, capex := revenue0, capex1
	energy := power1 * price * gwMWhToBillions
	sum := 0.0
	for _, g := range r {
		rev *= 1 + g
		sum += rev*margin - capex - energy
		capex *= 1 + gc
		energy *= powerGrowth
	}
	return sum
}

// Ref5yExactMean returns the exact expected outcome of ref5y (−112.875388…,
// the issue's −112.875 rounded), by linearity and independence of the draws:
//
//	E[capex_t]  = E[capex_1] · E[(1+g_c)^(t−1)], with (1+g_c) ~ N(1.1, 0.05²):
//	              E[X] = μ, E[X²] = μ²+σ², E[X³] = μ³+3μσ², E[X⁴] = μ⁴+6μ²σ²+3σ⁴
//	E[rev_t · m] = 201 · 1.18^t · (0.35+0.41+0.45)/3
//	E[energy_t] = (2+4+8)/3 · 1.3^(t−1) · 80·e^(σ²/2) · 0.00876
func Ref5yExactMean() float64 {
	meanCapex1 := (capexMin + capexMax) / 2
	meanMargin := (marginMin + marginMode + marginMax) / 3
	meanPower1 := (powerMin + powerMode + powerMax) / 3
	meanPrice := priceMedian * math.Exp(priceSigma*priceSigma/2)
	gcMu, gcVar := 1+capexGrowthMu, capexGrowthSigma*capexGrowthSigma
	sum, rev, pw := 0.0, revenue0, 1.0
	for t := 1; t <= Ref5yHorizon; t++ {
		rev *= 1 + revGrowthMu
		capex := meanCapex1 * normalMoment(gcMu, gcVar, t-1)
		sum += rev*meanMargin - capex - meanPower1*pw*meanPrice*gwMWhToBillions
		pw *= powerGrowth
	}
	return sum
}

// normalMoment returns E[X^k] for X ~ N(mu, v): Σ_{j even ≤ k} C(k, j)
// mu^(k−j) v^(j/2) (j−1)!!, e.g. μ³ + 3μσ² for k = 3.
func normalMoment(mu, v float64, k int) float64 {
	sum := 0.0
	binom, dfact := 1.0, 1.0 // C(k, j) and (j−1)!! for the current even j
	for j := 0; j <= k; j += 2 {
		if j > 0 {
			binom *= float64(k-j+2) * float64(k-j+1) / (float64(j-1) * float64(j))
			dfact *= float64(j - 1)
		}
		sum += binom * math.Pow(mu, float64(k-j)) * math.Pow(v, float64(j/2)) * dfact
	}
	return sum
}

// Ref5yLoop simulates n ref5y trials on one goroutine, the way a user would
// without the library: one math/rand/v2 PCG, inline sampling, outcomes
// stored in a []float64 of length n.
func Ref5yLoop(n int, seed uint64) []float64 {
	return Ref5yLoopParallel(n, seed, 1)
}

// Ref5yLoopParallel is Ref5yLoop on workers goroutines (workers < 1 means
// 1), each simulating a contiguous share of the trials with its own PCG
// seeded from a master PCG over seed. Results depend on workers.
func Ref5yLoopParallel(n int, seed uint64, workers int) []float64 {
	if workers < 1 {
		workers = 1
	}
	out := make([]float64, n)
	master := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		lo, hi := n*w/workers, n*(w+1)/workers
		s1, s2 := master.Uint64(), master.Uint64()
		wg.Add(1)
		go func() {
			defer wg.Done()
			ref5yLoopFill(out[lo:hi], rand.New(rand.NewPCG(s1, s2)))
		}()
	}
	wg.Wait()
	return out
}

// ref5yLoopFill fills out with independent ref5y outcomes drawn from r.
func ref5yLoopFill(out []float64, r *rand.Rand) {
	lnPrice := math.Log(priceMedian)
	// Triangular inverse CDFs, precomputed.
	mw, mcut := marginMax-marginMin, (marginMode-marginMin)/(marginMax-marginMin)
	pwd, pcut := powerMax-powerMin, (powerMode-powerMin)/(powerMax-powerMin)
	tri := func(u, lo, mode, hi, w, cut float64) float64 {
		if u < cut {
			return lo + math.Sqrt(u*w*(mode-lo))
		}
		return hi - math.Sqrt((1-u)*w*(hi-mode))
	}
	for i := range out {
		capex := capexMin + (capexMax-capexMin)*r.Float64()
		gc := 1 + capexGrowthMu + capexGrowthSigma*r.NormFloat64()
		m := tri(r.Float64(), marginMin, marginMode, marginMax, mw, mcut)
		p := tri(r.Float64(), powerMin, powerMode, powerMax, pwd, pcut)
		energy := p * math.Exp(lnPrice+priceSigma*r.NormFloat64()) * gwMWhToBillions
		rev, sum := revenue0, 0.0
		for t := 0; t < Ref5yHorizon; t++ {
			rev *= 1 + revGrowthMu + revGrowthSigma*r.NormFloat64()
			sum += rev*m - capex - energy
			capex *= gc
			energy *= powerGrowth
		}
		out[i] = sum
	}
}

// Stats is the summary every implementation of ref5y reports; its JSON form
// is what cmd/ref5y and reference/ref5y_numpy.py print.
type Stats struct {
	N            int     `json:"n"`
	Mean         float64 `json:"mean"`
	SD           float64 `json:"sd"`
	P5           float64 `json:"p5"`
	P50          float64 `json:"p50"`
	P95          float64 `json:"p95"`
	ProbNegative float64 `json:"prob_negative"`
}

// MetricStats summarises a forecast metric: one selection pass for the
// three percentiles, one O(n) pass for P(outcome < 0).
func MetricStats(m *forecast.Metric) Stats {
	p := m.Percentiles(0.05, 0.5, 0.95)
	return Stats{
		N: m.Count(), Mean: m.Mean(), SD: m.StdDev(),
		P5: p[0], P50: p[1], P95: p[2],
		ProbNegative: m.ProbBelow(0),
	}
}

// SortStats summarises x as the hand-written loop would: it sorts x in
// place (slices.Sort, O(n log n)) and reads percentiles by linear
// interpolation between order statistics (numpy's default, Hyndman–Fan
// type 7). x must be non-empty and finite.
func SortStats(x []float64) Stats {
	slices.Sort(x)
	n := len(x)
	q := func(p float64) float64 {
		h := p * float64(n-1)
		lo := int(h)
		if lo >= n-1 {
			return x[n-1]
		}
		return x[lo] + (h-float64(lo))*(x[lo+1]-x[lo])
	}
	sum := 0.0
	for _, v := range x {
		sum += v
	}
	mean := sum / float64(n)
	ss, neg := 0.0, 0
	for _, v := range x {
		d := v - mean
		ss += d * d
		if v < 0 {
			neg++
		}
	}
	sd := math.NaN()
	if n > 1 {
		sd = math.Sqrt(ss / float64(n-1))
	}
	return Stats{
		N: n, Mean: mean, SD: sd,
		P5: q(0.05), P50: q(0.5), P95: q(0.95),
		ProbNegative: float64(neg) / float64(n),
	}
}
