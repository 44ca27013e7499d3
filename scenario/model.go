package scenario

import (
	"context"
	"errors"

	"github.com/mcforecast/mcforecast/distributions"
	"github.com/mcforecast/mcforecast/forecast"
)

// gwPriceToB converts GW of average draw × $/MWh into $B per year:
// 8 760 h × 1 000 MWh/GWh × 1e-9 $B/$.
const gwPriceToB = 8760 * 1000 * 1e-9

// twhPerGW converts GW of average draw into TWh per year: 8 760 h × 1e-3
// TWh/GWh.
const twhPerGW = 8760 * 1e-3

// perMillionToB converts a quantity in millions (TWh = 1e6 MWh, MtCO₂ =
// 1e6 t) times a price per unit ($/MWh, $/tCO₂) into $B: 1e6 × 1e-9.
const perMillionToB = 1e-3

// eventHandles are the inputs of one event.
type eventHandles struct{ occurs, cost forecast.Input }

// slot is how the Eval function reads one field: an input of the model, or
// (a nil optional field that declares none) a constant.
type slot struct {
	in  forecast.Input
	set bool
	def float64
}

// slots holds one slot per field, indexed by fieldID.
type slots [numFields]slot

// value returns field f's value in trial t (its first year's for a series).
func (s *slots) value(t *forecast.Trial, f fieldID) float64 {
	if s[f].set {
		return t.Value(s[f].in)
	}
	return s[f].def
}

// checkCapacity reports a RevenuePerCapexChange without the RevenuePerCapex
// it changes (it would be ignored).
func (s *Scenario) checkCapacity() error {
	if s.RevenuePerCapexChange != nil && s.RevenuePerCapex == nil {
		return errors.New("set without revenue_per_capex, the capacity it changes: set both, or neither")
	}
	return nil
}

// Model builds the forecast model of the scenario: its inputs (named by the
// In… constants and "NAME occurs"/"NAME cost" per event), its outputs (the
// Out… constants, described by Outputs) and the Eval function that applies
// the equations of the package documentation. It returns the error of
// Validate when the scenario is invalid.
//
// Inputs are declared from the field table in its order: the financial and
// power fields, then the events, then the energy and emissions fields that
// the scenario sets (an unset optional one declares no input), so that
// setting those never changes the draws of the others.
//
// With Plans, it declares the decision DecisionName with the plans' names
// as options, each scalar field a plan sets as an InputPer and each series
// field a plan sets, and each event's occurrence and cost a plan changes,
// as a SeriesPer (the scenario's distribution under the plans that do not
// set it): every plan sees the same draws. A scenario without plans builds
// the model it always did.
//
// The Eval function reads inputs and writes outputs through handles made
// here and allocates nothing per trial; it costs O(Horizon²) operations
// (the depreciation of every earlier year's capex), about 25 multiply-adds
// for a 5-year horizon.
func (s *Scenario) Model() (*forecast.Model, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	h := s.Horizon
	m := forecast.NewModel()
	var (
		in         slots
		events     = make([]eventHandles, len(s.Events))
		handleByIn = map[string]forecast.Input{}
	)
	var plan forecast.Decision
	if len(s.Plans) > 0 {
		plan = m.Decision(DecisionName, s.PlanNames()...)
	}
	declare := func(late bool) {
		for id := range fields {
			f := &fields[id]
			if f.late != late {
				continue
			}
			if p := s.procOf(f); p != nil {
				in[id] = slot{in: m.Process(f.input, p, h), set: true}
				handleByIn[f.input] = in[id].in
				continue
			}
			d := *f.get(s)
			if d == nil {
				if !f.zeroInput {
					in[id] = slot{def: f.def}
					continue
				}
				d = distributions.Constant{Value: f.def}
			}
			switch {
			case f.series && s.overridden(f.key):
				in[id] = slot{in: m.SeriesPer(plan, f.input, h, s.planDists(f, d)...), set: true}
			case f.series:
				in[id] = slot{in: m.Series(f.input, d, h), set: true}
			case s.overridden(f.key):
				in[id] = slot{in: m.InputPer(plan, f.input, s.planDists(f, d)...), set: true}
			default:
				in[id] = slot{in: m.Input(f.input, d), set: true}
			}
			handleByIn[f.input] = in[id].in
		}
	}
	declare(false)
	for i, e := range s.Events {
		occurs, cost := s.planEvent(e)
		if occurs != nil {
			events[i].occurs = m.SeriesPer(plan, e.Name+" occurs", h, occurs...)
		} else {
			events[i].occurs = m.Series(e.Name+" occurs", distributions.Bernoulli{P: e.Probability}, h)
		}
		if cost != nil {
			events[i].cost = m.SeriesPer(plan, e.Name+" cost", h, cost...)
		} else {
			events[i].cost = m.Series(e.Name+" cost", e.Cost, h)
		}
		handleByIn[e.Name+" occurs"] = events[i].occurs
		handleByIn[e.Name+" cost"] = events[i].cost
	}
	declare(true)
	for _, c := range s.Correlations {
		a, _ := s.resolve(c.A) // Validate has checked both names and that they are set
		b, _ := s.resolve(c.B)
		m.Correlate(handleByIn[a], handleByIn[b], c.Rho)
	}
	s.declareRicher(m, &in)

	out := map[string]forecast.Output{}
	for _, o := range outputs { // the terminal value is not one of them: declared below
		if o.Series {
			out[o.Name] = m.OutputSeries(o.Name, h)
		} else {
			out[o.Name] = m.Output(o.Name)
		}
	}
	var (
		oRevenue  = out[OutRevenue]
		oCapex    = out[OutCapex]
		oEnergyC  = out[OutEnergyCost]
		oDep      = out[OutDepreciation]
		oOpInc    = out[OutOperatingIncome]
		oFCF      = out[OutFreeCashFlow]
		oCapexRev = out[OutCapexRevenue]
		oTWh      = out[OutEnergy]
		oLoc      = out[OutLocationEmissions]
		oMkt      = out[OutMarketEmissions]
		oCarbon   = out[OutCarbonCost]
		oPrice    = out[OutEnergyPriceEff]
		oCum      = out[OutCumulativeFCF]
		oNPV      = out[OutNPV]
		oNeg      = out[OutNegativeYears]
		oPayback  = out[OutPayback]
		oTWhSum   = out[OutEnergyTotal]
		oLocSum   = out[OutLocationEmissionsTotal]
		oMktSum   = out[OutMarketEmissionsTotal]
		oCarbSum  = out[OutCarbonCostTotal]
		revenueG  = in[fRevenueGrowth].in
		ppaSet    = in[fPPAPrice].set
		pricePath = s.EnergyPriceProcess != nil // the price is a yearly path
		location  = s.CarbonBasis == LocationBased
		capacity  = in[fRevenuePerCapex].set
	)
	// The terminal value (optional): an output of its own, added to the
	// npv discounted like the last year's flow; see terminal.go.
	tvForm := s.TerminalValue
	terminal := tvForm.Kind != TerminalNone
	var oTerminal forecast.Output
	if terminal {
		oTerminal = m.Output(OutTerminalValue)
	}

	// The closure captures only handles, constants, h and the events slice
	// made above: it allocates nothing per trial.
	m.Eval(func(t *forecast.Trial) {
		demand := in.value(t, fRevenue) // R^d_t: revenue as demand gives it
		g := t.Values(revenueG)
		c1, cg := in.value(t, fCapex), in.value(t, fCapexGrowth)
		mg := in.value(t, fOperatingMargin)
		tau := in.value(t, fTaxRate)
		pw, pg := in.value(t, fPower), in.value(t, fPowerGrowth)
		pue := in.value(t, fPUE)
		var prices []float64 // the price path, when the price is one
		var price float64
		if pricePath {
			prices = t.Values(in[fEnergyPrice].in)
			price = prices[0]
		} else {
			price = in.value(t, fEnergyPrice)
		}
		L := in.value(t, fDepreciationLife)
		d0 := in.value(t, fPriorDepreciation)
		r := in.value(t, fDiscountRate)
		share1, dShare := in.value(t, fRenewableShare), in.value(t, fRenewableShareChange)
		ppa := price
		if ppaSet {
			ppa = in.value(t, fPPAPrice)
		}
		intensity, ik := in.value(t, fGridCarbonIntensity), in.value(t, fGridIntensityChange)
		cp, cpg := in.value(t, fCarbonPrice), in.value(t, fCarbonPriceGrowth)
		heat := in.value(t, fHeatRecovery) * in.value(t, fHeatPrice) // $ per MWh consumed
		kappa, dKappa := in.value(t, fRevenuePerCapex), in.value(t, fRevenuePerCapexChange)

		capexT := c1 // C_t
		powerT := pw // P_t
		disc := 1.0  // (1+r)^t
		cum, npv, neg := 0.0, 0.0, 0.0
		twhSum, locSum, mktSum, carbSum := 0.0, 0.0, 0.0, 0.0
		payback := float64(h + 1) // not within the horizon unless found below
		lastFCF := 0.0            // F_H, for a growth terminal value
		for y := 0; y < h; y++ {
			tt := float64(y + 1)
			if pricePath {
				price = prices[y]
				if !ppaSet {
					ppa = price
				}
			}
			demand *= 1 + g[y]
			share := min(1, max(0, share1+float64(y)*dShare))
			eff := share*ppa + (1-share)*price // = price exactly when share = 0
			energy := powerT * (pue * eff * gwPriceToB)
			twh := powerT * pue * twhPerGW
			loc := twh * intensity // TWh × tCO₂/MWh = MtCO₂
			mkt := (1 - share) * loc
			basis := mkt
			if location {
				basis = loc
			}
			carbon := basis * cp * perMillionToB
			heatRev := twh * heat * perMillionToB

			// Depreciation: prior base running off, plus every vintage so far.
			dep := d0 * max(0, 1-tt/L)
			cv := c1
			for v := 0; v <= y; v++ {
				dep += cv * min(1, max(0, L-float64(y-v))) / L
				cv *= 1 + cg
			}

			// Revenue: demand, capped (when the scenario sets a capacity)
			// at κ_t times the capex in service, L·D_t.
			rev := demand
			if capacity {
				rev = min(demand, kappa*(L*dep))
				kappa *= 1 + dKappa
			}

			opInc := rev*mg - energy - dep - carbon + heatRev
			taxes := tau * max(0, opInc)
			ev := 0.0
			for _, e := range events {
				ev += t.Values(e.occurs)[y] * t.Values(e.cost)[y]
			}
			fcf := rev*mg - energy - taxes - capexT - ev - carbon + heatRev

			t.SetAt(oRevenue, y, rev)
			t.SetAt(oCapex, y, capexT)
			t.SetAt(oEnergyC, y, energy)
			t.SetAt(oDep, y, dep)
			t.SetAt(oOpInc, y, opInc)
			t.SetAt(oFCF, y, fcf)
			t.SetAt(oCapexRev, y, capexT/rev)
			t.SetAt(oTWh, y, twh)
			t.SetAt(oLoc, y, loc)
			t.SetAt(oMkt, y, mkt)
			t.SetAt(oCarbon, y, carbon)
			t.SetAt(oPrice, y, eff)

			cum += fcf
			if cum >= 0 && payback > float64(h) {
				payback = float64(y + 1)
			}
			disc *= 1 + r
			npv += fcf / disc
			lastFCF = fcf
			if fcf < 0 {
				neg++
			}
			twhSum += twh
			locSum += loc
			mktSum += mkt
			carbSum += carbon
			capexT *= 1 + cg
			powerT *= 1 + pg
			intensity *= 1 + ik
			cp *= 1 + cpg
		}
		if terminal {
			tv := tvForm.terminal(lastFCF, r, c1, cg, L, d0, h)
			t.Set(oTerminal, tv)
			npv += tv / disc // disc = (1 + r)^H
		}
		t.Set(oCum, cum)
		t.Set(oNPV, npv)
		t.Set(oNeg, neg)
		t.Set(oPayback, payback)
		t.Set(oTWhSum, twhSum)
		t.Set(oLocSum, locSum)
		t.Set(oMktSum, mktSum)
		t.Set(oCarbSum, carbSum)
	})
	if err := m.Validate(); err != nil {
		return nil, err
	}
	return m, nil
}

// Run builds the model and runs it with opts. The sampling method is
// opts.Method when it is not the zero value (forecast.MonteCarlo), and the
// scenario's Method otherwise; to force Monte Carlo on an LHS scenario, set
// s.Method. s.RepairCorrelations sets opts.RepairCorrelations.
func (s *Scenario) Run(ctx context.Context, opts forecast.Options) (*forecast.Result, error) {
	m, err := s.Model()
	if err != nil {
		return nil, err
	}
	if opts.Method == forecast.MonteCarlo {
		opts.Method = s.Method
	}
	opts.RepairCorrelations = opts.RepairCorrelations || s.RepairCorrelations
	return forecast.Run(ctx, m, opts)
}

// Years returns the calendar years of the forecast, BaseYear+1 …
// BaseYear+Horizon (an empty slice for a horizon below 1).
func (s *Scenario) Years() []int {
	ys := make([]int, 0, max(0, s.Horizon))
	for y := 1; y <= s.Horizon; y++ {
		ys = append(ys, s.BaseYear+y)
	}
	return ys
}
