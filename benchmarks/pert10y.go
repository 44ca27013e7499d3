package benchmarks

import (
	"math"

	"github.com/mcforecast/mcforecast/distributions"
	"github.com/mcforecast/mcforecast/forecast"
)

// pert10y is the second reference workload: the model a user writes with
// three-point estimates (PERT), a Beta utilisation and a "lo to hi" price
// band over ten years, with correlations — the inputs that leave the
// closed-form fast paths of ref5y. In $B:
//
//	capex_1 ~ PERT(115, 125, 140); capex_t = capex_1 · 1.12^(t−1)
//	g_t ~ PERT(0.02, 0.18, 0.30) each year; revenue_t = revenue_{t−1}(1 + g_t), revenue_0 = 201
//	u ~ Beta(8, 2) once per trial (utilisation of the built capacity)
//	price_t ~ CI90(60, 110) $/MWh each year (log-normal with P5 60, P95 110)
//	P_t = 4 · 1.2^(t−1) GW; energy_t = P_t · price_t · 0.00876
//	outcome = Σ_{t=1..10} (0.4 · u · revenue_t − capex_t − energy_t)
//
// Correlated variant: Spearman 0.5 between g_t and price_t year by year
// (demand and power prices move together) and 0.3 between capex_1 and u.
// Neither correlation touches a product in the outcome, so its exact mean
// is the same with and without them (Pert10yExactMean).
const (
	Pert10yHorizon = 10

	p10CapexMin, p10CapexMode, p10CapexMax    = 115.0, 125.0, 140.0
	p10CapexGrowth                            = 1.12
	p10GrowthMin, p10GrowthMode, p10GrowthMax = 0.02, 0.18, 0.30
	p10UtilAlpha, p10UtilBeta                 = 8.0, 2.0
	p10PriceLo, p10PriceHi                    = 60.0, 110.0
	p10Power1, p10PowerGrowth                 = 4.0, 1.2
	p10Margin                                 = 0.4
	p10RhoGrowthPrice, p10RhoCapexUtil        = 0.5, 0.3
	pert10yOutcome                            = "outcome"
)

// Pert10yModel returns the pert10y model and its single output; correlated
// adds the two correlations. Each trial draws 22 values, 20 of them in two
// 10-year series, 13 of them PERT and one Beta.
func Pert10yModel(correlated bool) (*forecast.Model, forecast.Output) {
	m := forecast.NewModel()
	capex := m.Input("capex_1", distributions.PERT{Min: p10CapexMin, Mode: p10CapexMode, Max: p10CapexMax})
	growth := m.Series("revenue growth", distributions.PERT{Min: p10GrowthMin, Mode: p10GrowthMode, Max: p10GrowthMax}, Pert10yHorizon)
	util := m.Input("utilisation", distributions.Beta{Alpha: p10UtilAlpha, Beta: p10UtilBeta})
	price := m.Series("energy price", distributions.CI90(p10PriceLo, p10PriceHi), Pert10yHorizon)
	if correlated {
		m.Correlate(growth, price, p10RhoGrowthPrice)
		m.Correlate(capex, util, p10RhoCapexUtil)
	}
	out := m.Output(pert10yOutcome)
	m.Eval(func(t *forecast.Trial) {
		t.Set(out, pert10yOutcomeOf(t.Value(capex), t.Values(growth), t.Value(util), t.Values(price)))
	})
	return m, out
}

// pert10yOutcomeOf evaluates one trial from its draws.
func pert10yOutcomeOf(capex1 float64, g []float64, u float64, price []float64) float64 {
	rev, capex, power, sum := revenue0, capex1, p10Power1, 0.0
	for t, gt := range g {
		rev *= 1 + gt
		sum += p10Margin*u*rev - capex - power*price[t]*gwMWhToBillions
		capex *= p10CapexGrowth
		power *= p10PowerGrowth
	}
	return sum
}

// Pert10yExactMean returns the exact expected outcome of pert10y, with or
// without its correlations: the growth years are independent of each other
// and of u, so E[u · revenue_t] = E[u] · 201 · (1 + E[g])^t, and every other
// term is linear in one input.
func Pert10yExactMean() float64 {
	eCapex := (p10CapexMin + 4*p10CapexMode + p10CapexMax) / 6
	eGrowth := (p10GrowthMin + 4*p10GrowthMode + p10GrowthMax) / 6
	eUtil := p10UtilAlpha / (p10UtilAlpha + p10UtilBeta)
	const z95 = 1.6448536269514727
	mu := (math.Log(p10PriceLo) + math.Log(p10PriceHi)) / 2
	sigma := (math.Log(p10PriceHi) - math.Log(p10PriceLo)) / (2 * z95)
	ePrice := math.Exp(mu + sigma*sigma/2)
	rev, capex, power, sum := revenue0, eCapex, p10Power1, 0.0
	for t := 0; t < Pert10yHorizon; t++ {
		rev *= 1 + eGrowth
		sum += p10Margin*eUtil*rev - capex - power*ePrice*gwMWhToBillions
		capex *= p10CapexGrowth
		power *= p10PowerGrowth
	}
	return sum
}
