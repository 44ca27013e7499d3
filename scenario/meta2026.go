package scenario

import (
	"github.com/mcforecast/mcforecast/distributions"
	"github.com/mcforecast/mcforecast/forecast"
)

// Meta2026 returns the built-in scenario: Meta Platforms' AI build-out over
// 2026–2030, from the figures the company published with its fourth-quarter
// 2025 results (28 January 2026) and its own statements on compute. Each
// number carries its source in a comment; where a number is a judgement
// (a volatility, a probability, a band around a point figure) the comment
// says so. It returns a new value on each call, so callers may modify it.
func Meta2026() *Scenario {
	return &Scenario{
		Name:     "Meta 2026",
		BaseYear: 2025, // last full year reported (Q4 2025 results, 28 Jan 2026)
		Horizon:  5,    // 2026–2030
		Method:   forecast.MonteCarlo,

		// 2026 capital expenditure guidance of $115–135B including principal
		// payments on finance leases (Q4 2025 results). Uniform: guidance states
		// a range, not a most likely value.
		Capex: distributions.Uniform{Min: 115, Max: 135},
		// Growth after 2026: judgement. Meta says compute needs keep rising
		// (tens of GW this decade, see PowerGrowth) but gives no guidance past
		// 2026; mean 10 %/yr, σ 10 points, so a cut is about 16 % likely.
		CapexGrowth: distributions.Normal{Mu: 0.10, Sigma: 0.10},

		// 2025 revenue of about $201B ($200.97B, +22 % year on year); the
		// latest quarter, Q4 2025, was about $60B ($59.89B, +24 %).
		Revenue: distributions.Constant{Value: 201},
		// Recent growth is 22–24 % (2025: +22 %; Q4 2025: +24 %); the question
		// this model answers assumes ~20 %/yr as the base grows. Mean 20 %;
		// the year-to-year σ of 6 points is a judgement from 2022–2025
		// (−1 %, +16 %, +22 %, +22 %).
		RevenueGrowth: distributions.Normal{Mu: 0.20, Sigma: 0.06},

		// Cash operating margin. 2025 GAAP operating margin was 41 %; adding
		// back the non-cash depreciation and amortisation (~9 % of revenue) and
		// share-based compensation (~9 %) and the data-centre energy this model
		// charges separately (~1 %) gives about 60 %. 2026 total-expense
		// guidance ($162–169B) implies the margin falls as AI staff and cloud
		// costs grow. Judgement: PERT with mode 56 %, range 50–60 %.
		OperatingMargin: distributions.PERT{Min: 0.50, Mode: 0.56, Max: 0.60},
		// Cash tax on operating income: judgement around Meta's recent effective
		// tax rate of the low-to-mid teens excluding one-off charges.
		TaxRate: distributions.Uniform{Min: 0.12, Max: 0.18},

		// Average IT power drawn in 2026, GW: judgement. Meta's data centres
		// used about 15 TWh in 2023 (sustainability report), ≈1.7 GW average;
		// the 1 GW Prometheus cluster comes online in 2026. 90 % interval
		// 2–5 GW (a log-normal).
		PowerGW: distributions.CI90(2, 5),
		// Growth of power: Meta plans "tens of gigawatts this decade, and
		// hundreds of gigawatts or more over time" (Meta Compute announcement,
		// January 2026); ~35 %/yr takes 3 GW in 2026 to ~10 GW in 2030.
		// σ 12 points: judgement.
		PowerGrowth: distributions.Normal{Mu: 0.35, Sigma: 0.12},
		// Fleet PUE about 1.08 (Meta sustainability reports); a right tail
		// for new high-density AI halls: judgement.
		PUE: distributions.Triangular{Min: 1.06, Mode: 1.08, Max: 1.15},
		// Energy price, $/MWh: US industrial electricity averaged about
		// $81/MWh in 2024 (EIA Electric Power Monthly); long-term PPAs are
		// lower, capacity-constrained grids higher. 90 % interval $50–110:
		// judgement.
		EnergyPrice: distributions.CI90(50, 110),

		// Servers and network equipment are depreciated over 5.5 years since
		// January 2025 (Meta 2024 Form 10-K); buildings over much longer. A
		// blended life of 5–9 years, most likely 6: judgement.
		DepreciationLife: distributions.PERT{Min: 5, Mode: 6, Max: 9},
		// Depreciation and amortisation of about $19B in 2025 (cash-flow
		// statements: ~$4–5.5B a quarter, rising through the year),
		// approximate.
		PriorDepreciation: distributions.Constant{Value: 19},
		// Discount rate: judgement, a large-cap technology WACC of 8–10 %.
		DiscountRate: distributions.Uniform{Min: 0.08, Max: 0.10},

		Events: []Event{{
			// Multi-billion acquisitions and stakes: the ~$2B purchase of Manus
			// (December 2025) and the $14.3B stake in Scale AI (June 2025).
			// Probability 35 % a year and a 90 % interval of $1–15B: judgement.
			Name: "acquisition", Probability: 0.35, Cost: distributions.CI90(1, 15),
		}, {
			// Regulatory fines: $5B (FTC, 2019), €1.2B (GDPR, 2023), €798M (EU
			// antitrust, 2024), €200M (DMA, 2025). Probability 25 % a year and a
			// 90 % interval of $0.5–5B: judgement.
			Name: "regulatory fine", Probability: 0.25, Cost: distributions.CI90(0.5, 5),
		}},

		// Five pairs each for the scalar–series correlation, so ρ stays
		// moderate to keep the copula's matrix positive semi-definite.
		Correlations: []Correlation{
			// Capex budgets follow revenue: faster growth funds a faster build-out.
			// The correlation applies to each of the five years, which ties capex
			// growth to the average revenue growth at about 0.15·√5 ≈ 0.34
			// (judgement: budgets respond to the revenue trend, not to one year).
			{A: "capex_growth", B: "revenue_growth", Rho: 0.15},
			// Gigawatts are what capex buys: more spending, faster power growth.
			{A: "capex_growth", B: "power_growth", Rho: 0.5},
			// Data-centre demand bids up power prices (PJM capacity auctions 2024–25).
			{A: "power_growth", B: "energy_price", Rho: 0.25},
		},
	}
}
