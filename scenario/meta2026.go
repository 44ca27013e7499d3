package scenario

import (
	"github.com/mcforecast/mcforecast/distributions"
	"github.com/mcforecast/mcforecast/forecast"
	"github.com/mcforecast/mcforecast/processes"
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
		// Persistence of growth: a rank correlation of 0.5 between
		// consecutive years (judgement). Meta's yearly growth 2013–2025
		// (examples/data/meta_revenue.csv, and +22 % in 2025) has a lag-1
		// Spearman coefficient of 0.75, but that is mostly its decline from
		// 55 % to 20 % as the company grew; around a straight-line trend it
		// is −0.14, and with 12 pairs either figure has a standard error near
		// 0.3, so the history cannot pin it. Across firms, growth persists
		// little beyond chance (Chan, Karceski & Lakonishok, "The Level and
		// Persistence of Growth Rates", Journal of Finance 58(2), 2003). The
		// persistence here stands for the uncertainty of the growth trend
		// itself (an advertising cycle or an AI product cycle lasts longer
		// than a year), which independent years leave out: with it, the
		// standard deviation of the 2026–2030 average growth is 4.1 points
		// instead of 2.7 (6/√5), a 90 % range of about 13–27 %.
		RevenueGrowthAutocorrelation: 0.5,

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

		// Average IT power drawn in 2026, GW. Calibrated to reported energy:
		// Meta's data centres used 14 975 435 MWh in 2023 at a fleet PUE of
		// 1.08 (Meta 2024 Sustainability Report, environmental data index),
		// i.e. 13.9 TWh of IT energy, 1.58 GW of average IT draw, after +34 %
		// in 2023. Grown at 35 %/yr (the 2023 rate, and PowerGrowth below)
		// that is 1.58 · 1.35³ ≈ 3.9 GW in 2026, the median of this 90 %
		// interval of 3–5 GW (a log-normal). 2024 and 2025 figures were not
		// verified here: the width is judgement. (Before the energy fields:
		// CI90(2, 5), median 3.2 GW, i.e. 26 %/yr since 2023.)
		PowerGW: distributions.CI90(3, 5),
		// Growth of power: Meta plans "tens of gigawatts this decade, and
		// hundreds of gigawatts or more over time" (Meta Compute announcement,
		// January 2026); ~35 %/yr takes 3 GW in 2026 to ~10 GW in 2030.
		// σ 12 points: judgement.
		PowerGrowth: distributions.Normal{Mu: 0.35, Sigma: 0.12},
		// Fleet PUE about 1.08 (Meta sustainability reports); a right tail
		// for new high-density AI halls: judgement.
		PUE: distributions.Triangular{Min: 1.06, Mode: 1.08, Max: 1.15},
		// Grid energy price, $/MWh, a mean-reverting yearly path (an
		// Ornstein–Uhlenbeck process): prices move with fuel costs and
		// demand and drift back as supply responds. Start and long-run
		// mean: US industrial electricity averaged about $81/MWh in 2024
		// (EIA Electric Power Monthly; 8.32 ¢/kWh in 2022 and 8.06 in 2023,
		// EIA via Statista), and no real trend is assumed (judgement).
		// Reversion 0.5 a year, a half-life of 1.4 years: judgement between
		// wholesale prices, which follow gas back within a year (Henry Hub
		// averaged $6.45/MMBtu in 2022 and $2.53 in 2023), and retail
		// industrial rates, which lag through rate cases (8.32 ¢/kWh in 2022,
		// still 8.06 in 2023). Volatility $10/MWh per √year: judgement; the
		// national average (6.7–8.3 ¢/kWh over 2014–2024, EIA) changed by
		// about $4/MWh in a typical year and by +$11 in 2022, and a fleet in
		// capacity-constrained grids moves more (PJM's capacity price rose
		// about ninefold in the 2025/26 auction). The year-1 standard
		// deviation is $7.9/MWh and the long-run one $10, a long-run 90 %
		// band of about $65–97. Before, the price was one draw per trial,
		// CI90(50, 110), which mixed the uncertainty of the level Meta's
		// sites pay with that of its path; a process starts from one level,
		// so the path leaves the first out (and an OU wide enough for it
		// would reach negative prices, which Validate refuses). With
		// renewable contracts matching nearly all consumption (below), the
		// grid price applies only to the unmatched share, 0–20 % by 2030, and
		// moves the cumulative free cash flow by well under $1B either way.
		// The energy bought through PPAs is priced by PPAPrice instead.
		EnergyPriceProcess: processes.OU{Start: 81, LongRunMean: 81, Reversion: 0.5, Volatility: 10},

		// Energy and emissions.
		//
		// 100 % of Meta's electricity use was matched with renewable energy in
		// 2023, through PPAs and certificates, with 11 700 MW of contracted
		// renewables (Meta 2024 Sustainability Report), and Meta commits to
		// continue matching 100 % (sustainability.atmeta.com). The share is 1
		// in 2026; contracting may lag a 35 %/yr load growth, so it changes by
		// 0 to −5 points a year: judgement.
		RenewableShare:       distributions.Constant{Value: 1},
		RenewableShareChange: distributions.Uniform{Min: -0.05, Max: 0},
		// PPA price, $/MWh: LevelTen's North American P25 index for Q4 2024 was
		// $56.76 (solar), $67.81 (wind) and $62.29 (blended, market-averaged);
		// the continental P25 was about $50 (pv magazine, 29 Jan 2025); solar
		// and wind P25 rose ~9 % in 2025 (LevelTen Q4 2025 index, 27 Jan 2026).
		// Triangular $50–75 with mode $62: judgement on those figures.
		PPAPrice: distributions.Triangular{Min: 50, Mode: 62, Max: 75},
		// US grid average 0.366 tCO₂/MWh in 2023: 1.53 Gt from 4.18 PWh of
		// utility-scale generation (EIA, "How much carbon dioxide is produced
		// per kilowatthour", 0.81 lb/kWh). Meta's grids differ from the average
		// (Midwest and South-East sites are above it): triangular 0.30–0.45,
		// mode 0.37, judgement.
		GridCarbonIntensity: distributions.Triangular{Min: 0.30, Mode: 0.37, Max: 0.45},
		// The US average fell from 0.92 lb/kWh (2019) to 0.81 (2023), about
		// −3 %/yr (EIA, same page, earlier editions); σ 1.5 points: judgement.
		GridIntensityChange: distributions.Normal{Mu: -0.03, Sigma: 0.015},
		// No carbon price applies to Meta's US electricity today; the
		// what-ifs of the README set one (EU ETS 2024 average ~€67/t; US EPA
		// social cost of carbon ~$190/t in 2020 dollars). Market-based: a price
		// on the emissions left after renewable contracts.
		CarbonPrice: distributions.Constant{Value: 0},
		CarbonBasis: MarketBased,
		// Heat recovery is left out: Odense supplies ~100 000 MWh a year of
		// district heat, 0.7 % of the 2023 consumption, worth well under
		// $0.01B a year.

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
			// growth to the average revenue growth at about 0.23 with the
			// persistence above (0.15·√5 ≈ 0.34 with independent years)
			// (judgement: budgets respond to the revenue trend, not to one year).
			{A: "capex_growth", B: "revenue_growth", Rho: 0.15},
			// Gigawatts are what capex buys: more spending, faster power growth.
			{A: "capex_growth", B: "power_growth", Rho: 0.5},
			// Data-centre demand bids up power prices (PJM capacity auctions
			// 2024–25). With the price a path, the correlation applies to each
			// year's price shock: 0.15 a year ties power growth to the 2030 price
			// at about 0.28, near the 0.25 (judgement) of the single-draw price
			// it replaces.
			{A: "power_growth", B: "energy_price", Rho: 0.15},
		},
	}
}
