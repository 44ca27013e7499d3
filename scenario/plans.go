package scenario

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/mcforecast/mcforecast/distributions"
	"go.yaml.in/yaml/v3"
)

// DecisionName is the name of the decision that Model declares for a
// scenario with plans (forecast.Model.Decision): its options are the plans'
// names, in order.
const DecisionName = "plan"

// Plan is one option of a decision a scenario compares: a name, the
// distribution fields it overrides and the events it changes. Every plan is
// evaluated on the same draws (common random numbers, see
// forecast.Model.InputPer and SeriesPer); the first plan of Scenario.Plans
// is the baseline.
//
// Set maps a field's file key ("capex", "power_growth", "revenue_growth",
// …) to its distribution under the plan; a field the plan does not set
// keeps the scenario's own. A scalar field is declared as an InputPer (one
// uniform per trial, mapped through each plan's distribution), a series
// field (revenue_growth) as a SeriesPer (one uniform per year). An optional
// field a plan sets must be set in the scenario too, the value of the plans
// that do not set it.
//
// Events changes events of the scenario under the plan, matched by name:
// each gives the event's probability per year under the plan and, when Cost
// is not nil, its cost distribution (nil keeps the scenario's cost). Each
// year's occurrence and cost are drawn once and mapped through every plan's
// Bernoulli and cost distribution, so a plan with a higher probability has
// the event in every year the others have it, and more. Probability 0
// removes an event; to add one under some plans only, list it in the
// scenario's Events with probability 0 and give its probability in those
// plans.
type Plan struct {
	Name   string
	Set    map[string]distributions.Dist
	Events []Event
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

// planKeys are the keys a plan's mapping may hold: "name", every field and
// "events".
var planKeys = func() []string {
	k := []string{"name"}
	for _, f := range fields {
		k = append(k, f.key)
	}
	return append(k, "events")
}()

// planEventKeys are the keys of an event in a plan's events list; cost is
// optional.
var planEventKeys = []string{"name", "probability", "cost"}

// checkPlanField checks that a plan of s may set field key to d. The error
// does not name the key; callers prefix it.
func (s *Scenario) checkPlanField(key string, d distributions.Dist) error {
	f, ok := fieldByKey(key)
	if !ok {
		return fmt.Errorf("unknown field (a plan may set: %s)", strings.Join(planKeys[1:], ", "))
	}
	if d == nil {
		return errors.New("missing")
	}
	if *f.get(s) == nil && !f.zeroInput {
		return fmt.Errorf("set by a plan but not by the scenario: set %s at the top level too (the value of the plans that do not set it)", key)
	}
	return checkRange(d, f.lo, f.hi, f.loOpen)
}

// checkPlanEventName checks that n names an event of s not yet changed by
// the same plan, and records it in seen.
func (s *Scenario) checkPlanEventName(n string, seen map[string]bool) error {
	if strings.TrimSpace(n) == "" {
		return errors.New("missing or empty")
	}
	if seen[n] {
		return fmt.Errorf("%q repeats an event this plan already changes", n)
	}
	seen[n] = true
	if s.event(n) < 0 {
		var names []string
		for _, e := range s.Events {
			names = append(names, fmt.Sprintf("%q", e.Name))
		}
		known := "the scenario has none"
		if len(names) > 0 {
			known = "the scenario's: " + strings.Join(names, ", ")
		}
		return fmt.Errorf("%q is not an event of the scenario (%s); to add an event under some plans only, list it under events with probability 0 and give its probability in those plans", n, known)
	}
	return nil
}

// event returns the index of the scenario's event named n, or −1.
func (s *Scenario) event(n string) int {
	for i, e := range s.Events {
		if e.Name == n {
			return i
		}
	}
	return -1
}

// checkPlanCost checks a plan event's cost; nil (the scenario's) is valid.
func checkPlanCost(d distributions.Dist) error {
	if d == nil {
		return nil
	}
	return checkRange(d, 0, inf, false)
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
		events := map[string]bool{}
		for j, e := range p.Events {
			ep := fmt.Sprintf("%s.events[%d]", path, j)
			add(ep+".name", s.checkPlanEventName(e.Name, events))
			add(ep+".probability", checkProbability(e.Probability))
			add(ep+".cost", checkPlanCost(e.Cost))
		}
	}
}

// sortedKeys returns the keys of set in the field table's order, then any
// unknown ones sorted by name.
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
	slices.Sort(unknown)
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

// planEvent returns the distributions of event e's occurrence and cost
// under each plan, or nil for either when no plan changes it (the model
// then declares it as it would without plans).
func (s *Scenario) planEvent(e Event) (occurs, cost []distributions.Dist) {
	for i, p := range s.Plans {
		for _, pe := range p.Events {
			if pe.Name != e.Name {
				continue
			}
			if occurs == nil {
				occurs = make([]distributions.Dist, len(s.Plans))
			}
			occurs[i] = distributions.Bernoulli{P: pe.Probability}
			if pe.Cost != nil {
				if cost == nil {
					cost = make([]distributions.Dist, len(s.Plans))
				}
				cost[i] = pe.Cost
			}
		}
	}
	for i := range s.Plans { // the plans that leave it have the scenario's
		if occurs != nil && occurs[i] == nil {
			occurs[i] = distributions.Bernoulli{P: e.Probability}
		}
		if cost != nil && cost[i] == nil {
			cost[i] = e.Cost
		}
	}
	return occurs, cost
}

// planEvents decodes the events list of a plan at n (path "plans[i].events"):
// mappings of name, probability and an optional cost, each naming an event
// of s (whose events are read), checked key by key at their lines.
func (d *decoder) planEvents(s *Scenario, n *yaml.Node, path string) []Event {
	var evs []Event
	seen := map[string]bool{}
	for j, node := range d.list(n, path) {
		ep := fmt.Sprintf("%s[%d]", path, j)
		var e Event
		has := map[string]bool{}
		for _, kv := range d.mapping(node, ep, planEventKeys) {
			if d.err != nil {
				return nil
			}
			k, v := kv[0].Value, kv[1]
			kp := ep + "." + k
			has[k] = true
			d.eventKey(&e, k, v, kp, func(name string) error { return s.checkPlanEventName(name, seen) })
		}
		for _, k := range planEventKeys[:2] { // cost may be left out
			if d.err == nil && !has[k] {
				d.failf(node, ep+"."+k, "missing")
			}
		}
		if d.err != nil {
			return nil
		}
		evs = append(evs, e)
	}
	return evs
}

// yamlNode returns plan p as WriteYAML writes it: its name, the fields it
// sets in the table's order, then its events (cost left out where nil).
func (p Plan) yamlNode() *yaml.Node {
	item := &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{yamlScalar("name"), yamlStr(p.Name)}}
	for _, k := range sortedKeys(p.Set) {
		item.Content = append(item.Content, yamlScalar(k), yamlDist(p.Set[k]))
	}
	if len(p.Events) > 0 {
		seq := &yaml.Node{Kind: yaml.SequenceNode}
		for _, e := range p.Events {
			ev := &yaml.Node{Kind: yaml.MappingNode, Style: yaml.FlowStyle, Content: []*yaml.Node{
				yamlScalar("name"), yamlStr(e.Name),
				yamlScalar("probability"), yamlNum(e.Probability),
			}}
			if e.Cost != nil {
				ev.Content = append(ev.Content, yamlScalar("cost"), yamlDist(e.Cost))
			}
			seq.Content = append(seq.Content, ev)
		}
		item.Content = append(item.Content, yamlScalar("events"), seq)
	}
	return item
}

// Meta2026Plans returns the built-in scenario (Meta2026) with three capex
// plans for 2026, compared on the same draws: "guided", the company's
// $115–135B guidance (the baseline); "aggressive", a $135–160B build-out
// with faster power growth; and "pause", $70–90B with slower growth of
// power and capex. Only "guided" is sourced; the other two are judgement,
// the alternatives the question implies.
//
// It links revenue to capex (RevenuePerCapex, RevenuePerCapexChange; a
// judgement, see the comment in the code): without the link capex would buy
// nothing and the cheapest plan would win every trial. Its npv credits the
// book value of the assets in service at the horizon (TerminalBook, also a
// judgement): without it the npv charges capex bought in 2028–2030 in full
// but counts only the earnings that fall before 2031, and the pause wins
// 95 % of trials. Every other field, and the plans' shared draws, are
// Meta2026's.
func Meta2026Plans() *Scenario {
	s := Meta2026()
	s.Name = "Meta 2026 plans"
	// Capacity, judgement: the guided plan is taken to be sized for the
	// demand the company expects, with headroom. Its capex in service
	// (L·D_t at the mean life of 6.3 years: 226, 345, 477, 624 and 788 $B
	// in 2026–2030) against the median demand (241, 290, 347, 417, 501 $B)
	// gives revenue per $ in service of 1.07, 0.84, 0.73, 0.67 and 0.64,
	// fitted by 1.0 · 0.88^(t−1): compute per $ of revenue rising about
	// 12 %/yr, as AI models grow. (The same ratio was 1.91, 1.68 and 1.67
	// in 2023–2025, from revenue of $134.9B, $164.5B and $201B and
	// depreciation of about $11.2B, $15.5B and $19B: the guided plan
	// assumes it falls faster from 2026.) With 25 % headroom, κ₁ has a
	// median of 1.25 (90 % interval 1.1–1.4) and falls 12 %/yr (σ 4
	// points). Then (20 000 trials, seed 1) the guided plan is short of
	// capacity in 8, 2, 5, 14 and 28 % of trials in 2026–2030 and loses
	// $30B of revenue over the five years on average, the aggressive plan
	// in 1, 0, 1, 4 and 12 % ($10B), the pause in 73 to 95 % ($359B).
	s.RevenuePerCapex = distributions.CI90(1.1, 1.4)
	s.RevenuePerCapexChange = distributions.Normal{Mu: -0.12, Sigma: 0.04}
	// Terminal value, judgement: the book value of the assets in service
	// in 2030. The plans differ in capex that earns mostly after the
	// horizon (a server bought in 2030 earns in 2031–2036): without a
	// terminal value the npv charges its full cost and credits one year
	// of its earnings, and the plan that buys least wins however the
	// capacity is set. Book value assumes the assets earn the discount
	// rate on their cost after 2030, neither a windfall nor a loss, and
	// needs no guess beyond the depreciation lives the scenario already
	// has; a growth perpetuity on 2030's free cash flow would instead
	// capitalise a build-out year's capex for ever (penalising the plans
	// that build) and hang on g against a discount rate of 8–10 %.
	// Cumulative free cash flow stays cash only.
	s.TerminalValue = TerminalValue{Kind: TerminalBook}
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
