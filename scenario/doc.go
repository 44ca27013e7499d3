// Package scenario is the investment model of mcforecast as data: a
// company's capital expenditure, revenue, data-centre power and one-off
// events, each an uncertain input (a distributions.Dist), turned into five
// (or Horizon) years of free cash flow by the forecast engine.
//
// A Scenario is built in Go (see Meta2026, the built-in default) or read
// from a YAML or JSON file with Load and LoadFile, and written back with
// WriteYAML. Scenario.Model builds the forecast.Model; Scenario.Run runs it.
//
// # Units
//
// Money is in billions of US dollars ($B) per year, power in gigawatts (GW,
// the average IT load drawn over the year), energy in TWh (facility energy,
// IT × PUE), emissions in millions of tonnes of CO₂ (MtCO₂), grid carbon
// intensity in tCO₂/MWh, energy prices in $/MWh, carbon prices in $/tCO₂, and
// rates (growth, margin, tax, discount) are fractions per year (0.2, not
// 20). Years t = 1 … H are the forecast years BaseYear+1 … BaseYear+H; the
// base year is the last actual year.
//
// # Equations
//
// One trial draws every input once (RevenueGrowth and the events once per
// year) and computes, for t = 1 … H:
//
//	revenue R_t          = R_0 · ∏_{s=1..t} (1 + g_s)          R_0 = Revenue (base year), g_s = RevenueGrowth draw of year s
//	capex C_t            = C_1 · (1 + c)^(t−1)                 C_1 = Capex (first forecast year), c = CapexGrowth (one draw per trial)
//	power P_t            = P_1 · (1 + p)^(t−1)                 P_1 = PowerGW, p = PowerGrowth (one draw per trial)
//	energy W_t           = P_t · PUE · 8.76                     TWh: 8 760 h · 1e-3 TWh/GWh
//	renewable share s_t  = min(1, max(0, s_1 + (t−1)·Δs))       s_1 = RenewableShare, Δs = RenewableShareChange (one draw)
//	effective price p_t  = s_t · ppa + (1 − s_t) · price_t      $/MWh; ppa = PPAPrice (the grid price when unset);
//	                                                            price_t = EnergyPrice (one draw), or year t of its process
//	energy cost E_t      = P_t · PUE · p_t · 8.76e-3            $B: GW·h = 1 000 MWh, and $ → $B is 1e-9, so 8 760 · 1 000 · 1e-9 = 8.76e-3 per GW per $/MWh
//	location emissions   M_t = W_t · I_t                        MtCO₂ (TWh × tCO₂/MWh); I_t = I_1 · (1 + k)^(t−1),
//	                                                            I_1 = GridCarbonIntensity, k = GridIntensityChange (one draw)
//	market emissions     N_t = (1 − s_t) · M_t                  PPA energy emits nothing
//	carbon cost K_t      = X_t · q_t · 1e-3                     $B; X_t = N_t (CarbonBasis market) or M_t (location),
//	                                                            q_t = q_1 · (1 + u)^(t−1), q_1 = CarbonPrice, u = CarbonPriceGrowth
//	heat revenue H_t     = W_t · h · hp · 1e-3                  $B; h = HeatRecovery (MWh sold per MWh), hp = HeatPrice
//	depreciation D_t     = Σ_{v=1..t} C_v · w(t−v) / L  +  D_0 · max(0, 1 − t/L)
//	                       w(a) = min(1, max(0, L − a)): straight line over L = DepreciationLife years,
//	                       a full year's charge in the year of spend, a fractional last year when L is not whole;
//	                       D_0 = PriorDepreciation, the base year's depreciation of the assets bought
//	                       before the horizon, runs off linearly to zero over L years (as it would if
//	                       those assets were of evenly spread ages: the prior-capex base)
//	capacity (optional)  Q_t = κ_t · L · D_t                    $B; L · D_t = Σ_{v≤t} C_v · w(t−v) + L · D_0 · max(0, 1 − t/L) is the
//	                                                            capex in service (within its life); κ_t = κ_1 · (1 + x)^(t−1),
//	                                                            κ_1 = RevenuePerCapex, x = RevenuePerCapexChange (one draw)
//	                       with RevenuePerCapex set, revenue is R_t = min(R^d_t, Q_t), R^d_t the first line's (demand)
//	operating income O_t = R_t · m − E_t − D_t − K_t + H_t     m = OperatingMargin, the cash operating margin:
//	                                                            revenue less every cash operating cost except
//	                                                            data-centre energy, before depreciation and tax
//	tax T_t              = τ · max(0, O_t)                     τ = TaxRate (0 when not set); no loss carry-forward
//	operating cash flow  = R_t · m − E_t − K_t + H_t − T_t     (= O_t + D_t − T_t: depreciation is not cash)
//	events V_t           = Σ_events B_{e,t} · K_{e,t}           B ~ Bernoulli(Probability) and K ~ Cost, drawn each year
//	free cash flow F_t   = R_t · m − E_t − K_t + H_t − T_t − C_t − V_t
//	capex/revenue        = C_t / R_t
//
// and the totals
//
//	cumulative free cash flow = Σ_t F_t
//	npv                       = Σ_t F_t / (1 + r)^t            r = DiscountRate; end-of-year flows, discounted to the end of the base year
//	                            + V / (1 + r)^H                V: the terminal value at the end of year H, 0 unless TerminalValue is set:
//	  book                    V = Σ_{v=1..H} C_v · max(0, 1 − (H − v + 1)/L)  +  Σ_{t>H} D_0 · max(0, 1 − t/L)
//	                              the undepreciated cost of the assets in service: each vintage less the
//	                              C_v · min(H − v + 1, L)/L charged so far, plus the prior base's remaining charges
//	  growth(g)               V = F_H · (1 + g) / (r − g)      g < every r the scenario can draw (the lowest value of its distribution)
//	negative fcf years        = #{t : F_t < 0}
//	years to payback          = min{t : Σ_{s≤t} F_s ≥ 0}, or horizon + 1 when there is none
//	total energy, emissions and carbon cost = Σ_t W_t, Σ_t M_t, Σ_t N_t, Σ_t K_t
//
// Outputs lists every output with its unit: the per-year series OutRevenue,
// OutCapex, OutEnergyCost, OutDepreciation, OutOperatingIncome,
// OutFreeCashFlow, OutCapexRevenue, OutEnergy, OutLocationEmissions,
// OutMarketEmissions, OutCarbonCost and OutEnergyPriceEff, and the totals
// OutCumulativeFCF, OutNPV, OutNegativeYears, OutPayback, OutEnergyTotal,
// OutLocationEmissionsTotal, OutMarketEmissionsTotal and OutCarbonCostTotal;
// with a terminal value, OutTerminalValue (V above, not discounted).
//
// The energy and emissions fields are optional and their defaults (share 0,
// intensity 0, carbon price 0, no heat, PPAs at the grid price) make E_t
// the single-price cost and K_t = H_t = 0, bit for bit: a scenario that
// does not set them gives exactly the numbers it gave before they existed.
//
// The capacity link is optional and off by default: without
// RevenuePerCapex revenue is demand, bit for bit as before the field
// existed, and capex changes nothing but costs. With it, revenue is what
// demand gives capped by what the installed compute can serve, κ_t dollars
// of revenue a year per dollar of capex in service (gross, bought within
// its depreciation life: a server serves in full until it is retired, so
// the gross base, not the net book value, measures capacity). Demand keeps
// growing by its own draws whether or not it was served: revenue lost to a
// short year is lost, not deferred. A falling κ (x < 0) says each dollar of
// revenue needs more compute every year, as it does while AI workloads
// grow. The installed base includes the prior base, L · D_0 in the base
// year, retiring linearly.
//
// The terminal value is optional and off by default (npv is then the
// discounted cash of the forecast years, bit for bit as before it existed).
// It credits the npv with what the years after the horizon are worth;
// cumulative free cash flow, payback and the per-year outputs stay cash
// only. The book form assumes the assets in service at the horizon earn,
// over the rest of their lives, the discount rate on their undepreciated
// cost: it stops a plan that buys capex late in the horizon, whose
// earnings fall mostly after it, being charged the cost without the
// asset. The growth form is a Gordon perpetuity on the last year's free
// cash flow, capex and events included: for a steady state, not for a
// build-out (whose last year's capex it capitalises for ever); a negative
// last year gives a negative value.
//
// Rates enter through a single draw per trial except revenue growth, which is
// drawn afresh each year: a capex or power trajectory is a plan that persists,
// while revenue growth varies from year to year around its distribution.
//
// # Persistence, processes and tail dependence
//
// Three optional keys make the uncertainty richer; a scenario without them
// builds the model it always did, with bit-identical results.
//
// revenue_growth_autocorrelation: ρ (Scenario.RevenueGrowthAutocorrelation,
// in (−1, 1)) makes consecutive years' growth rank-correlated: the normal
// scores of g_1 … g_H follow an AR(1) process, corr(z_i, z_j) = r^|i−j|
// with r = 2·sin(π·ρ/6), so the Spearman coefficient of g_t and g_{t+1} is
// ρ and each year keeps the RevenueGrowth distribution
// (forecast.Model.Autocorrelate). A slow year then tends to follow a slow
// year, and the five-year total spreads wider than with independent years.
// The autocorrelation enters the same matrix as the correlations: when the
// two do not fit together, CheckCorrelations names both and
// repair_correlations uses the nearest valid matrix.
//
// energy_price and revenue_growth may be a process instead of a
// distribution (Scenario.EnergyPriceProcess, RevenueGrowthProcess), written
// in processes.Parse syntax:
//
//	energy_price: ou(start=81, mean=81, reversion=0.5, volatility=10)    # mean-reverting, $/MWh
//	energy_price: gbm(start=80, drift=0.02, volatility=0.15)             # log-normal, stays positive
//	revenue_growth: ou(start=0.22, mean=0.18, reversion=0.7, volatility=0.05)
//
// The field is then a yearly path (forecast.Model.Process): year t is t
// one-year steps after start, X_t = m + (X_{t−1} − m)·e^(−k) + σ·√((1 −
// e^(−2k))/(2k))·z_t for an OU, so E[X_t] = m + (start − m)·e^(−k·t) and
// Var X_t = σ²·(1 − e^(−2k·t))/(2k). In the equations price_t (and with it
// the energy cost E_t = P_t · PUE · p_t · 8.76e-3, and a PPA price left at
// the grid's) is year t of the path, and g_t is year t of a growth process.
// The range of the field applies to every year: the quantiles at 1e-9 and
// 1 − 1e-9 of each year's value must lie in it, as for a distribution, so
// an OU price whose spread reaches below 0 is refused (lower the
// volatility, or use gbm). A process is not autocorrelated (its path has
// its own persistence) and a plan cannot replace it. In correlations and
// sensitivities it keeps its input name (energy price): a correlation with
// it applies to its yearly shocks z_t (each year's, as for a series), the
// sensitivities see its values.
//
// copula: t(ν) (Scenario.Copula) ties the correlated inputs by a Student t
// copula with ν > 2 degrees of freedom instead of the Gaussian one
// (copula: gaussian, the default): the marginals and the requested
// Spearman coefficients stay, but joint extremes — a bad year for revenue
// and for capex at once — become more frequent (forecast.Model.StudentCopula).
// It is slower: the built-in scenario with copula: t(4) takes 4 to 6 times
// as long as with the Gaussian copula on one worker (BenchmarkRicher), the
// t distribution function of each correlated value dominating.
//
// # Validation
//
// Every input must be a valid distribution whose values lie in the field's
// range (for example PUE ≥ 1, a depreciation life > 0, growth > −1). A range
// is checked on the distribution's quantiles at 1e-9 and 1 − 1e-9, so an
// unbounded normal is accepted where its tails are a billion to one inside the
// range; a distribution that reaches outside it should be truncated
// (truncated(normal(6, 1), 3, 10)). Load reports every error with the file,
// line and key path: scenario.yaml:7: capex: uniform: min 135 > max 115.
//
// # File format
//
// A scenario file is a YAML (or JSON) mapping; see WriteYAML and Meta2026 for
// a complete one:
//
//	name: Meta 2026
//	base_year: 2025
//	horizon: 5
//	method: montecarlo                # or lhs, qmc
//	capex: uniform(115, 135)          # distributions.Parse syntax; a plain number is a constant
//	capex_growth: normal(0.08, 0.1)
//	revenue: 201
//	revenue_growth: normal(0.2, 0.06)
//	operating_margin: pert(0.44, 0.5, 0.53)
//	...
//	events:
//	  - {name: acquisition, probability: 0.4, cost: 1 to 15}
//	correlations:
//	  - {a: capex_growth, b: revenue_growth, rho: 0.3}
//
// The energy part of a file (see Meta2026 for sources):
//
//	renewable_share: 1                # PPAs cover this fraction of consumption
//	renewable_share_change: uniform(-0.05, 0)
//	ppa_price: triangular(50, 62, 75) # $/MWh
//	grid_carbon_intensity: 0.37       # tCO2/MWh
//	grid_intensity_change: -0.03      # per year
//	carbon_price: 100                 # $/tCO2
//	carbon_basis: location            # or market (the default)
//
// The capacity link (optional; see Meta2026Plans):
//
//	revenue_per_capex: 1.5            # $ of revenue a $ of capex in service serves per year
//	revenue_per_capex_change: -0.12   # per year: compute per $ of revenue rises
//
// The richer keys (see above):
//
//	revenue_growth_autocorrelation: 0.5
//	energy_price: ou(start=81, mean=81, reversion=0.5, volatility=10)
//	copula: t(4)                      # or gaussian (the default), student(4)
//
// The terminal value of the npv (optional; a key of the scenario, shared by
// its plans):
//
//	terminal_value: book              # none (the default), book, or growth(0.03)
//
// Correlations name inputs by their file key (capex_growth) or their input
// name in the model (capex growth); an event's draws are "NAME occurs" and
// "NAME cost". Correlations that do not fit together (no joint
// distribution has them all) are an error naming the pairs to loosen, see
// CheckCorrelations, unless repair_correlations: true asks for the nearest
// valid matrix.
//
// # Plans
//
// A scenario may compare plans: options of one decision evaluated on the
// same draws (common random numbers), the first being the baseline. Each
// plan has a name, the fields it sets and the events it changes; the others
// keep the scenario's values:
//
//	plans:
//	  - name: guided                  # the baseline: the fields above
//	  - name: aggressive
//	    capex: uniform(135, 160)
//	    power_growth: normal(0.45, 0.12)
//	  - name: pause
//	    capex: uniform(70, 90)
//	    revenue_growth: normal(0.18, 0.06)   # a series field: one draw a year, mapped per plan
//	    events:                        # by name; cost optional (the scenario's when left out)
//	      - {name: acquisition, probability: 0.2, cost: 1 to 8}
//	      - {name: regulatory fine, probability: 0}   # 0 removes an event
//
// Model then declares the decision DecisionName, every scalar field a plan
// sets as a forecast.Model.InputPer, and every series field and every
// event's occurrence or cost a plan changes as a forecast.Model.SeriesPer
// (one uniform per year, mapped through each plan's distribution); a
// scenario without plans builds the model it always did, with
// bit-identical results. A plan can change only events the scenario lists:
// to add one under some plans, list it with probability 0 and give its
// probability in those plans. Meta2026Plans is the built-in scenario with
// three capex plans, the capacity link, without which capex would buy
// nothing and the cheapest plan would always win, and the book terminal
// value, without which capex bought late in the horizon would be charged
// without its later earnings; the command compares plans (mcforecast
// -plans).
package scenario
