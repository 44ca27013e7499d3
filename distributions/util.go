package distributions

import (
	"math"
	"math/rand/v2"
	"strconv"
)

// nan is shorthand for math.NaN().
var nan = math.NaN()

// checkRand panics when r is nil: a programmer error (tier 1 of the error
// policy in the package doc).
func checkRand(r *rand.Rand) {
	if r == nil {
		panic("distributions: Sample called with a nil *rand.Rand")
	}
}

// isFinite reports whether x is neither NaN nor ±Inf.
func isFinite(x float64) bool { return x-x == 0 }

// badProb reports whether p is outside [0, 1] or NaN.
func badProb(p float64) bool { return !(p >= 0 && p <= 1) }

// fmtFloat formats x so that strconv.ParseFloat reads back exactly x.
func fmtFloat(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

// appendFloats appends "[x0, x1, ...]" to b.
func appendFloats(b []byte, xs []float64) []byte {
	b = append(b, '[')
	for i, x := range xs {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = strconv.AppendFloat(b, x, 'g', -1, 64)
	}
	return append(b, ']')
}

// callString formats name(args...) with the arguments formatted by fmtFloat.
func callString(name string, args ...float64) string {
	b := make([]byte, 0, len(name)+2+24*len(args))
	b = append(b, name...)
	b = append(b, '(')
	for i, x := range args {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = strconv.AppendFloat(b, x, 'g', -1, 64)
	}
	return string(append(b, ')'))
}

// checkFinite returns a *ParamError when x is NaN or ±Inf.
func checkFinite(dist, param string, x float64) error {
	if !isFinite(x) {
		return paramErr(dist, param, x, "must be finite")
	}
	return nil
}

// checkPositive returns a *ParamError unless 0 < x < +Inf.
func checkPositive(dist, param string, x float64) error {
	if !(x > 0) {
		return paramErr(dist, param, x, "must be > 0")
	}
	if math.IsInf(x, 1) {
		return paramErr(dist, param, x, "must be finite")
	}
	return nil
}

// checkOrdered returns a *ParamError unless lo and hi are finite and lo < hi.
// loName and hiName are the parameter names, e.g. "min" and "max".
func checkOrdered(dist, loName, hiName string, lo, hi float64) error {
	if err := checkFinite(dist, loName, lo); err != nil {
		return err
	}
	if err := checkFinite(dist, hiName, hi); err != nil {
		return err
	}
	if lo > hi {
		return paramErr(dist, loName, lo, "> "+hiName+" "+fmtFloat(hi))
	}
	if !(lo < hi) {
		return paramErr(dist, loName, lo, "must be < "+hiName+" "+fmtFloat(hi))
	}
	return nil
}

// checkInterval returns a *ParamError unless min and max are finite,
// min < max and max − min is finite.
func checkInterval(dist string, min, max float64) error {
	if err := checkOrdered(dist, "min", "max", min, max); err != nil {
		return err
	}
	return checkWidth(dist, "min", "max", min, max)
}

// modeOK reports whether min ≤ mode ≤ max, all finite, min < max and
// max − min finite.
func modeOK(min, mode, max float64) bool {
	return isFinite(min) && isFinite(max) && min < max && isFinite(max-min) &&
		mode >= min && mode <= max
}

// checkMode returns a *ParamError unless min ≤ mode ≤ max (all finite,
// min < max, max − min finite).
func checkMode(dist string, min, mode, max float64) error {
	if err := checkInterval(dist, min, max); err != nil {
		return err
	}
	if err := checkFinite(dist, "mode", mode); err != nil {
		return err
	}
	if !(mode >= min && mode <= max) {
		return paramErr(dist, "mode", mode, "must be in [min "+fmtFloat(min)+", max "+fmtFloat(max)+"]")
	}
	return nil
}

// itoa is strconv.Itoa.
func itoa(i int) string { return strconv.Itoa(i) }
