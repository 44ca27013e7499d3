package scenario

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/mcforecast/mcforecast/forecast"
	"github.com/mcforecast/mcforecast/processes"
	"go.yaml.in/yaml/v3"
)

// Copula is the dependence structure that ties a scenario's correlated
// inputs together (its correlations and autocorrelations). The zero value
// is the Gaussian copula; Nu > 2 asks for a Student t copula with Nu
// degrees of freedom (forecast.Model.StudentCopula), which keeps every
// marginal and every requested Spearman coefficient but makes joint
// extremes more frequent (tail dependence).
type Copula struct {
	Nu float64 // degrees of freedom of the Student t copula; 0 for the Gaussian copula
}

// String returns the file's spelling: "gaussian" or "t(NU)", e.g. "t(4)".
func (c Copula) String() string {
	if c.Nu == 0 {
		return "gaussian"
	}
	return "t(" + strconv.FormatFloat(c.Nu, 'g', -1, 64) + ")"
}

// Student reports whether c is a Student t copula.
func (c Copula) Student() bool { return c.Nu != 0 }

// copulaForms is the expected form, for errors.
const copulaForms = "want gaussian, t(NU) or student(NU) with NU > 2 degrees of freedom, e.g. t(4)"

// ParseCopula reads "gaussian" (or "normal"), "t(NU)" or "student(NU)"
// (case and spaces ignored), NU being the degrees of freedom, a finite
// number > 2. ParseCopula(c.String()) returns c for every valid c.
func ParseCopula(s string) (Copula, error) {
	t := strings.ToLower(strings.Join(strings.Fields(s), ""))
	switch t {
	case "gaussian", "normal":
		return Copula{}, nil
	}
	for _, name := range []string{"t(", "student(", "studentt("} {
		if !strings.HasPrefix(t, name) || !strings.HasSuffix(t, ")") {
			continue
		}
		arg := strings.TrimPrefix(t[len(name):len(t)-1], "nu=")
		nu, err := strconv.ParseFloat(arg, 64)
		if err != nil {
			return Copula{}, fmt.Errorf("%q: degrees of freedom %q are not a number; %s", s, arg, copulaForms)
		}
		c := Copula{Nu: nu}
		if err := c.check(); err != nil {
			return Copula{}, fmt.Errorf("%q: %w", s, err)
		}
		return c, nil
	}
	return Copula{}, fmt.Errorf("%q, %s", s, copulaForms)
}

// check reports a Nu that is neither 0 (Gaussian) nor a finite number > 2.
func (c Copula) check() error {
	if c.Nu == 0 || (c.Nu > 2 && !math.IsInf(c.Nu, 1)) {
		return nil
	}
	return fmt.Errorf("degrees of freedom %v, want a finite number > 2 (a t copula with ν ≤ 2 has no finite variance); %s", c.Nu, copulaForms)
}

// procOf returns field f's process in s, or nil (always nil for a field
// that cannot be a process).
func (s *Scenario) procOf(f *field) processes.Process {
	if f.proc == nil {
		return nil
	}
	return *f.proc(s)
}

// fieldSet reports whether field f has a value in s: a distribution or a
// process.
func (s *Scenario) fieldSet(f *field) bool {
	return *f.get(s) != nil || s.procOf(f) != nil
}

// checkField checks field f of s: its distribution, or its process over
// the horizon. The error does not name the key; callers prefix it.
func (s *Scenario) checkField(f *field) error {
	p := s.procOf(f)
	if p == nil {
		return f.checkDist(*f.get(s))
	}
	if *f.get(s) != nil {
		return fmt.Errorf("both a distribution (%s) and a process (%s): set one", *f.get(s), p)
	}
	return checkProcess(p, f, s.Horizon)
}

// checkProcess validates p and checks that its value of every year 1 …
// horizon lies in f's range with probability at least 1 − 2·tailP, as
// checkRange does for a distribution: on the year's quantiles at tailP and
// 1 − tailP when p is a processes.Quantiler (GBM and OU are), on the
// year's mean otherwise.
func checkProcess(p processes.Process, f *field, horizon int) error {
	if err := p.Validate(); err != nil {
		return err
	}
	bad := func(q float64) bool {
		if math.IsNaN(q) {
			return true
		}
		if f.loOpen {
			return !(q > f.lo) || q > f.hi
		}
		return !(q >= f.lo) || q > f.hi
	}
	want := rangeText(f.lo, f.hi, f.loOpen)
	hint := "lower the volatility"
	if f.lo == 0 && !f.loOpen {
		hint += ", or use gbm(start, drift, volatility), which stays positive"
	}
	for t := 1; t <= max(1, min(horizon, MaxHorizon)); t++ {
		tt := float64(t)
		if q, ok := p.(processes.Quantiler); ok {
			lo, hi := q.Quantile(tt, tailP), q.Quantile(tt, 1-tailP)
			if bad(lo) || bad(hi) {
				return fmt.Errorf("%s: year %d values from %s to %s (quantiles %g and 1−%g) reach outside %s; %s", p, t, fmtG(lo), fmtG(hi), tailP, tailP, want, hint)
			}
			continue
		}
		if m := p.Mean(tt); bad(m) {
			return fmt.Errorf("%s: year %d mean %s out of range, want %s", p, t, fmtG(m), want)
		}
	}
	return nil
}

// autocorrKey is the file key of field f's autocorrelation.
func autocorrKey(f *field) string { return f.key + "_autocorrelation" }

// validateRicher reports the problems of the autocorrelations, the copula
// and a plan that sets a field the scenario makes a process, each with its
// key path.
func (s *Scenario) validateRicher(add func(key string, err error)) {
	for i := range fields {
		f := &fields[i]
		if f.autocorr == nil {
			continue
		}
		add(autocorrKey(f), s.checkAutocorr(f, *f.autocorr(s)))
	}
	add("copula", s.Copula.check())
	for i, p := range s.Plans {
		for _, k := range sortedKeys(p.Set) {
			if f, ok := fieldByKey(k); ok && s.procOf(f) != nil {
				add(fmt.Sprintf("plans[%d].%s", i, k), planProcessError(f))
			}
		}
	}
}

// checkAutocorr checks the autocorrelation rho of series field f in s.
func (s *Scenario) checkAutocorr(f *field, rho float64) error {
	if rho == 0 {
		return nil
	}
	if !(rho > -1 && rho < 1) {
		return fmt.Errorf("%v, want a lag-1 rank correlation in (-1, 1) (0: independent years)", rho)
	}
	if p := s.procOf(f); p != nil {
		return fmt.Errorf("%v, but %s is a process (%s), whose path has its own persistence: set one or the other", rho, f.key, p)
	}
	if s.Horizon == 1 {
		return fmt.Errorf("%v, but a horizon of 1 year has no consecutive years", rho)
	}
	return nil
}

// planProcessError is the error for a plan that sets field f when the
// scenario makes it a process.
func planProcessError(f *field) error {
	return fmt.Errorf("the scenario's %s is a process (a yearly path), which a plan cannot replace by a distribution; set the process at the top level, or run the plans as separate scenarios", f.key)
}

// looksLikeProcess reports whether text is written as a process, a
// name of processes.Parse followed by "(": "ou(…)" or "gbm (…)".
func looksLikeProcess(text string) bool {
	t := strings.ToLower(strings.TrimSpace(text))
	for _, name := range []string{"ou", "gbm"} {
		if rest, ok := strings.CutPrefix(t, name); ok && strings.HasPrefix(strings.TrimSpace(rest), "(") {
			return true
		}
	}
	return false
}

// errProcessNotAllowed is the error for a process written at a field that
// cannot be one.
func errProcessNotAllowed(key string) error {
	var can []string
	for _, f := range fields {
		if f.proc != nil {
			can = append(can, f.key)
		}
	}
	return fmt.Errorf("a process is not allowed here (only %s may be a process); write a distribution, e.g. normal(0.1, 0.05)", strings.Join(can, " and "))
}

// parseProcess reads a process for field f, wrapping a parameter error so
// that errors.Is(err, processes.ErrInvalidParameter) holds.
func parseProcess(text string) (processes.Process, error) {
	p, err := processes.Parse(text)
	if err != nil {
		var pe *processes.ParamError
		if errors.As(err, &pe) {
			return nil, pe
		}
		return nil, fmt.Errorf("%w; processes are written ou(start=, mean=, reversion=, volatility=) or gbm(start=, drift=, volatility=)", err)
	}
	return p, nil
}

// richerKey decodes key at v when it is "copula" or a field's
// autocorrelation, and reports whether it was one of them.
func (d *decoder) richerKey(s *Scenario, key string, v *yaml.Node) bool {
	if key == "copula" {
		c, err := ParseCopula(d.str(v, key))
		if d.err == nil {
			d.check(v, key, err)
		}
		s.Copula = c
		return true
	}
	for i := range fields {
		f := &fields[i]
		if f.autocorr == nil || key != autocorrKey(f) {
			continue
		}
		rho := d.float(v, key)
		if d.err == nil && rho != 0 && !(rho > -1 && rho < 1) {
			d.check(v, key, s.checkAutocorr(f, rho))
		}
		*f.autocorr(s) = rho
		return true
	}
	return false
}

// processField decodes the value v of field f when it is written as a
// process (ou(…), gbm(…)) and reports whether it was. Its range over the
// horizon is checked by checkRicher, once every key is read.
func (d *decoder) processField(s *Scenario, f *field, v *yaml.Node) bool {
	if v.Kind != yaml.ScalarNode || !looksLikeProcess(v.Value) {
		return false
	}
	if f.proc == nil {
		d.fail(v, f.key, errProcessNotAllowed(f.key))
		return true
	}
	p, err := parseProcess(v.Value)
	if err != nil {
		d.fail(v, f.key, err)
		return true
	}
	*f.proc(s) = p
	return true
}

// checkRicher checks, at the line of each key of the document n, what
// depends on other keys: a process's range over the horizon and an
// autocorrelation's field and horizon.
func (d *decoder) checkRicher(s *Scenario, n *yaml.Node) {
	for i := range fields {
		f := &fields[i]
		if p := s.procOf(f); p != nil {
			d.check(findKey(n, f.key), f.key, checkProcess(p, f, s.Horizon))
		}
		if f.autocorr != nil {
			if node := findKey(n, autocorrKey(f)); node != nil {
				d.check(node, autocorrKey(f), s.checkAutocorr(f, *f.autocorr(s)))
			}
		}
	}
}

// declareRicher applies the autocorrelations and the copula of s to m,
// whose inputs are in: nothing when s sets none, so that the model is the
// one it was before they existed.
func (s *Scenario) declareRicher(m *forecast.Model, in *slots) {
	for id := range fields {
		f := &fields[id]
		if f.autocorr == nil || *f.autocorr(s) == 0 || !in[id].set {
			continue
		}
		m.Autocorrelate(in[id].in, *f.autocorr(s))
	}
	if s.Copula.Student() {
		m.StudentCopula(s.Copula.Nu)
	}
}

// WithoutDependence returns a copy of s whose inputs are independent: no
// correlations, no autocorrelations, the Gaussian copula; what
// forecast.SobolIndices needs (mcforecast -sobol-independent). Processes
// stay: a process's years depend on each other by construction, but its
// yearly driving shocks are independent, and SobolIndices varies those.
// The copy shares the distributions, events and plans of s, which are
// values or not modified.
func (s *Scenario) WithoutDependence() *Scenario {
	c := *s
	c.Correlations = nil
	c.corrLines = nil
	for i := range fields {
		if f := &fields[i]; f.autocorr != nil {
			*f.autocorr(&c) = 0
		}
	}
	c.Copula = Copula{}
	return &c
}
