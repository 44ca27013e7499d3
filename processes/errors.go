package processes

import (
	"errors"
	"strconv"
)

// ErrInvalidParameter is wrapped by every error that reports parameters that
// do not describe a process. Test for it with errors.Is.
var ErrInvalidParameter = errors.New("invalid process parameter")

// ParamError reports one invalid parameter of a process.
//
// Its message names the process, the parameter, the offending value and
// what was expected, for example "gbm: volatility -0.2 must be ≥ 0".
type ParamError struct {
	Process string  // process name as Parse spells it, e.g. "gbm"
	Param   string  // parameter name as Parse spells it, e.g. "volatility"
	Value   float64 // offending value
	Reason  string  // what was expected, e.g. "must be ≥ 0"
}

// Error implements the error interface.
func (e *ParamError) Error() string {
	return e.Process + ": " + e.Param + " " + strconv.FormatFloat(e.Value, 'g', -1, 64) + " " + e.Reason
}

// Unwrap returns ErrInvalidParameter, so that errors.Is(err,
// ErrInvalidParameter) holds for every *ParamError.
func (e *ParamError) Unwrap() error { return ErrInvalidParameter }

// ParseError reports text that Parse cannot read: where, and what was
// expected there.
type ParseError struct {
	Input string // the text given to Parse
	Pos   int    // byte offset into Input (0-based; len(Input) is the end)
	Msg   string // what was expected, e.g. "expected a number"
}

// Error returns e.g. `parse "gbm(100,": position 8: expected a number`.
func (e *ParseError) Error() string {
	return "parse " + strconv.Quote(e.Input) + ": position " + strconv.Itoa(e.Pos) + ": " + e.Msg
}

// checkFinite returns a *ParamError when x is NaN or ±Inf.
func checkFinite(proc, param string, x float64) error {
	if !(x-x == 0) {
		return &ParamError{proc, param, x, "must be finite"}
	}
	return nil
}

// checkNonNegative returns a *ParamError unless 0 ≤ x < +Inf.
func checkNonNegative(proc, param string, x float64) error {
	if !(x >= 0) {
		return &ParamError{proc, param, x, "must be ≥ 0"}
	}
	return checkFinite(proc, param, x)
}
