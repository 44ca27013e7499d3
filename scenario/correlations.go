package scenario

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/mcforecast/mcforecast/forecast"
)

// CorrelationFix is one of a scenario's correlations with the value the
// nearest valid correlation matrix would use instead.
type CorrelationFix struct {
	Index   int     // position in Scenario.Correlations; −1 for an autocorrelation
	Key     string  // an autocorrelation's file key (revenue_growth_autocorrelation); "" for a correlation
	Line    int     // line in the scenario file; 0 when not loaded from one
	A, B    string  // the inputs as the scenario names them
	Rho     float64 // requested rank correlation
	Nearest float64 // the nearest valid matrix's value (its mean over the years of a series)
}

// CorrelationError reports a scenario whose correlations do not fit
// together: no joint distribution has them all (the matrix, with a series
// correlated year by year, is not positive semi-definite). Fixes lists every
// correlation, the one the nearest valid matrix changes most first.
type CorrelationError struct {
	File  string // scenario file, "" when not loaded from one
	Fixes []CorrelationFix
}

// Error names the file and line of the correlation to loosen first, then
// each pair with the value the nearest valid matrix would use.
func (e *CorrelationError) Error() string {
	var b strings.Builder
	if len(e.Fixes) > 0 && e.Fixes[0].Line > 0 && e.File != "" {
		fmt.Fprintf(&b, "%s:%d: ", e.File, e.Fixes[0].Line)
	} else if e.File != "" {
		b.WriteString(e.File + ": ")
	}
	b.WriteString("correlations do not fit together (no joint distribution has them all); loosen the pairs the nearest valid matrix changes most:")
	for i, f := range e.Fixes {
		if i == 3 {
			fmt.Fprintf(&b, " (and %d more)", len(e.Fixes)-3)
			break
		}
		where := fmt.Sprintf("correlations[%d]", f.Index)
		if f.Key != "" {
			where = f.Key
		}
		if f.Line > 0 {
			where = fmt.Sprintf("line %d", f.Line)
		}
		sep := ";"
		if i == 0 {
			sep = ""
		}
		fmt.Fprintf(&b, "%s %s–%s (%s) rho %g → %.2f", sep, f.A, f.B, where, f.Rho, f.Nearest)
	}
	b.WriteString("; or set repair_correlations: true (mcforecast -repair-correlations) to use that matrix")
	return b.String()
}

// CheckCorrelations returns a *CorrelationError when the scenario's
// correlations, with its autocorrelations (revenue_growth_autocorrelation,
// year to year), do not fit together and RepairCorrelations is false, nil
// otherwise (or the error of Model for an invalid scenario). It finds the
// nearest valid matrix (forecast.Options.RepairCorrelations, Higham 2002)
// with a one-trial run: its cost is that of factorising the correlation
// matrix, O(k³) for k correlated values (a series counts once per year).
func (s *Scenario) CheckCorrelations() error {
	if len(s.Correlations) == 0 || s.RepairCorrelations {
		return nil
	}
	m, err := s.Model()
	if err != nil {
		return err
	}
	res, err := forecast.Run(context.Background(), m, forecast.Options{Trials: 1, Seed: 1, Workers: 1, RepairCorrelations: true})
	if err != nil {
		return err
	}
	used := res.Correlations()
	if used == nil || !used.Repaired {
		return nil
	}
	e := &CorrelationError{File: s.file}
	for i, c := range s.Correlations {
		a, _ := s.resolve(c.A) // Model has validated them
		b, _ := s.resolve(c.B)
		sum, n := 0.0, 0
		for p, np := range used.Names {
			na, ya := splitYear(np)
			if na != a {
				continue
			}
			for q, nq := range used.Names {
				nb, yb := splitYear(nq)
				if nb == b && (ya == 0 || yb == 0 || ya == yb) {
					sum += used.At(p, q)
					n++
				}
			}
		}
		f := CorrelationFix{Index: i, A: c.A, B: c.B, Rho: c.Rho, Nearest: sum / float64(max(n, 1))}
		if i < len(s.corrLines) {
			f.Line = s.corrLines[i]
		}
		e.Fixes = append(e.Fixes, f)
	}
	e.Fixes = append(e.Fixes, s.autocorrFixes(used)...)
	sort.SliceStable(e.Fixes, func(i, j int) bool {
		return math.Abs(e.Fixes[i].Rho-e.Fixes[i].Nearest) > math.Abs(e.Fixes[j].Rho-e.Fixes[j].Nearest)
	})
	return e
}

// splitYear splits a copula value's name, "revenue growth [3]", into the
// input's name and its year (0 for a scalar input).
func splitYear(name string) (string, int) {
	i := strings.LastIndex(name, " [")
	if i < 0 || !strings.HasSuffix(name, "]") {
		return name, 0
	}
	var y int
	if _, err := fmt.Sscanf(name[i+2:len(name)-1], "%d", &y); err != nil {
		return name, 0
	}
	return name[:i], y
}

// autocorrFixes returns a CorrelationFix for each autocorrelation of s,
// its Nearest being the mean of the matrix used between consecutive years.
// An autocorrelation alone always fits (an AR(1) matrix is positive
// definite); it can conflict only with correlations.
func (s *Scenario) autocorrFixes(used *forecast.Correlations) []CorrelationFix {
	var fixes []CorrelationFix
	for i := range fields {
		f := &fields[i]
		if f.autocorr == nil || *f.autocorr(s) == 0 {
			continue
		}
		pos := map[int]int{} // year → row of used
		for p, name := range used.Names {
			if n, y := splitYear(name); n == f.input && y > 0 {
				pos[y] = p
			}
		}
		sum, n := 0.0, 0
		for y := 1; y < s.Horizon; y++ {
			a, okA := pos[y]
			b, okB := pos[y+1]
			if okA && okB {
				sum += used.At(a, b)
				n++
			}
		}
		key := autocorrKey(f)
		fixes = append(fixes, CorrelationFix{Index: -1, Key: key, Line: s.keyLines[key], A: f.key, B: f.key,
			Rho: *f.autocorr(s), Nearest: sum / float64(max(n, 1))})
	}
	return fixes
}
