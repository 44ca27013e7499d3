package scenario

import (
	"fmt"
	"math"
	"strings"

	"github.com/mcforecast/mcforecast/distributions"
	"github.com/mcforecast/mcforecast/processes"
)

// Input names of the model that Scenario.Model builds, as they appear in
// sensitivities (the tornado) and in correlations. An event named NAME adds
// the series inputs "NAME occurs" and "NAME cost".
const (
	InCapex             = "first-year capex"
	InCapexGrowth       = "capex growth"
	InRevenue           = "base revenue"
	InRevenueGrowth     = "revenue growth"
	InOperatingMargin   = "operating margin"
	InTaxRate           = "tax rate"
	InPower             = "first-year power"
	InPowerGrowth       = "power growth"
	InPUE               = "pue"
	InEnergyPrice       = "energy price"
	InDepreciationLife  = "depreciation life"
	InPriorDepreciation = "prior depreciation"
	InDiscountRate      = "discount rate"

	InRenewableShare       = "renewable share"
	InRenewableShareChange = "renewable share change"
	InPPAPrice             = "ppa price"
	InGridCarbonIntensity  = "grid carbon intensity"
	InGridIntensityChange  = "grid intensity change"
	InCarbonPrice          = "carbon price"
	InCarbonPriceGrowth    = "carbon price growth"
	InHeatRecovery         = "heat recovery"
	InHeatPrice            = "heat price"

	InRevenuePerCapex       = "revenue per capex"
	InRevenuePerCapexChange = "revenue per capex change"
)

// CarbonBasis says which emissions Scenario.CarbonPrice is charged on.
type CarbonBasis int

const (
	// MarketBased charges the emissions left after renewable contracts,
	// (1 − renewable share) × location-based emissions: a price that
	// contracts avoid, such as an internal carbon price or offsets bought
	// for the residual.
	MarketBased CarbonBasis = iota
	// LocationBased charges the grid's emissions of all the energy
	// consumed, whatever was contracted: a tax or a price on the physical
	// grid mix.
	LocationBased
)

// String returns "market" or "location", the file's spelling.
func (b CarbonBasis) String() string {
	switch b {
	case MarketBased:
		return "market"
	case LocationBased:
		return "location"
	}
	return fmt.Sprintf("CarbonBasis(%d)", int(b))
}

// ParseCarbonBasis reads "market" or "location" (case and a "-based"
// suffix ignored).
func ParseCarbonBasis(s string) (CarbonBasis, error) {
	switch strings.TrimSuffix(strings.ToLower(strings.TrimSpace(s)), "-based") {
	case "market":
		return MarketBased, nil
	case "location":
		return LocationBased, nil
	}
	return 0, fmt.Errorf("%q, want market or location", s)
}

func checkBasis(b CarbonBasis) error {
	if b != MarketBased && b != LocationBased {
		return fmt.Errorf("%v, want market or location", b)
	}
	return nil
}

// fieldID indexes fields; the Eval function reads inputs by it.
type fieldID int

const (
	fCapex fieldID = iota
	fCapexGrowth
	fRevenue
	fRevenueGrowth
	fOperatingMargin
	fTaxRate
	fPower
	fPowerGrowth
	fPUE
	fEnergyPrice
	fDepreciationLife
	fPriorDepreciation
	fDiscountRate
	fRenewableShare
	fRenewableShareChange
	fPPAPrice
	fGridCarbonIntensity
	fGridIntensityChange
	fCarbonPrice
	fCarbonPriceGrowth
	fHeatRecovery
	fHeatPrice
	fRevenuePerCapex
	fRevenuePerCapexChange
	numFields
)

// field describes one distribution field of a Scenario: its file key, its
// input name in the model, its allowed range and what a nil value means.
// The table below is the single place a field is described: Validate,
// Load, WriteYAML, correlations and Model all read it.
type field struct {
	key, input string
	get        func(*Scenario) *distributions.Dist
	lo, hi     float64 // allowed range; ±Inf when open
	loOpen     bool    // lo itself is excluded
	series     bool    // an independent draw each forecast year (a series input)
	comment    string  // one line for WriteYAML

	// proc, when not nil, lets the field be a process instead of a
	// distribution (KEY: ou(…) or gbm(…) in a file): a yearly path, see
	// Scenario.EnergyPriceProcess. autocorr, when not nil, is the lag-1
	// rank autocorrelation of a series field (KEY_autocorrelation).
	proc     func(*Scenario) *processes.Process
	autocorr func(*Scenario) *float64

	// optional: nil is allowed. A nil field either declares a constant
	// input of value def (zeroInput, the fields that had that meaning
	// before the energy fields existed) or declares no input at all, the
	// model then reading def (or, for ppa_price, the energy price).
	optional  bool
	zeroInput bool
	def       float64
	// late fields are declared after the events, so that a scenario that
	// sets them draws every earlier input exactly as one that does not
	// (the energy and emissions fields, added after files existed).
	late bool
}

var fields = [numFields]field{
	fCapex: {key: "capex", input: InCapex, get: func(s *Scenario) *distributions.Dist { return &s.Capex }, lo: 0, hi: inf,
		comment: "capital expenditure in the first forecast year, $B"},
	fCapexGrowth: {key: "capex_growth", input: InCapexGrowth, get: func(s *Scenario) *distributions.Dist { return &s.CapexGrowth }, lo: -1, loOpen: true, hi: inf,
		comment: "capex growth per year after the first, fraction (one draw per trial)"},
	fRevenue: {key: "revenue", input: InRevenue, get: func(s *Scenario) *distributions.Dist { return &s.Revenue }, lo: 0, loOpen: true, hi: inf,
		comment: "revenue in the base year, $B"},
	fRevenueGrowth: {key: "revenue_growth", input: InRevenueGrowth, get: func(s *Scenario) *distributions.Dist { return &s.RevenueGrowth }, lo: -1, loOpen: true, hi: inf, series: true,
		proc:     func(s *Scenario) *processes.Process { return &s.RevenueGrowthProcess },
		autocorr: func(s *Scenario) *float64 { return &s.RevenueGrowthAutocorrelation },
		comment:  "revenue growth per year, fraction (a draw each year; or a process, ou(start, mean, reversion, volatility))"},
	fOperatingMargin: {key: "operating_margin", input: InOperatingMargin, get: func(s *Scenario) *distributions.Dist { return &s.OperatingMargin }, lo: -1, hi: 1,
		comment: "cash operating margin: revenue less cash costs except data-centre energy, before depreciation and tax"},
	fTaxRate: {key: "tax_rate", input: InTaxRate, get: func(s *Scenario) *distributions.Dist { return &s.TaxRate }, lo: 0, hi: 1, optional: true, zeroInput: true,
		comment: "tax on positive operating income, fraction (optional, default 0)"},
	fPower: {key: "power_gw", input: InPower, get: func(s *Scenario) *distributions.Dist { return &s.PowerGW }, lo: 0, hi: inf,
		comment: "data-centre IT power in the first forecast year, GW of average draw"},
	fPowerGrowth: {key: "power_growth", input: InPowerGrowth, get: func(s *Scenario) *distributions.Dist { return &s.PowerGrowth }, lo: -1, loOpen: true, hi: inf,
		comment: "power growth per year, fraction (one draw per trial)"},
	fPUE: {key: "pue", input: InPUE, get: func(s *Scenario) *distributions.Dist { return &s.PUE }, lo: 1, hi: inf,
		comment: "power usage effectiveness: facility energy / IT energy"},
	fEnergyPrice: {key: "energy_price", input: InEnergyPrice, get: func(s *Scenario) *distributions.Dist { return &s.EnergyPrice }, lo: 0, hi: inf,
		proc:    func(s *Scenario) *processes.Process { return &s.EnergyPriceProcess },
		comment: "grid energy price, $/MWh (one draw per trial; or a yearly path, ou(start, mean, reversion, volatility) or gbm(start, drift, volatility))"},
	fDepreciationLife: {key: "depreciation_life", input: InDepreciationLife, get: func(s *Scenario) *distributions.Dist { return &s.DepreciationLife }, lo: 0, loOpen: true, hi: inf,
		comment: "straight-line depreciation life of capex, years"},
	fPriorDepreciation: {key: "prior_depreciation", input: InPriorDepreciation, get: func(s *Scenario) *distributions.Dist { return &s.PriorDepreciation }, lo: 0, hi: inf, optional: true, zeroInput: true,
		comment: "base-year depreciation of earlier capex, $B, running off over the life (optional, default 0)"},
	fDiscountRate: {key: "discount_rate", input: InDiscountRate, get: func(s *Scenario) *distributions.Dist { return &s.DiscountRate }, lo: -1, loOpen: true, hi: inf,
		comment: "discount rate for the npv, fraction per year"},

	fRenewableShare: {key: "renewable_share", input: InRenewableShare, get: func(s *Scenario) *distributions.Dist { return &s.RenewableShare }, lo: 0, hi: 1, optional: true, late: true,
		comment: "share of consumption bought through renewable PPAs in the first forecast year, fraction in [0, 1] (optional, default 0)"},
	fRenewableShareChange: {key: "renewable_share_change", input: InRenewableShareChange, get: func(s *Scenario) *distributions.Dist { return &s.RenewableShareChange }, lo: -1, hi: 1, optional: true, late: true,
		comment: "change of that share per year, fraction points (one draw per trial; the share stays in [0, 1]) (optional, default 0)"},
	fPPAPrice: {key: "ppa_price", input: InPPAPrice, get: func(s *Scenario) *distributions.Dist { return &s.PPAPrice }, lo: 0, hi: inf, optional: true, late: true,
		comment: "price of PPA energy, $/MWh (optional, default: the grid's energy_price)"},
	fGridCarbonIntensity: {key: "grid_carbon_intensity", input: InGridCarbonIntensity, get: func(s *Scenario) *distributions.Dist { return &s.GridCarbonIntensity }, lo: 0, hi: inf, optional: true, late: true,
		comment: "grid emissions in the first forecast year, tCO2/MWh (optional, default 0)"},
	fGridIntensityChange: {key: "grid_intensity_change", input: InGridIntensityChange, get: func(s *Scenario) *distributions.Dist { return &s.GridIntensityChange }, lo: -1, loOpen: true, hi: inf, optional: true, late: true,
		comment: "change of grid intensity per year, fraction, e.g. -0.03 (one draw per trial) (optional, default 0)"},
	fCarbonPrice: {key: "carbon_price", input: InCarbonPrice, get: func(s *Scenario) *distributions.Dist { return &s.CarbonPrice }, lo: 0, hi: inf, optional: true, late: true,
		comment: "price charged per tonne of CO2 in the first forecast year, $/tCO2 (optional, default 0)"},
	fCarbonPriceGrowth: {key: "carbon_price_growth", input: InCarbonPriceGrowth, get: func(s *Scenario) *distributions.Dist { return &s.CarbonPriceGrowth }, lo: -1, loOpen: true, hi: inf, optional: true, late: true,
		comment: "carbon price growth per year, fraction (one draw per trial) (optional, default 0)"},
	fHeatRecovery: {key: "heat_recovery", input: InHeatRecovery, get: func(s *Scenario) *distributions.Dist { return &s.HeatRecovery }, lo: 0, hi: 1, optional: true, late: true,
		comment: "heat sold per unit of energy consumed, MWh/MWh (optional, default 0)"},
	fHeatPrice: {key: "heat_price", input: InHeatPrice, get: func(s *Scenario) *distributions.Dist { return &s.HeatPrice }, lo: 0, hi: inf, optional: true, late: true,
		comment: "price of recovered heat, $/MWh (optional, default 0)"},
	fRevenuePerCapex: {key: "revenue_per_capex", input: InRevenuePerCapex, get: func(s *Scenario) *distributions.Dist { return &s.RevenuePerCapex }, lo: 0, loOpen: true, hi: inf, optional: true, late: true,
		comment: "capacity: revenue a $ of capex in service (within its depreciation life) can serve per year, $/$; revenue is capped at it (optional, default: no cap)"},
	fRevenuePerCapexChange: {key: "revenue_per_capex_change", input: InRevenuePerCapexChange, get: func(s *Scenario) *distributions.Dist { return &s.RevenuePerCapexChange }, lo: -1, loOpen: true, hi: inf, optional: true, late: true,
		comment: "change of revenue_per_capex per year, fraction, e.g. -0.1 as compute per $ of revenue rises (one draw per trial) (optional, default 0)"},
}

var inf = math.Inf(1)

// fieldByKey returns the field with file key k.
func fieldByKey(k string) (*field, bool) {
	for i := range fields {
		if fields[i].key == k {
			return &fields[i], true
		}
	}
	return nil, false
}
