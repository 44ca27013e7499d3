package processes

import (
	"fmt"
	"strings"

	"github.com/mcforecast/mcforecast/internal/parse"
)

// Parse reads a process from its String form. Names are case-insensitive,
// spaces may appear between any two tokens, and arguments are given by
// name in any order, by position in the order below, or by position first
// and then by name:
//
//	process = "gbm" "(" args ")"     start, drift, volatility
//	        | "ou" "(" args ")"      start, mean, reversion, volatility
//	args    = arg { "," arg }        every parameter exactly once
//	arg     = [ name "=" ] number
//	number  = [ "+" | "-" ] ( decimal | "inf" | "infinity" | "nan" )
//
// with numbers as in distributions.Parse (decimal as in Go without
// underscores or hex). Examples: "gbm(start=100, drift=0.05,
// volatility=0.2)", "gbm(100, 0.05, 0.2)", "ou(start=80, mean=75,
// reversion=0.5, volatility=15)", "OU(80, 75, volatility=15,
// reversion=0.5)". The "mean" of an OU is its LongRunMean field.
//
// A syntax error — an unknown name, a missing, repeated or surplus
// argument — is a *ParseError naming the byte position and what was
// expected there. Parse then validates the result: invalid parameters give
// an error that wraps the *ParamError (so errors.Is(err,
// ErrInvalidParameter) holds) and names the input. For every valid p of
// this package, Parse(p.String()) returns a process equal to p. Parse
// costs O(len(s)) and never panics.
func Parse(s string) (Process, error) {
	p := &parser{parse.Scanner{Text: s, NewError: newParseError}}
	proc, err := p.process()
	if err != nil {
		return nil, err
	}
	p.SkipSpace()
	if p.Pos < len(p.Text) {
		return nil, p.Errorf("expected end of input")
	}
	if err := proc.Validate(); err != nil {
		return nil, fmt.Errorf("parse %q: %w", s, err)
	}
	return proc, nil
}

// knownNames lists the names Parse reads, for error messages.
const knownNames = "gbm, ou"

// parser is a recursive-descent parser over its Scanner's Text; the
// lexical rules (spaces, names, numbers) are those of distributions.Parse.
type parser struct {
	parse.Scanner
}

// newParseError is the parser's parse.Scanner.NewError.
func newParseError(text string, pos int, msg string) error {
	return &ParseError{Input: text, Pos: pos, Msg: msg}
}

// process reads name "(" args ")".
func (p *parser) process() (Process, error) {
	p.SkipSpace()
	namePos := p.Pos
	name := p.Ident()
	var keys []string
	switch name {
	case "gbm":
		keys = gbmKeys
	case "ou":
		keys = ouKeys
	case "":
		return nil, p.Errorf("expected a process name (one of %s)", knownNames)
	default:
		p.Pos = namePos
		return nil, p.Errorf("unknown process %q (want one of %s)", name, knownNames)
	}
	if err := p.Expect('('); err != nil {
		return nil, err
	}
	x, err := p.args(name, keys)
	if err != nil {
		return nil, err
	}
	if name == "gbm" {
		return GBM{Start: x[0], Drift: x[1], Volatility: x[2]}, nil
	}
	return OU{Start: x[0], LongRunMean: x[1], Reversion: x[2], Volatility: x[3]}, nil
}

// args reads the arguments of name, whose parameters are keys in
// positional order, and the closing ')'.
func (p *parser) args(name string, keys []string) ([]float64, error) {
	x := make([]float64, len(keys))
	set := make([]bool, len(keys))
	named := false
	for i := 0; ; i++ {
		if i > 0 {
			switch p.Peek() {
			case ')':
				p.Pos++
				for k, ok := range set {
					if !ok {
						p.Pos--
						return nil, p.Errorf("missing %s (%s takes %s)", keys[k], name, strings.Join(keys, ", "))
					}
				}
				return x, nil
			case ',':
				p.Pos++
			default:
				return nil, p.Errorf("expected ',' or ')'")
			}
		}
		p.SkipSpace()
		argPos := p.Pos
		k, isNamed := i, false
		if p.Pos < len(p.Text) && parse.IsLetter(p.Text[p.Pos]) {
			id := p.Ident()
			if p.Peek() == '=' {
				p.Pos++
				if k = indexOf(keys, id); k < 0 {
					p.Pos = argPos
					return nil, p.Errorf("unknown parameter %q of %s (want %s)", id, name, strings.Join(keys, ", "))
				}
				if set[k] {
					p.Pos = argPos
					return nil, p.Errorf("%s given twice", id)
				}
				isNamed, named = true, true
			} else {
				p.Pos = argPos // a number such as inf or nan
			}
		}
		if !isNamed && named {
			return nil, p.Errorf("expected name=value: positional arguments come before named ones")
		}
		if !isNamed && k >= len(keys) {
			return nil, p.Errorf("too many arguments (%s takes %d: %s)", name, len(keys), strings.Join(keys, ", "))
		}
		v, err := p.Number()
		if err != nil {
			return nil, err
		}
		x[k], set[k] = v, true
	}
}

func indexOf(keys []string, id string) int {
	for i, k := range keys {
		if k == id {
			return i
		}
	}
	return -1
}
