package scenario

import (
	"errors"
	"fmt"
	"strings"

	"github.com/mcforecast/mcforecast/distributions"
)

// DecisionName is the name of the decision that Model declares for a
// scenario with plans (forecast.Model.Decision): its options are the plans'
// names, in order.
const DecisionName = "plan"

// Plan is one option of a decision a scenario compares: a name and the
// distribution fields it overrides. Every plan is evaluated on the same
// draws (common random numbers, see forecast.Model.InputPer); the first
// plan of Scenario.Plans is the baseline.
//
// Set maps a field's file key ("capex", "power_growth", "carbon_price", …)
// to its distribution under the plan; a field the plan does not set keeps
// the scenario's own. Only scalar fields (one draw per trial) may be set:
// series fields (revenue_growth) and events are refused, since a plan that
// changes them would need one mapping per year. An optional field a plan
// sets must be set in the scenario too, the baseline of the other plans.
type Plan struct {
	Name string
	Set  map[string]distributions.Dist
}

// PlanNames returns the names of the plans, in order (nil without plans).
func (s *Scenario) PlanNames() []string {
	var n []string
	for _, p := range s.Plans {
		n = append(n, p.Name)
	}
	return n
}

// checkPlanName checks that n is a usable, new plan name and records it.
func checkPlanName(n string, seen map[string]bool) error {
	if strings.TrimSpace(n) == "" {
		return errors.New("missing or empty")
	}
	if strings.Contains(n, "/") {
		return fmt.Errorf("%q contains \"/\", which separates the options of decisions", n)
	}
	if seen[n] {
		return fmt.Errorf("%q repeats an earlier plan's name", n)
	}
	seen[n] = true
	return nil
}

// planKeys are the keys a plan's mapping may hold: "name" and every field
// (a series field is then refused by checkPlanField, with its reason).
var planKeys = func() []string {
	k := []string{"name"}
	for _, f := range fields {
		k = append(k, f.key)
	}
	return k
}()

// scalarKeys lists the fields a plan may set, for errors.
func scalarKeys() string {
	var k []string
	for _, f := range fields {
		if !f.series {
			k = append(k, f.key)
		}
	}
	return strings.Join(k, ", ")
}

// checkPlanField checks that a plan of s may set field key to d. The error
// does not name the key; callers prefix it.
func (s *Scenario) checkPlanField(key string, d distributions.Dist) error {
	f, ok := fieldByKey(key)
	if !ok {
		return fmt.Errorf("unknown field (a plan may set: %s)", scalarKeys())
	}
	if f.series {
		return fmt.Errorf("%s is a series field (an independent draw each year), which a plan cannot set; set it at the top level, or run the plans as separate scenarios (a plan may set: %s)", key, scalarKeys())
	}
	if d == nil {
		return errors.New("missing")
	}
	if *f.get(s) == nil && !f.zeroInput {
		return fmt.Errorf("set by a plan but not by the scenario: set %s at the top level too (the value of the plans that do not set it)", key)
	}
	return checkRange(d, f.lo, f.hi, f.loOpen)
}

// validatePlans reports the problems of s.Plans, each with its key path
// ("plans[1].capex").
func (s *Scenario) validatePlans(add func(key string, err error)) {
	if len(s.Plans) == 1 {
		add("plans", errors.New("one plan: list two or more, the first being the baseline"))
	}
	seen := map[string]bool{}
	for i, p := range s.Plans {
		path := fmt.Sprintf("plans[%d]", i)
		add(path+".name", checkPlanName(p.Name, seen))
		for _, k := range sortedKeys(p.Set) {
			add(path+"."+k, s.checkPlanField(k, p.Set[k]))
		}
	}
}

// sortedKeys returns the keys of set in the field table's order, then any
// unknown ones in their map order sorted by name.
func sortedKeys(set map[string]distributions.Dist) []string {
	var keys, unknown []string
	for _, f := range fields {
		if _, ok := set[f.key]; ok {
			keys = append(keys, f.key)
		}
	}
	for k := range set {
		if _, ok := fieldByKey(k); !ok {
			unknown = append(unknown, k)
		}
	}
	for i := 1; i < len(unknown); i++ { // insertion sort: a handful of keys
		for j := i; j > 0 && unknown[j] < unknown[j-1]; j-- {
			unknown[j], unknown[j-1] = unknown[j-1], unknown[j]
		}
	}
	return append(keys, unknown...)
}

// overridden reports whether any plan sets the field with key k.
func (s *Scenario) overridden(k string) bool {
	for _, p := range s.Plans {
		if _, ok := p.Set[k]; ok {
			return true
		}
	}
	return false
}

// planDists returns the distribution of field f under each plan: the plan's
// own, or base where it sets none.
func (s *Scenario) planDists(f *field, base distributions.Dist) []distributions.Dist {
	ds := make([]distributions.Dist, len(s.Plans))
	for i, p := range s.Plans {
		ds[i] = base
		if d, ok := p.Set[f.key]; ok {
			ds[i] = d
		}
	}
	return ds
}

// Meta2026Plans returns the built-in scenario (Meta2026) with three capex
// plans for 2026, compared on the same draws: "guided", the company's
// $115–135B guidance (the baseline, Meta2026 itself); "aggressive", a
// $135–160B build-out with faster power growth; and "pause", $70–90B with
// slower growth of power and capex. Only "guided" is sourced; the other two
// are judgement, the alternatives the question implies. Every other field,
// and the plans' shared draws, are Meta2026's.
func Meta2026Plans() *Scenario {
	s := Meta2026()
	s.Name = "Meta 2026 plans"
	s.Plans = []Plan{{
		// Guidance for 2026 capex, $115–135B (Q4 2025 results, 28 January
		// 2026): Meta2026 as it is.
		Name: "guided",
	}, {
		// Judgement: a build-out above the guidance, to $160B (about 20 %
		// above its top), buying power faster: 45 %/yr instead of 35 %
		// (σ unchanged), i.e. about 4.2× the 2026 power by 2030 instead of
		// 3.3×. Capex growth after 2026 as guided.
		Name: "aggressive",
		Set: map[string]distributions.Dist{
			"capex":        distributions.Uniform{Min: 135, Max: 160},
			"power_growth": distributions.Normal{Mu: 0.45, Sigma: 0.12},
		},
	}, {
		// Judgement: a pause at roughly 2024's level of capex (Meta spent
		// about $39B in 2024 and $72B in 2025; $70–90B holds 2026 near 2025),
		// growing 3 %/yr after (σ 5 points) instead of 10 %, with power
		// growing 15 %/yr (σ 8 points) instead of 35 % as fewer sites come
		// online.
		Name: "pause",
		Set: map[string]distributions.Dist{
			"capex":        distributions.Uniform{Min: 70, Max: 90},
			"capex_growth": distributions.Normal{Mu: 0.03, Sigma: 0.05},
			"power_growth": distributions.Normal{Mu: 0.15, Sigma: 0.08},
		},
	}}
	return s
}
