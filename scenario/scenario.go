package scenario

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/mcforecast/mcforecast/distributions"
	"github.com/mcforecast/mcforecast/forecast"
	"github.com/mcforecast/mcforecast/processes"
)

// MaxHorizon is the longest horizon, in years, a scenario may have.
const MaxHorizon = 100

// Scenario is an investment model as data. Every uncertain quantity is a
// distributions.Dist (a distributions.Constant where it is certain); see the
// package documentation for the units and the equations.
type Scenario struct {
	Name     string // shown in reports; must not be empty
	BaseYear int    // last actual year; forecast years are BaseYear+1 … BaseYear+Horizon
	Horizon  int    // number of forecast years, 1 … MaxHorizon

	// Method is the sampling method Run uses unless its Options ask for
	// another (see Run).
	Method forecast.Method

	Capex       distributions.Dist // first forecast year's capex, $B; ≥ 0
	CapexGrowth distributions.Dist // capex growth per year after the first, fraction; > −1; one draw per trial

	Revenue       distributions.Dist // base-year revenue, $B; > 0
	RevenueGrowth distributions.Dist // revenue growth per year, fraction; > −1; an independent draw each year

	// OperatingMargin is the cash operating margin: revenue less every cash
	// operating cost except data-centre energy, before depreciation and tax,
	// as a fraction of revenue; in [−1, 1].
	OperatingMargin distributions.Dist
	// TaxRate is the tax on positive operating income, fraction in [0, 1];
	// nil means no tax.
	TaxRate distributions.Dist

	PowerGW     distributions.Dist // data-centre IT power in the first forecast year, GW of average draw; ≥ 0
	PowerGrowth distributions.Dist // power growth per year, fraction; > −1; one draw per trial
	PUE         distributions.Dist // power usage effectiveness, facility/IT energy; ≥ 1
	EnergyPrice distributions.Dist // $/MWh; ≥ 0

	DepreciationLife  distributions.Dist // straight-line life of capex, years; > 0
	PriorDepreciation distributions.Dist // base-year depreciation of earlier capex, $B; ≥ 0; nil means 0
	DiscountRate      distributions.Dist // per year, fraction; > −1

	// Energy and emissions (all optional; nil takes the default in
	// brackets, which leaves every other output as it would be without
	// them). See the package documentation for the equations.
	RenewableShare       distributions.Dist // share of consumption bought through renewable PPAs in the first forecast year, fraction in [0, 1] [0]
	RenewableShareChange distributions.Dist // change of that share per year, fraction points in [−1, 1], one draw per trial; the share is clamped to [0, 1] [0]
	PPAPrice             distributions.Dist // price of PPA energy, $/MWh; ≥ 0 [EnergyPrice: PPAs cost what the grid does]
	GridCarbonIntensity  distributions.Dist // grid electricity's emissions in the first forecast year, tCO₂/MWh; ≥ 0 [0]
	GridIntensityChange  distributions.Dist // its change per year, fraction; > −1; one draw per trial [0]
	CarbonPrice          distributions.Dist // price charged per tonne of CO₂ in the first forecast year, $/tCO₂; ≥ 0 [0]
	CarbonPriceGrowth    distributions.Dist // its growth per year, fraction; > −1; one draw per trial [0]
	CarbonBasis          CarbonBasis        // which emissions the carbon price applies to [MarketBased]
	HeatRecovery         distributions.Dist // heat sold per unit of energy consumed, MWh/MWh in [0, 1] [0]
	HeatPrice            distributions.Dist // price of the heat sold, $/MWh; ≥ 0 [0]

	// Capacity (optional; nil leaves revenue uncapped, as without them):
	// revenue is capped at RevenuePerCapex × the capex in service. See the
	// package documentation.
	RevenuePerCapex       distributions.Dist // revenue a $ of capex in service can serve per year in the first forecast year, $/$; > 0 [no cap]
	RevenuePerCapexChange distributions.Dist // its change per year, fraction; > −1; one draw per trial; needs RevenuePerCapex [0]

	// TerminalValue is what the npv credits for the years after the
	// horizon (optional; the zero value credits nothing, as before it
	// existed): the book value of the assets in service, or a growth
	// perpetuity on the last year's free cash flow. See TerminalValue.
	TerminalValue TerminalValue

	Events       []Event       // optional one-off costs
	Correlations []Correlation // optional rank correlations between inputs
	// Plans are the options of a decision compared on the same draws
	// (optional; none, or two or more): the first is the baseline. See Plan.
	Plans []Plan
	// RepairCorrelations uses the nearest valid correlation matrix when
	// Correlations do not fit together (forecast.Options.RepairCorrelations)
	// instead of failing; see CheckCorrelations.
	RepairCorrelations bool

	// Richer uncertainty (optional; the zero values build the model as
	// before, bit for bit). See the package documentation and process.go.
	//
	// RevenueGrowthProcess and EnergyPriceProcess make revenue growth or
	// the grid energy price a yearly path of a process (forecast.Model.Process;
	// year 1 is one step of one year after its start) in place of the
	// distribution field, which must then be nil.
	RevenueGrowthProcess processes.Process
	EnergyPriceProcess   processes.Process
	// RevenueGrowthAutocorrelation is the lag-1 Spearman rank correlation
	// of revenue growth between consecutive years, in (−1, 1)
	// (forecast.Model.Autocorrelate); 0 draws the years independently.
	RevenueGrowthAutocorrelation float64
	// Copula ties the correlated inputs: Gaussian (the zero value) or a
	// Student t copula (forecast.Model.StudentCopula).
	Copula Copula

	file      string         // the file LoadFile read, for errors
	corrLines []int          // line of each correlation in that file, when loaded
	keyLines  map[string]int // line of each top-level key in that file, when loaded
}

// Event is a one-off cost that may happen in any year: each year it occurs
// with probability Probability, independently of other years, and costs a
// fresh draw of Cost.
type Event struct {
	Name        string             // e.g. "acquisition"; unique among events
	Probability float64            // per year, in [0, 1]
	Cost        distributions.Dist // $B; ≥ 0
}

// Correlation asks for a Spearman rank correlation Rho between two inputs,
// named by their file key ("capex_growth") or their input name ("capex
// growth", "acquisition cost"). A scalar input correlated with a series
// input is correlated with each year of it; see forecast.Model.Correlate.
type Correlation struct {
	A, B string
	Rho  float64 // in [−1, 1]
}

// tailP is the probability left outside a range check at each end: a
// distribution passes when its quantiles at tailP and 1 − tailP lie in the
// field's range.
const tailP = 1e-9

// checkDist reports a nil (when required), invalid or out-of-range
// distribution for f. The error does not name the key; callers prefix it.
func (f *field) checkDist(d distributions.Dist) error {
	if d == nil {
		if f.optional {
			return nil
		}
		return errors.New("missing")
	}
	return checkRange(d, f.lo, f.hi, f.loOpen)
}

// checkRange validates d and checks that its values lie in [lo, hi] (or
// (lo, hi] when loOpen) with probability at least 1 − 2·tailP.
func checkRange(d distributions.Dist, lo, hi float64, loOpen bool) error {
	if err := d.Validate(); err != nil {
		return err
	}
	qlo, qhi := d.Quantile(tailP), d.Quantile(1-tailP)
	if _, ok := d.(distributions.Constant); ok || qlo == qhi {
		qlo, qhi = d.Quantile(0.5), d.Quantile(0.5)
	}
	bad := func(q float64) bool {
		if math.IsNaN(q) {
			return true
		}
		if loOpen {
			return !(q > lo) || q > hi
		}
		return !(q >= lo) || q > hi
	}
	if bad(qlo) || bad(qhi) {
		want := rangeText(lo, hi, loOpen)
		if qlo == qhi {
			return fmt.Errorf("%s: value %s out of range, want %s", d, fmtG(qlo), want)
		}
		return fmt.Errorf("%s: values from %s to %s (quantiles %g and 1−%g) reach outside %s; narrow or truncate it", d, fmtG(qlo), fmtG(qhi), tailP, tailP, want)
	}
	return nil
}

func rangeText(lo, hi float64, loOpen bool) string {
	op := "≥"
	if loOpen {
		op = ">"
	}
	if math.IsInf(hi, 1) {
		return fmt.Sprintf("%s %s", op, fmtG(lo))
	}
	l := "["
	if loOpen {
		l = "("
	}
	return fmt.Sprintf("a value in %s%s, %s]", l, fmtG(lo), fmtG(hi))
}

func fmtG(x float64) string { return fmt.Sprintf("%.4g", x) }

// Validate reports every problem of the scenario, each naming the field (by
// its file key, e.g. "capex" or "events[0].cost") and the reason, joined
// with errors.Join; nil when Model can build it. It checks the name, the
// horizon (1 … MaxHorizon), every distribution and its range, the events
// and the correlations (known input names, |rho| ≤ 1). Whether the
// correlations are jointly consistent (a positive semi-definite matrix) is
// checked when the model runs.
func (s *Scenario) Validate() error {
	if s == nil {
		return errors.New("scenario: nil scenario")
	}
	var errs []error
	add := func(key string, err error) {
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", key, err))
		}
	}
	add("name", checkName(s.Name))
	add("base_year", checkBaseYear(s.BaseYear))
	add("horizon", checkHorizon(s.Horizon))
	add("method", checkMethod(s.Method))
	for i := range fields {
		f := &fields[i]
		add(f.key, s.checkField(f))
	}
	add("carbon_basis", checkBasis(s.CarbonBasis))
	add("revenue_per_capex_change", s.checkCapacity())
	s.validateRicher(add)
	add("terminal_value", s.checkTerminal())
	seen := map[string]bool{}
	for i, e := range s.Events {
		p := fmt.Sprintf("events[%d]", i)
		add(p+".name", checkEventName(e.Name, seen))
		add(p+".probability", checkProbability(e.Probability))
		if e.Cost == nil {
			add(p+".cost", errors.New("missing"))
		} else {
			add(p+".cost", checkRange(e.Cost, 0, inf, false))
		}
	}
	pairs := map[[2]string]int{}
	for i, c := range s.Correlations {
		p := fmt.Sprintf("correlations[%d]", i)
		a, errA := s.resolve(c.A)
		add(p+".a", errA)
		b, errB := s.resolve(c.B)
		add(p+".b", errB)
		if errA == nil && errB == nil && a == b {
			add(p, fmt.Errorf("correlates %q with itself", a))
		}
		if errA == nil && errB == nil {
			if j, ok := pairs[pairKey(a, b)]; ok {
				add(p, fmt.Errorf("repeats the pair %s–%s of correlations[%d]", c.A, c.B, j))
			}
			pairs[pairKey(a, b)] = i
		}
		add(p+".rho", checkRho(c.Rho))
	}
	s.validatePlans(add)
	return errors.Join(errs...)
}

// pairKey is the unordered pair of input names a, b.
func pairKey(a, b string) [2]string {
	if a > b {
		a, b = b, a
	}
	return [2]string{a, b}
}

func checkName(n string) error {
	if strings.TrimSpace(n) == "" {
		return errors.New("missing or empty")
	}
	return nil
}

// MinBaseYear and MaxBaseYear bound Scenario.BaseYear, so that every
// forecast year prints as four digits.
const (
	MinBaseYear = 1900
	MaxBaseYear = 9999 - MaxHorizon
)

func checkBaseYear(y int) error {
	if y < MinBaseYear || y > MaxBaseYear {
		return fmt.Errorf("%d, want a year from %d to %d", y, MinBaseYear, MaxBaseYear)
	}
	return nil
}

func checkHorizon(h int) error {
	if h < 1 || h > MaxHorizon {
		return fmt.Errorf("%d years, want 1 to %d", h, MaxHorizon)
	}
	return nil
}

func checkMethod(m forecast.Method) error {
	if m != forecast.MonteCarlo && m != forecast.LatinHypercube && m != forecast.QuasiMonteCarlo {
		return fmt.Errorf("unknown method %v, want montecarlo, lhs or qmc", m)
	}
	return nil
}

func checkProbability(p float64) error {
	if !(p >= 0 && p <= 1) {
		return fmt.Errorf("%v, want a value in [0, 1]", p)
	}
	return nil
}

func checkRho(r float64) error {
	if !(r >= -1 && r <= 1) {
		return fmt.Errorf("%v, want a value in [-1, 1]", r)
	}
	return nil
}

// checkEventName checks that n is a usable, new event name and records it
// in seen.
func checkEventName(n string, seen map[string]bool) error {
	if strings.TrimSpace(n) == "" {
		return errors.New("missing or empty")
	}
	if seen[n] {
		return fmt.Errorf("%q repeats an earlier event's name", n)
	}
	for _, f := range fields {
		if n+" occurs" == f.input || n+" cost" == f.input {
			return fmt.Errorf("%q clashes with input %q", n, f.input)
		}
	}
	seen[n] = true
	return nil
}

// resolve returns the model input name that ref designates: a file key
// (capex_growth), an input name (capex growth), or an event's "NAME occurs"
// or "NAME cost". Underscores and spaces are interchangeable and case is
// ignored.
func (s *Scenario) resolve(ref string) (string, error) {
	norm := func(x string) string { return strings.ToLower(strings.ReplaceAll(strings.TrimSpace(x), "_", " ")) }
	r := norm(ref)
	if r == "" {
		return "", errors.New("missing input name")
	}
	var known []string
	for _, f := range fields {
		if r == norm(f.key) || r == norm(f.input) {
			if !s.fieldSet(&f) {
				return "", fmt.Errorf("input %q is not set in this scenario", f.key)
			}
			return f.input, nil
		}
		known = append(known, f.key)
	}
	for _, e := range s.Events {
		for _, in := range []string{e.Name + " occurs", e.Name + " cost"} {
			if r == norm(in) {
				return in, nil
			}
			known = append(known, in)
		}
	}
	return "", fmt.Errorf("unknown input %q (inputs: %s)", ref, strings.Join(known, ", "))
}
