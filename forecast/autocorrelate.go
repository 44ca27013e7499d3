package forecast

import (
	"fmt"
	"strconv"
)

// ParamError reports a bad parameter of a model declaration (Autocorrelate,
// StudentCopula): the call, the input it names, the parameter, its value and what
// was expected. Validate and Run return it (joined with the model's other
// problems: test with errors.As).
type ParamError struct {
	Call   string  // the declaration, e.g. "Autocorrelate"
	Input  string  // the input's name ("" for a model-wide parameter)
	Field  string  // the parameter, e.g. "rho"
	Value  float64 // the offending value
	Reason string  // what was expected, e.g. "want a value in (-1, 1)"
}

// Error returns e.g. `forecast: Autocorrelate("growth"): rho 1, want a value in (-1, 1)`.
func (e *ParamError) Error() string {
	call := e.Call
	if e.Input != "" {
		call += "(" + strconv.Quote(e.Input) + ")"
	}
	return "forecast: " + call + ": " + e.Field + " " +
		strconv.FormatFloat(e.Value, 'g', -1, 64) + ", " + e.Reason
}

// Autocorrelate makes consecutive years of series input h rank-correlated:
// the Spearman correlation between years i and i+1 is rho, and the
// normal scores of the years follow an AR(1) process, so the normal-score
// correlation between years i and j is r^|i−j| with r = 2·sin(π·rho/6),
// the Gaussian copula's normal-score correlation for Spearman rho. The
// marginal of every year is unchanged. The autocorrelation enters the same
// matrix as Correlate (so its consistency with cross-correlations is
// checked, and repaired under Options.RepairCorrelations) and works under
// every Method. It makes every year of the series a copula value: one
// Inverter.FromNormal per year and an O(k²) factor product per trial, k the
// number of copula values.
//
// rho must be in (−1, 1) and h a series of at least two years; a scalar
// input, a NaN or out-of-range rho, or a second call for h with another rho
// are *ParamError values reported by Validate, naming the input.
func (m *Model) Autocorrelate(h Input, rho float64) {
	i, ok := m.inputIndex(h)
	if !ok {
		m.errs = append(m.errs, fmt.Errorf("forecast: Autocorrelate: input handle %d is not one of this model's (a handle from another Model?)", h))
		return
	}
	in := m.inputs[i]
	switch {
	case in.n < 2:
		m.errs = append(m.errs, &ParamError{"Autocorrelate", in.name, "series length", float64(in.n), "want a series of at least 2 years (a scalar input has no consecutive years)"})
		return
	case !(rho > -1 && rho < 1):
		m.errs = append(m.errs, &ParamError{"Autocorrelate", in.name, "rho", rho, "want a value in (-1, 1)"})
		return
	}
	for _, c := range m.corrs {
		if c.a == i && c.b == i {
			if c.rho != rho {
				m.errs = append(m.errs, &ParamError{"Autocorrelate", in.name, "rho", rho, "conflicts with the earlier " + strconv.FormatFloat(c.rho, 'g', -1, 64)})
			}
			return
		}
	}
	// An autocorrelation is stored as the correlation of an input with
	// itself, which Correlate refuses: buildCopula expands it into the
	// AR(1) matrix, and whatever inspects m.corrs (memory estimate,
	// SobolIndices' refusal of dependent inputs) sees a dependent input.
	m.corrs = append(m.corrs, corrSpec{a: i, b: i, rho: rho})
}
