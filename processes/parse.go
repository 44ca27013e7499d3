package processes

import (
	"fmt"
	"math"
	"strconv"
	"strings"
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
	p := &parser{s: s}
	proc, err := p.process()
	if err != nil {
		return nil, err
	}
	p.skipSpace()
	if p.pos < len(p.s) {
		return nil, p.errorf("expected end of input")
	}
	if err := proc.Validate(); err != nil {
		return nil, fmt.Errorf("parse %q: %w", s, err)
	}
	return proc, nil
}

// knownNames lists the names Parse reads, for error messages.
const knownNames = "gbm, ou"

// parser is a recursive-descent parser over s.
type parser struct {
	s   string
	pos int
}

func (p *parser) errorf(format string, args ...any) error {
	return &ParseError{Input: p.s, Pos: p.pos, Msg: fmt.Sprintf(format, args...)}
}

func (p *parser) skipSpace() {
	for p.pos < len(p.s) {
		switch p.s[p.pos] {
		case ' ', '\t', '\n', '\r', '\f', '\v':
			p.pos++
		default:
			return
		}
	}
}

// peek skips spaces and returns the next byte, or 0 at the end.
func (p *parser) peek() byte {
	p.skipSpace()
	if p.pos < len(p.s) {
		return p.s[p.pos]
	}
	return 0
}

func isLetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }
func isDigit(c byte) bool  { return c >= '0' && c <= '9' }

// ident returns the identifier at the current position (letters, digits
// and underscores after a letter), lowercased, or "".
func (p *parser) ident() string {
	start := p.pos
	if p.pos < len(p.s) && isLetter(p.s[p.pos]) {
		p.pos++
		for p.pos < len(p.s) && (isLetter(p.s[p.pos]) || isDigit(p.s[p.pos]) || p.s[p.pos] == '_') {
			p.pos++
		}
	}
	return strings.ToLower(p.s[start:p.pos])
}

// process reads name "(" args ")".
func (p *parser) process() (Process, error) {
	p.skipSpace()
	namePos := p.pos
	name := p.ident()
	var keys []string
	switch name {
	case "gbm":
		keys = gbmKeys
	case "ou":
		keys = ouKeys
	case "":
		return nil, p.errorf("expected a process name (one of %s)", knownNames)
	default:
		p.pos = namePos
		return nil, p.errorf("unknown process %q (want one of %s)", name, knownNames)
	}
	if p.peek() != '(' {
		return nil, p.errorf("expected '('")
	}
	p.pos++
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
			switch p.peek() {
			case ')':
				p.pos++
				for k, ok := range set {
					if !ok {
						p.pos--
						return nil, p.errorf("missing %s (%s takes %s)", keys[k], name, strings.Join(keys, ", "))
					}
				}
				return x, nil
			case ',':
				p.pos++
			default:
				return nil, p.errorf("expected ',' or ')'")
			}
		}
		p.skipSpace()
		argPos := p.pos
		k, isNamed := i, false
		if p.pos < len(p.s) && isLetter(p.s[p.pos]) {
			id := p.ident()
			if p.peek() == '=' {
				p.pos++
				if k = indexOf(keys, id); k < 0 {
					p.pos = argPos
					return nil, p.errorf("unknown parameter %q of %s (want %s)", id, name, strings.Join(keys, ", "))
				}
				if set[k] {
					p.pos = argPos
					return nil, p.errorf("%s given twice", id)
				}
				isNamed, named = true, true
			} else {
				p.pos = argPos // a number such as inf or nan
			}
		}
		if !isNamed && named {
			return nil, p.errorf("expected name=value: positional arguments come before named ones")
		}
		if !isNamed && k >= len(keys) {
			return nil, p.errorf("too many arguments (%s takes %d: %s)", name, len(keys), strings.Join(keys, ", "))
		}
		v, err := p.number()
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

// number reads a number or fails with "expected a number"; the grammar is
// that of distributions.Parse.
func (p *parser) number() (float64, error) {
	p.skipSpace()
	start := p.pos
	neg := false
	if p.pos < len(p.s) && (p.s[p.pos] == '+' || p.s[p.pos] == '-') {
		neg = p.s[p.pos] == '-'
		p.pos++
		p.skipSpace()
	}
	numStart := p.pos
	var x float64
	if p.pos < len(p.s) && isLetter(p.s[p.pos]) {
		switch p.ident() {
		case "inf", "infinity":
			x = math.Inf(1)
		case "nan":
			x = math.NaN()
		default:
			p.pos = start
			return 0, p.errorf("expected a number")
		}
	} else {
		digits := 0
		for p.pos < len(p.s) && isDigit(p.s[p.pos]) {
			p.pos++
			digits++
		}
		if p.pos < len(p.s) && p.s[p.pos] == '.' {
			p.pos++
			for p.pos < len(p.s) && isDigit(p.s[p.pos]) {
				p.pos++
				digits++
			}
		}
		if digits == 0 {
			p.pos = start
			return 0, p.errorf("expected a number")
		}
		if p.pos < len(p.s) && (p.s[p.pos] == 'e' || p.s[p.pos] == 'E') {
			p.pos++
			if p.pos < len(p.s) && (p.s[p.pos] == '+' || p.s[p.pos] == '-') {
				p.pos++
			}
			expStart := p.pos
			for p.pos < len(p.s) && isDigit(p.s[p.pos]) {
				p.pos++
			}
			if p.pos == expStart {
				return 0, p.errorf("expected the digits of an exponent")
			}
		}
		var err error
		x, err = strconv.ParseFloat(p.s[numStart:p.pos], 64)
		if ne, ok := err.(*strconv.NumError); err != nil && !(ok && ne.Err == strconv.ErrRange) {
			p.pos = start
			return 0, p.errorf("expected a number")
		}
	}
	if neg {
		x = -x
	}
	return x, nil
}
