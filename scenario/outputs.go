package scenario

// Output names of the model that Scenario.Model builds. The per-year outputs
// are series of Horizon values (Result.Series); the totals are scalars
// (Result.Output). Outputs lists them all with their units.
const (
	OutRevenue         = "revenue"          // $B per year
	OutCapex           = "capex"            // $B per year
	OutEnergyCost      = "energy cost"      // $B per year, the PPA/grid blend
	OutDepreciation    = "depreciation"     // $B per year
	OutOperatingIncome = "operating income" // $B per year
	OutFreeCashFlow    = "free cash flow"   // $B per year
	OutCapexRevenue    = "capex/revenue"    // fraction per year

	OutEnergy            = "energy"                   // TWh per year, facility energy consumed
	OutLocationEmissions = "location-based emissions" // MtCO₂ per year
	OutMarketEmissions   = "market-based emissions"   // MtCO₂ per year
	OutCarbonCost        = "carbon cost"              // $B per year
	OutEnergyPriceEff    = "effective energy price"   // $/MWh per year

	OutCumulativeFCF = "cumulative free cash flow" // $B over the horizon
	OutNPV           = "npv"                       // $B at the end of the base year
	OutNegativeYears = "negative fcf years"        // count of years with free cash flow < 0
	// OutPayback is the number of years to payback: the first year t
	// (1 … horizon) whose cumulative free cash flow Σ_{s≤t} F_s is ≥ 0, or
	// horizon + 1 when it stays negative over the whole horizon ("not
	// within the horizon", so its mean is a lower bound; P(not paid back)
	// = ProbAbove(horizon)).
	OutPayback = "years to payback"

	OutEnergyTotal            = "total energy"                   // TWh over the horizon
	OutLocationEmissionsTotal = "total location-based emissions" // MtCO₂ over the horizon
	OutMarketEmissionsTotal   = "total market-based emissions"   // MtCO₂ over the horizon
	OutCarbonCostTotal        = "total carbon cost"              // $B over the horizon
)

// Output describes one output of the model that Scenario.Model builds. The
// table that Outputs returns drives the command's report (its rows, units
// and decimals), the CSV and JSON keys (Name) and the charts, so that a new
// output is one entry here and one line of the Eval function.
type Output struct {
	Name     string // the output's name in the model and in a Result; the CSV and JSON key
	Unit     string // "$B", "TWh", "MtCO₂", "$/MWh", "fraction", "count" or "years"
	Decimals int    // decimals a table shows
	Series   bool   // one value per forecast year (Result.Series); a total (Result.Output) otherwise
	Default  bool   // reported without -all (a series: each of its years)
	Chart    string // file stem of its chart (a fan chart for a series, a histogram for a total); "" for none
	Doc      string // one line: what it is
}

// outputs is the table in report order: totals first, then series.
var outputs = []Output{
	{Name: OutCumulativeFCF, Unit: "$B", Decimals: 1, Default: true, Chart: "cumulative-fcf-histogram", Doc: "free cash flow summed over the horizon"},
	{Name: OutNPV, Unit: "$B", Decimals: 1, Default: true, Doc: "free cash flow discounted to the end of the base year"},
	{Name: OutNegativeYears, Unit: "count", Decimals: 1, Default: true, Doc: "years whose free cash flow is negative"},
	{Name: OutPayback, Unit: "years", Decimals: 1, Default: true, Doc: "first year whose cumulative free cash flow is ≥ 0; horizon + 1 when none"},
	{Name: OutEnergyTotal, Unit: "TWh", Decimals: 1, Default: true, Doc: "facility energy consumed over the horizon"},
	{Name: OutLocationEmissionsTotal, Unit: "MtCO₂", Decimals: 2, Default: true, Doc: "grid intensity × energy, summed over the horizon"},
	{Name: OutMarketEmissionsTotal, Unit: "MtCO₂", Decimals: 2, Default: true, Doc: "emissions left after renewable contracts, summed over the horizon"},
	{Name: OutCarbonCostTotal, Unit: "$B", Decimals: 2, Default: true, Doc: "carbon price × the emissions of its basis, summed over the horizon"},

	{Name: OutRevenue, Unit: "$B", Decimals: 1, Series: true, Doc: "revenue"},
	{Name: OutCapex, Unit: "$B", Decimals: 1, Series: true, Doc: "capital expenditure"},
	{Name: OutEnergyCost, Unit: "$B", Decimals: 1, Series: true, Doc: "energy bought: energy × effective energy price"},
	{Name: OutDepreciation, Unit: "$B", Decimals: 1, Series: true, Doc: "straight-line depreciation of capex and the prior base"},
	{Name: OutOperatingIncome, Unit: "$B", Decimals: 1, Series: true, Doc: "cash operating income less energy, carbon cost and depreciation, plus heat revenue"},
	{Name: OutFreeCashFlow, Unit: "$B", Decimals: 1, Series: true, Default: true, Chart: "fcf-fan", Doc: "operating cash flow after tax less capex and events"},
	{Name: OutCapexRevenue, Unit: "fraction", Decimals: 3, Series: true, Doc: "capex / revenue"},
	{Name: OutEnergy, Unit: "TWh", Decimals: 1, Series: true, Chart: "energy-fan", Doc: "facility energy consumed: IT power × PUE × 8 760 h"},
	{Name: OutLocationEmissions, Unit: "MtCO₂", Decimals: 2, Series: true, Chart: "emissions-location-fan", Doc: "grid carbon intensity × energy"},
	{Name: OutMarketEmissions, Unit: "MtCO₂", Decimals: 2, Series: true, Chart: "emissions-market-fan", Doc: "(1 − renewable share) × location-based emissions"},
	{Name: OutCarbonCost, Unit: "$B", Decimals: 2, Series: true, Doc: "carbon price × the emissions of its basis"},
	{Name: OutEnergyPriceEff, Unit: "$/MWh", Decimals: 1, Series: true, Doc: "renewable share × PPA price + (1 − share) × grid price"},
}

// Outputs returns the outputs of the model that Scenario.Model builds, in
// the order a report lists them: the totals, then the per-year series. The
// slice is a copy; callers may modify it.
func Outputs() []Output { return append([]Output(nil), outputs...) }

// OutputInfo returns the description of the output called name, and
// whether there is one.
func OutputInfo(name string) (Output, bool) {
	for _, o := range outputs {
		if o.Name == name {
			return o, true
		}
	}
	return Output{}, false
}
