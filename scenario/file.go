package scenario

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/mcforecast/mcforecast/distributions"
	"github.com/mcforecast/mcforecast/forecast"
	"go.yaml.in/yaml/v3"
)

// MaxFileSize is the largest scenario file Load reads, in bytes (1 MiB).
const MaxFileSize = 1 << 20

// FileError is an error in a scenario file: where it is (file, line, key
// path) and what is wrong. Its message reads
// "scenario.yaml:7: capex: uniform: min 135 > max 115" ("line 7: …" when the
// file has no name). Unwrap returns the cause, so errors.Is(err,
// distributions.ErrInvalidParameter) holds for an invalid distribution.
type FileError struct {
	File string // file name, "" for Load
	Line int    // 1-based line, 0 when unknown
	Path string // key path, e.g. "capex" or "events[1].cost"; "" for the whole file
	Err  error
}

// Error implements the error interface.
func (e *FileError) Error() string {
	var b strings.Builder
	switch {
	case e.File != "" && e.Line > 0:
		fmt.Fprintf(&b, "%s:%d: ", e.File, e.Line)
	case e.File != "":
		b.WriteString(e.File + ": ")
	case e.Line > 0:
		fmt.Fprintf(&b, "line %d: ", e.Line)
	}
	if e.Path != "" {
		b.WriteString(e.Path + ": ")
	}
	b.WriteString(e.Err.Error())
	return b.String()
}

// Unwrap returns the cause.
func (e *FileError) Unwrap() error { return e.Err }

// LoadFile reads a scenario from the YAML or JSON file at path; errors name
// the file, the line and the key (see Load).
func LoadFile(path string) (*Scenario, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	s, err := Load(f)
	if err != nil {
		var fe *FileError
		if errors.As(err, &fe) {
			fe.File = path
		}
		return nil, err
	}
	s.file = path
	return s, nil
}

// Load reads a scenario from YAML or JSON (JSON is YAML). The document is a
// mapping with the keys written by WriteYAML: name, base_year, horizon,
// method, one key per distribution field (capex, capex_growth, revenue,
// revenue_growth, operating_margin, tax_rate, power_gw, power_growth, pue,
// energy_price, depreciation_life, prior_depreciation, discount_rate, and
// the optional energy and emissions fields), revenue_growth_autocorrelation
// and copula (see the package documentation), events (a list of {name,
// probability, cost}), correlations (a list of {a, b, rho}), plans (a list
// of {name, the fields the plan sets, and events: a list of {name,
// probability, cost} changing the scenario's events by name, cost
// optional}, see Plan; read after the fields and events, which a plan's are
// checked against), and the optional carbon_basis, repair_correlations and
// terminal_value (none, book or growth(g), see TerminalValue; shared by the
// plans). Distributions are written in distributions.Parse syntax
// ("uniform(115, 135)", "115 to 135", a plain number for a constant);
// energy_price and revenue_growth may instead be a process in
// processes.Parse syntax ("ou(start=81, mean=81, reversion=0.5,
// volatility=10)"), recognised by its name and parenthesis.
//
// Load is strict: unknown or repeated keys, missing required keys, syntax
// errors, invalid distributions, values out of a field's range, horizons
// outside 1 … MaxHorizon and files over MaxFileSize are errors. The first
// error is returned as a *FileError naming the line and key path. Load
// returns either a valid scenario or an error, never both, and never
// panics. Cost: linear in the file's size.
func Load(r io.Reader) (*Scenario, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxFileSize {
		return nil, &FileError{Err: fmt.Errorf("file larger than %d bytes (1 MiB), refused", MaxFileSize)}
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil && err != io.EOF {
		return nil, &FileError{Err: fmt.Errorf("not valid YAML or JSON: %v", strings.TrimPrefix(err.Error(), "yaml: "))}
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return nil, &FileError{Err: errors.New("empty file: want a mapping of scenario keys")}
	}
	var second yaml.Node
	if err := dec.Decode(&second); err != io.EOF {
		line := second.Line
		if err != nil {
			line = 0
		}
		return nil, &FileError{Line: line, Err: errors.New("a second YAML document (after ---): a scenario file holds one")}
	}
	d := &decoder{}
	s := d.scenario(doc.Content[0])
	if d.err != nil {
		return nil, d.err
	}
	// Everything was checked key by key; this catches what a future field
	// might miss, without a line.
	if err := s.Validate(); err != nil {
		return nil, &FileError{Err: err}
	}
	return s, nil
}

// decoder walks a yaml.Node tree and keeps the first error.
type decoder struct{ err error }

func (d *decoder) fail(n *yaml.Node, path string, err error) {
	if d.err == nil {
		line := 0
		if n != nil {
			line = n.Line
		}
		d.err = &FileError{Line: line, Path: path, Err: err}
	}
}

func (d *decoder) failf(n *yaml.Node, path, format string, args ...any) {
	d.fail(n, path, fmt.Errorf(format, args...))
}

// mapping returns the key/value pairs of mapping node n, reporting a
// non-mapping, aliases, repeated keys and keys not in allowed.
func (d *decoder) mapping(n *yaml.Node, path string, allowed []string) [][2]*yaml.Node {
	if n.Kind == yaml.AliasNode {
		d.failf(n, path, "aliases are not supported")
		return nil
	}
	if n.Kind != yaml.MappingNode {
		what := "the document"
		if path != "" {
			what = path
		}
		d.failf(n, path, "%s must be a mapping of keys, got %s", what, kindName(n))
		return nil
	}
	var pairs [][2]*yaml.Node
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		kp := joinPath(path, k.Value)
		if k.Kind != yaml.ScalarNode {
			d.failf(k, path, "keys must be plain names, got %s", kindName(k))
			return nil
		}
		if !contains(allowed, k.Value) {
			d.failf(k, kp, "unknown key (known keys: %s)", strings.Join(allowed, ", "))
			return nil
		}
		if l, ok := seen[k.Value]; ok {
			d.failf(k, kp, "repeated key (first at line %d)", l)
			return nil
		}
		seen[k.Value] = k.Line
		pairs = append(pairs, [2]*yaml.Node{k, v})
	}
	return pairs
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	case yaml.ScalarNode:
		return fmt.Sprintf("%q", n.Value)
	}
	return "nothing"
}

// scalar returns the text of scalar node n, reporting anything else.
func (d *decoder) scalar(n *yaml.Node, path string) (string, bool) {
	if n.Kind != yaml.ScalarNode {
		d.failf(n, path, "want a single value, got %s", kindName(n))
		return "", false
	}
	return n.Value, true
}

func (d *decoder) str(n *yaml.Node, path string) string {
	v, _ := d.scalar(n, path)
	return v
}

func (d *decoder) integer(n *yaml.Node, path string) int {
	v, ok := d.scalar(n, path)
	if !ok {
		return 0
	}
	i, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil {
		d.failf(n, path, "want a whole number, got %q", v)
	}
	return i
}

func (d *decoder) boolean(n *yaml.Node, path string) bool {
	v, ok := d.scalar(n, path)
	if !ok {
		return false
	}
	b, err := strconv.ParseBool(strings.TrimSpace(v))
	if err != nil {
		d.failf(n, path, "want true or false, got %q", v)
	}
	return b
}

func (d *decoder) float(n *yaml.Node, path string) float64 {
	v, ok := d.scalar(n, path)
	if !ok {
		return 0
	}
	x, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if err != nil {
		d.failf(n, path, "want a number, got %q", v)
	}
	return x
}

func (d *decoder) dist(n *yaml.Node, path string) distributions.Dist {
	v, ok := d.scalar(n, path)
	if !ok {
		return nil
	}
	dist, err := distributions.Parse(v)
	if err != nil {
		// Report a bad parameter as the distribution states it
		// ("uniform: min 135 > max 115"), a syntax error with its position.
		var pe *distributions.ParamError
		if errors.As(err, &pe) {
			err = pe
		} else if lo, hi, ok := dashedRange(v); ok {
			err = fmt.Errorf("%w; for a 90 %% interval write %q, for a uniform band %q", err, lo+" to "+hi, "uniform("+lo+", "+hi+")")
		}
		d.fail(n, path, err)
		return nil
	}
	return dist
}

// dashedRange recognises "115-135" (two numbers joined by a dash, which
// Parse does not read) and returns them, for a hint.
func dashedRange(v string) (lo, hi string, ok bool) {
	v = strings.TrimSpace(v)
	for i := 1; i < len(v); i++ {
		if v[i] != '-' {
			continue
		}
		a, b := strings.TrimSpace(v[:i]), strings.TrimSpace(v[i+1:])
		_, errA := strconv.ParseFloat(a, 64)
		_, errB := strconv.ParseFloat(b, 64)
		if errA == nil && errB == nil && !strings.HasSuffix(a, "e") && !strings.HasSuffix(a, "E") {
			return a, b, true
		}
	}
	return "", "", false
}

var topKeys = func() []string {
	k := []string{"name", "base_year", "horizon", "method"}
	for _, f := range fields {
		k = append(k, f.key)
		if f.autocorr != nil {
			k = append(k, autocorrKey(&f))
		}
	}
	return append(k, "carbon_basis", "copula", "events", "correlations", "repair_correlations", "plans", "terminal_value")
}()

func (d *decoder) scenario(n *yaml.Node) *Scenario {
	s := &Scenario{}
	var plansNode *yaml.Node // read last: a plan's fields are checked against the scenario's
	var tvNode *yaml.Node    // checked after the plans, against every discount rate
	pairs := d.mapping(n, "", topKeys)
	set := map[string]bool{}
	s.keyLines = map[string]int{}
	for _, p := range pairs {
		if d.err != nil {
			return nil
		}
		k, v := p[0], p[1]
		key := k.Value
		set[key] = true
		s.keyLines[key] = v.Line
		if d.richerKey(s, key, v) {
			continue
		}
		switch key {
		case "name":
			s.Name = d.str(v, key)
			if d.err == nil {
				d.check(v, key, checkName(s.Name))
			}
		case "base_year":
			s.BaseYear = d.integer(v, key)
			if d.err == nil {
				d.check(v, key, checkBaseYear(s.BaseYear))
			}
		case "horizon":
			s.Horizon = d.integer(v, key)
			if d.err == nil {
				d.check(v, key, checkHorizon(s.Horizon))
			}
		case "method":
			m, err := forecast.ParseMethod(strings.ToLower(d.str(v, key)))
			if d.err == nil && err != nil {
				d.check(v, key, fmt.Errorf("%q, want montecarlo, lhs or qmc", v.Value))
			}
			s.Method = m
		case "carbon_basis":
			b, err := ParseCarbonBasis(d.str(v, key))
			if d.err == nil {
				d.check(v, key, err)
			}
			s.CarbonBasis = b
		case "repair_correlations":
			s.RepairCorrelations = d.boolean(v, key)
		case "terminal_value":
			tv, err := ParseTerminalValue(d.str(v, key))
			if d.err == nil {
				d.check(v, key, err)
			}
			s.TerminalValue, tvNode = tv, v
		case "events":
			s.Events = d.events(v)
		case "plans":
			plansNode = v
		case "correlations":
			s.Correlations = d.correlations(v)
			for _, item := range v.Content {
				s.corrLines = append(s.corrLines, item.Line)
			}
		default:
			f, _ := fieldByKey(key)
			if d.processField(s, f, v) {
				continue
			}
			dist := d.dist(v, key)
			if d.err == nil {
				d.check(v, key, f.checkDist(dist))
			}
			*f.get(s) = dist
		}
	}
	if d.err != nil {
		return nil
	}
	for _, key := range append([]string{"name", "base_year", "horizon"}, requiredKeys()...) {
		if !set[key] {
			d.failf(n, key, "missing")
			return nil
		}
	}
	// What depends on other keys (the horizon, a process), now all read.
	d.checkRicher(s, n)
	if d.err != nil {
		return nil
	}
	if plansNode != nil {
		s.Plans = d.plans(s, plansNode)
		if d.err != nil {
			return nil
		}
	}
	if tvNode != nil {
		d.check(tvNode, "terminal_value", s.checkTerminal())
	}
	seenPair := map[[2]string]int{} // resolved pair → its line
	for i, c := range s.Correlations {
		p := fmt.Sprintf("correlations[%d]", i)
		node := n
		if cn := findKey(n, "correlations"); cn != nil && i < len(cn.Content) {
			node = cn.Content[i]
		}
		a, err := s.resolve(c.A)
		d.check(node, p+".a", err)
		b, err := s.resolve(c.B)
		d.check(node, p+".b", err)
		if d.err == nil && a == b {
			d.failf(node, p, "correlates %q with itself", a)
		}
		if d.err == nil {
			if l, ok := seenPair[pairKey(a, b)]; ok {
				d.failf(node, p, "repeats the pair %s–%s of line %d", c.A, c.B, l)
			}
			seenPair[pairKey(a, b)] = node.Line
		}
	}
	if d.err != nil {
		return nil
	}
	return s
}

// check records err (if not nil) at node n.
func (d *decoder) check(n *yaml.Node, path string, err error) {
	if err != nil {
		d.fail(n, path, err)
	}
}

func requiredKeys() []string {
	var k []string
	for _, f := range fields {
		if !f.optional {
			k = append(k, f.key)
		}
	}
	return k
}

// findKey returns the value node of key in mapping n, or nil.
func findKey(n *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

func (d *decoder) list(n *yaml.Node, path string) []*yaml.Node {
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		d.failf(n, path, "want a list, got %s", kindName(n))
		return nil
	}
	return n.Content
}

func (d *decoder) events(n *yaml.Node) []Event {
	var evs []Event
	seen := map[string]bool{}
	d.records(n, "events", []string{"name", "probability", "cost"}, func() func(k string, v *yaml.Node, kp string) {
		evs = append(evs, Event{})
		e := &evs[len(evs)-1]
		return func(k string, v *yaml.Node, kp string) {
			d.eventKey(e, k, v, kp, func(name string) error { return checkEventName(name, seen) })
		}
	})
	if d.err != nil {
		return nil
	}
	return evs
}

// eventKey decodes key k (at path kp) of an event's mapping into e, checking
// the name with checkName (the scenario's events and a plan's have different
// rules) and the probability and cost as every event's.
func (d *decoder) eventKey(e *Event, k string, v *yaml.Node, kp string, checkName func(string) error) {
	switch k {
	case "name":
		e.Name = d.str(v, kp)
		if d.err == nil {
			d.check(v, kp, checkName(e.Name))
		}
	case "probability":
		e.Probability = d.float(v, kp)
		if d.err == nil {
			d.check(v, kp, checkProbability(e.Probability))
		}
	case "cost":
		e.Cost = d.dist(v, kp)
		if d.err == nil {
			d.check(v, kp, checkRange(e.Cost, 0, inf, false))
		}
	}
}

func (d *decoder) correlations(n *yaml.Node) []Correlation {
	var cs []Correlation
	d.records(n, "correlations", []string{"a", "b", "rho"}, func() func(k string, v *yaml.Node, kp string) {
		cs = append(cs, Correlation{})
		c := &cs[len(cs)-1]
		return func(k string, v *yaml.Node, kp string) {
			switch k {
			case "a":
				c.A = d.str(v, kp)
			case "b":
				c.B = d.str(v, kp)
			case "rho":
				c.Rho = d.float(v, kp)
				if d.err == nil {
					d.check(v, kp, checkRho(c.Rho))
				}
			}
		}
	})
	if d.err != nil {
		return nil
	}
	return cs
}

// plans decodes the list of plans at n: each a mapping of name, the fields
// it sets and the events it changes (see Plan), checked against s (whose
// fields and events are read).
func (d *decoder) plans(s *Scenario, n *yaml.Node) []Plan {
	var ps []Plan
	seen := map[string]bool{}
	items := d.list(n, "plans")
	if d.err == nil && len(items) == 1 {
		d.failf(n, "plans", "one plan: list two or more, the first being the baseline")
		return nil
	}
	for i, node := range items {
		path := fmt.Sprintf("plans[%d]", i)
		p := Plan{Set: map[string]distributions.Dist{}}
		hasName := false
		for _, kv := range d.mapping(node, path, planKeys) {
			if d.err != nil {
				return nil
			}
			k, v := kv[0].Value, kv[1]
			kp := path + "." + k
			if k == "name" {
				p.Name, hasName = d.str(v, kp), true
				if d.err == nil {
					d.check(v, kp, checkPlanName(p.Name, seen))
				}
				continue
			}
			if k == "events" {
				p.Events = d.planEvents(s, v, kp)
				continue
			}
			if f, ok := fieldByKey(k); ok && s.procOf(f) != nil {
				d.fail(v, kp, planProcessError(f))
				return nil
			}
			if v.Kind == yaml.ScalarNode && looksLikeProcess(v.Value) {
				d.failf(v, kp, "a plan cannot set a process; a plan sets distributions")
				return nil
			}
			dist := d.dist(v, kp)
			if d.err == nil {
				d.check(v, kp, s.checkPlanField(k, dist))
			}
			p.Set[k] = dist
		}
		if d.err == nil && !hasName {
			d.failf(node, path+".name", "missing")
		}
		if d.err != nil {
			return nil
		}
		if len(p.Set) == 0 {
			p.Set = nil // as written: a plan that sets nothing
		}
		ps = append(ps, p)
	}
	return ps
}

// records decodes the list at n (path "name") of mappings that must each
// have exactly the given keys: for each item, item() starts a record and
// returns the function that sets one key of it (kp is the key's path,
// "name[i].key"). Unknown,
// repeated and missing keys are errors at the item's line. It stops at the
// first error (d.err).
func (d *decoder) records(n *yaml.Node, name string, keys []string, item func() func(k string, v *yaml.Node, kp string)) {
	for i, node := range d.list(n, name) {
		p := fmt.Sprintf("%s[%d]", name, i)
		set := item()
		has := map[string]bool{}
		for _, kv := range d.mapping(node, p, keys) {
			if d.err != nil {
				return
			}
			k := kv[0].Value
			has[k] = true
			set(k, kv[1], p+"."+k)
		}
		for _, k := range keys {
			if d.err == nil && !has[k] {
				d.failf(node, p+"."+k, "missing")
			}
		}
		if d.err != nil {
			return
		}
	}
}

// yamlScalar is a plain scalar node: the emitter quotes v only where it
// would otherwise read differently.
func yamlScalar(v string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Value: v} }

// yamlStr is a string node: v reads back as a string even where it looks
// like a number or a boolean.
func yamlStr(v string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: v} }

// yamlDist is d as a plain scalar (so numbers stay numbers), or a null node
// for a nil d.
func yamlDist(d distributions.Dist) *yaml.Node {
	if d == nil {
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: ""}
	}
	return yamlScalar(d.String())
}

// yamlNum is x in the shortest form that reads back exactly.
func yamlNum(x float64) *yaml.Node { return yamlScalar(strconv.FormatFloat(x, 'g', -1, 64)) }

// WriteYAML writes the scenario as a YAML file that Load reads back into an
// equal scenario: every key with a comment giving its meaning and units,
// distributions in their String form. Optional fields that are nil are left
// out. It writes even an invalid scenario (a nil required distribution
// becomes an empty value, which Load rejects).
func (s *Scenario) WriteYAML(w io.Writer) error {
	root := &yaml.Node{Kind: yaml.MappingNode}
	add := func(key, comment string, v *yaml.Node) {
		k := &yaml.Node{Kind: yaml.ScalarNode, Value: key, HeadComment: comment}
		root.Content = append(root.Content, k, v)
	}

	add("name", "mcforecast scenario (YAML; JSON is read too). Run it: mcforecast -scenario FILE", yamlStr(s.Name))
	add("base_year", "last actual year; the forecast covers base_year+1 … base_year+horizon", yamlScalar(strconv.Itoa(s.BaseYear)))
	add("horizon", "forecast years, 1 to "+strconv.Itoa(MaxHorizon), yamlScalar(strconv.Itoa(s.Horizon)))
	add("method", "sampling: montecarlo, lhs (Latin hypercube) or qmc (Sobol')", yamlScalar(s.Method.String()))
	if s.Copula != (Copula{}) {
		add("copula", "copula tying the correlated inputs: gaussian, or t(NU) for a Student t copula with NU > 2\n"+
			"degrees of freedom (same marginals and rank correlations, more frequent joint extremes)", yamlScalar(s.Copula.String()))
	}
	if s.RepairCorrelations {
		add("repair_correlations", "use the nearest valid correlation matrix when the correlations below do not fit together", yamlScalar("true"))
	}
	for i := range fields {
		f := &fields[i]
		d := *f.get(s)
		p := s.procOf(f)
		if d == nil && p == nil && f.optional {
			continue
		}
		c := f.comment
		if i == 0 {
			c = "Distributions use distributions.Parse syntax: uniform(115, 135), 115 to 135 (90 % interval),\n" +
				"pert(min, mode, max), normal(mu, sigma), truncated(normal(0.2, 0.1), 0, 1), or a plain number.\n" +
				"Money in $B per year, power in GW, prices in $/MWh, rates as fractions (0.2 = 20 %).\n\n" + c
		}
		v := yamlDist(d)
		if p != nil && d == nil {
			v = yamlScalar(p.String())
		}
		add(f.key, c, v)
		if f.autocorr != nil && *f.autocorr(s) != 0 {
			add(autocorrKey(f), "rank correlation of "+f.key+" between consecutive years, in (-1, 1); 0: independent years", yamlNum(*f.autocorr(s)))
		}
	}
	if s.CarbonPrice != nil || s.CarbonBasis != MarketBased {
		add("carbon_basis", "emissions the carbon price applies to: market (after renewable contracts) or location (the grid's, all energy)", yamlScalar(s.CarbonBasis.String()))
	}
	if s.TerminalValue != (TerminalValue{}) {
		add("terminal_value", "what the npv credits after the horizon: none, book (the undepreciated cost of the assets in service)\n"+
			"or growth(g) (the last year's free cash flow growing at g for ever; g below every discount rate)", yamlScalar(s.TerminalValue.String()))
	}
	if len(s.Events) > 0 {
		seq := &yaml.Node{Kind: yaml.SequenceNode}
		for _, e := range s.Events {
			seq.Content = append(seq.Content, &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{
				yamlScalar("name"), yamlStr(e.Name),
				yamlScalar("probability"), yamlNum(e.Probability),
				yamlScalar("cost"), yamlDist(e.Cost),
			}})
		}
		add("events", "one-off costs: each year, with the given probability, a draw of cost ($B)", seq)
	}
	if len(s.Correlations) > 0 {
		seq := &yaml.Node{Kind: yaml.SequenceNode}
		for _, c := range s.Correlations {
			seq.Content = append(seq.Content, &yaml.Node{Kind: yaml.MappingNode, Style: yaml.FlowStyle, Content: []*yaml.Node{
				yamlScalar("a"), yamlStr(c.A),
				yamlScalar("b"), yamlStr(c.B),
				yamlScalar("rho"), yamlNum(c.Rho),
			}})
		}
		add("correlations", "Spearman rank correlations between inputs (file keys, or \"NAME cost\"/\"NAME occurs\" of an event)", seq)
	}
	if len(s.Plans) > 0 {
		seq := &yaml.Node{Kind: yaml.SequenceNode}
		for _, p := range s.Plans {
			seq.Content = append(seq.Content, p.yamlNode())
		}
		add("plans", "options compared on the same draws, the first being the baseline: a name, the fields it sets and\n"+
			"the events it changes ({name, probability, cost}, by name; cost optional; probability 0 removes one);\n"+
			"the rest keep the values above. mcforecast compares them: P(best), differences, EVPI, EVPPI", seq)
	}

	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	doc := &yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{root}}
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("scenario: write YAML: %w", err)
	}
	if err := enc.Close(); err != nil {
		return fmt.Errorf("scenario: write YAML: %w", err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}
