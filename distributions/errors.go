package distributions

import (
	"errors"
	"strconv"
)

// ErrInvalidParameter is wrapped by every error that reports parameters that
// do not describe a distribution. Test for it with errors.Is.
var ErrInvalidParameter = errors.New("invalid distribution parameter")

// ParamError reports one invalid parameter of a distribution.
//
// Its message names the distribution, the parameter, the offending value and
// what was expected, for example "uniform: min 135 > max 115" or
// "normal: sigma -1 must be > 0".
type ParamError struct {
	Dist   string  // distribution name as Parse spells it, e.g. "uniform"
	Param  string  // parameter name, e.g. "min", "sigma", "weights[2]"
	Value  float64 // offending value (NaN when the problem is not one number)
	Reason string  // what was expected, e.g. "> max 115", "must be > 0"
}

// Error implements the error interface.
func (e *ParamError) Error() string {
	return e.Dist + ": " + e.Param + " " + strconv.FormatFloat(e.Value, 'g', -1, 64) + " " + e.Reason
}

// Unwrap returns ErrInvalidParameter, so that errors.Is(err,
// ErrInvalidParameter) holds for every *ParamError.
func (e *ParamError) Unwrap() error { return ErrInvalidParameter }

// paramErr is shorthand for building a *ParamError.
func paramErr(dist, param string, value float64, reason string) error {
	return &ParamError{Dist: dist, Param: param, Value: value, Reason: reason}
}
