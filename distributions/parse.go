package distributions

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/mcforecast/mcforecast/internal/parse"
)

// ParseError reports text that Parse cannot read: where, and what was
// expected there.
type ParseError struct {
	Input string // the text given to Parse
	Pos   int    // byte offset into Input (0-based; len(Input) is the end)
	Msg   string // what was expected, e.g. "expected a number"
}

// Error returns e.g. `parse "uniform(1,": position 10: expected a number`.
func (e *ParseError) Error() string {
	return "parse " + strconv.Quote(e.Input) + ": position " + strconv.Itoa(e.Pos) + ": " + e.Msg
}

// maxParseDepth bounds the nesting of truncated and mixture forms: each
// level of Truncated triples the cost of a CDF evaluation (see Truncated).
const maxParseDepth = 8

// Parse reads a distribution from text: every type's String form, "lo to
// hi" (CI90) and bare numbers (Constant). Names are case-insensitive and
// spaces may appear between any two tokens:
//
//	dist   = number [ "to" number ]            (Constant, or CI90(lo, hi))
//	       | "constant" "(" number ")"
//	       | "uniform" "(" number "," number ")"             min, max
//	       | "triangular" "(" number "," number "," number ")"  min, mode, max
//	       | "pert" "(" number "," number "," number ")"        min, mode, max
//	       | "normal" "(" number "," number ")"              mu, sigma
//	       | "lognormal" "(" number "," number ")"           mu, sigma of the log
//	       | "ci90" "(" number "," number ")"                lo, hi
//	       | "beta" "(" number "," number ")"                alpha, beta
//	       | "gamma" "(" number "," number ")"               shape, rate
//	       | "bernoulli" "(" number ")"                      p
//	       | "discrete" "(" list "," list ")"                values, weights
//	       | "empirical" "(" list ")"                        data
//	       | "truncated" "(" dist "," number "," number ")"  dist, min, max
//	       | "mixture" "(" "[" dist { "," dist } "]" [ "," list ] ")"
//	list   = "[" [ number { "," number } ] "]"
//	number = [ "+" | "-" ] ( decimal | "inf" | "infinity" | "nan" )
//
// where decimal is as in Go without underscores or hex (e.g. 125, -0.1,
// 1.5e9, .5). Examples: "uniform(115, 135)", "115 to 135", "-0.1 to 0.3",
// "pert(115, 125, 135)", "normal(0.18, 0.06)", "lognormal(4.38, 0.25)",
// "truncated(normal(0.2, 0.1), 0, 1)", "discrete([1, 2, 3], [0.2, 0.3,
// 0.5])", "mixture([normal(0, 1), uniform(2, 3)], [0.3, 0.7])".
//
// Discrete and Empirical values are built with NewDiscrete and NewEmpirical;
// a number is a Constant and "lo to hi" an Interval90. For every valid d of
// this package, Parse(d.String()) returns a distribution with the same
// String and the same behaviour.
//
// A syntax error is a *ParseError naming the byte position and what was
// expected there. Parse then validates the result: invalid parameters give
// an error that wraps the *ParamError (so errors.Is(err,
// ErrInvalidParameter) holds) and names the input. Parse costs O(len(s))
// plus the constructors' cost; it never panics. It accepts at most 8
// nested truncated and mixture forms.
func Parse(s string) (Dist, error) {
	p := &parser{Scanner: parse.Scanner{Text: s, NewError: newParseError}}
	d, err := p.dist()
	if err != nil {
		return nil, err
	}
	p.SkipSpace()
	if p.Pos < len(p.Text) {
		if hint := p.rangeHint(d); hint != "" {
			return nil, p.Errorf("expected end of input; for a 90 %% interval write %q", hint)
		}
		return nil, p.Errorf("expected end of input")
	}
	if err := d.Validate(); err != nil {
		return nil, fmt.Errorf("parse %q: %w", s, err)
	}
	return d, nil
}

// parser is a recursive-descent parser over its Scanner's Text, which
// holds the lexical rules (spaces, names, numbers) shared with
// processes.Parse.
type parser struct {
	parse.Scanner
	depth int // nesting of truncated and mixture forms
}

// newParseError is the parser's parse.Scanner.NewError.
func newParseError(text string, pos int, msg string) error {
	return &ParseError{Input: text, Pos: pos, Msg: msg}
}

// rangeHint returns "lo to hi" when d is a bare number and the rest of the
// input is a dash (-, – or —) and a number, as in "115-135" or "115 – 135":
// the range a user most likely meant. It does not move p.
func (p *parser) rangeHint(d Dist) string {
	c, ok := d.(Constant)
	if !ok {
		return ""
	}
	rest := p.Text[p.Pos:]
	switch {
	case strings.HasPrefix(rest, "-"):
		rest = rest[1:]
	case strings.HasPrefix(rest, "–"), strings.HasPrefix(rest, "—"):
		rest = rest[len("–"):]
	default:
		return ""
	}
	q := &parser{Scanner: parse.Scanner{Text: rest, NewError: newParseError}}
	hi, err := q.Number()
	q.SkipSpace()
	if err != nil || q.Pos < len(q.Text) {
		return ""
	}
	return fmtFloat(c.Value) + " to " + fmtFloat(hi)
}

// numbers reads n comma-separated numbers followed by ')'.
func (p *parser) numbers(n int) ([]float64, error) {
	xs := make([]float64, n)
	for i := range xs {
		if i > 0 {
			if err := p.Expect(','); err != nil {
				return nil, err
			}
		}
		x, err := p.Number()
		if err != nil {
			return nil, err
		}
		xs[i] = x
	}
	if err := p.Expect(')'); err != nil {
		if p.Peek() == ',' {
			return nil, p.Errorf("expected ')': too many arguments (want %d)", n)
		}
		return nil, err
	}
	return xs, nil
}

// list reads "[" [ number { "," number } ] "]".
func (p *parser) list() ([]float64, error) {
	if err := p.Expect('['); err != nil {
		return nil, p.Errorf("expected '[' starting a list of numbers")
	}
	xs := []float64{}
	if p.Peek() == ']' {
		p.Pos++
		return xs, nil
	}
	for {
		x, err := p.Number()
		if err != nil {
			return nil, err
		}
		xs = append(xs, x)
		switch p.Peek() {
		case ',':
			p.Pos++
		case ']':
			p.Pos++
			return xs, nil
		default:
			return nil, p.Errorf("expected ',' or ']'")
		}
	}
}

// simple lists the names whose arguments are a fixed number of numbers.
var simple = map[string]struct {
	n     int
	build func(x []float64) Dist
}{
	"constant":   {1, func(x []float64) Dist { return Constant{x[0]} }},
	"uniform":    {2, func(x []float64) Dist { return Uniform{x[0], x[1]} }},
	"triangular": {3, func(x []float64) Dist { return Triangular{x[0], x[1], x[2]} }},
	"pert":       {3, func(x []float64) Dist { return PERT{x[0], x[1], x[2]} }},
	"normal":     {2, func(x []float64) Dist { return Normal{x[0], x[1]} }},
	"lognormal":  {2, func(x []float64) Dist { return LogNormal{x[0], x[1]} }},
	"ci90":       {2, func(x []float64) Dist { return CI90(x[0], x[1]) }},
	"beta":       {2, func(x []float64) Dist { return Beta{x[0], x[1]} }},
	"gamma":      {2, func(x []float64) Dist { return Gamma{x[0], x[1]} }},
	"bernoulli":  {1, func(x []float64) Dist { return Bernoulli{x[0]} }},
}

// keywordTo consumes "to" (any case) when it is next and not the start of
// a longer word ("115to135" is read as "115 to 135").
func (p *parser) keywordTo() bool {
	rest := p.Text[p.Pos:]
	if len(rest) < 2 || !strings.EqualFold(rest[:2], "to") || (len(rest) > 2 && parse.IsLetter(rest[2])) {
		return false
	}
	p.Pos += 2
	return true
}

// knownNames lists the names Parse reads, for error messages.
const knownNames = "constant, uniform, triangular, pert, normal, lognormal, ci90, beta, gamma, " +
	"bernoulli, discrete, empirical, truncated, mixture"

// dist reads one distribution.
func (p *parser) dist() (Dist, error) {
	if p.StartsNumber() {
		lo, err := p.Number()
		if err != nil {
			return nil, err
		}
		p.SkipSpace()
		if !p.keywordTo() {
			return Constant{lo}, nil
		}
		hi, err := p.Number()
		if err != nil {
			return nil, err
		}
		return CI90(lo, hi), nil
	}
	if !parse.IsLetter(p.Peek()) {
		return nil, p.Errorf("expected a number or a distribution name")
	}
	namePos := p.Pos
	name := p.Ident()
	if err := p.Expect('('); err != nil {
		return nil, err
	}
	if s, ok := simple[name]; ok {
		xs, err := p.numbers(s.n)
		if err != nil {
			return nil, err
		}
		return s.build(xs), nil
	}
	switch name {
	case "discrete":
		values, err := p.list()
		if err != nil {
			return nil, err
		}
		if err := p.Expect(','); err != nil {
			return nil, err
		}
		weights, err := p.list()
		if err != nil {
			return nil, err
		}
		if err := p.Expect(')'); err != nil {
			return nil, err
		}
		d, _ := NewDiscrete(values, weights) // Parse validates the result
		return d, nil
	case "empirical":
		data, err := p.list()
		if err != nil {
			return nil, err
		}
		if err := p.Expect(')'); err != nil {
			return nil, err
		}
		e, _ := NewEmpirical(data)
		return e, nil
	case "truncated":
		if p.depth++; p.depth > maxParseDepth {
			return nil, p.Errorf("nesting deeper than %d", maxParseDepth)
		}
		inner, err := p.dist()
		p.depth--
		if err != nil {
			return nil, err
		}
		if err := p.Expect(','); err != nil {
			return nil, err
		}
		xs, err := p.numbers(2)
		if err != nil {
			return nil, err
		}
		return Truncated{Dist: inner, Min: xs[0], Max: xs[1]}, nil
	case "mixture":
		if err := p.Expect('['); err != nil {
			return nil, p.Errorf("expected '[' starting a list of distributions")
		}
		if p.depth++; p.depth > maxParseDepth {
			return nil, p.Errorf("nesting deeper than %d", maxParseDepth)
		}
		comps := []Dist{}
		if p.Peek() == ']' {
			p.Pos++
		} else {
			for done := false; !done; {
				c, err := p.dist()
				if err != nil {
					return nil, err
				}
				comps = append(comps, c)
				switch p.Peek() {
				case ',':
					p.Pos++
				case ']':
					p.Pos++
					done = true
				default:
					return nil, p.Errorf("expected ',' or ']'")
				}
			}
		}
		p.depth--
		m := Mixture{Components: comps}
		if p.Peek() == ',' {
			p.Pos++
			w, err := p.list()
			if err != nil {
				return nil, err
			}
			m.Weights = w
		}
		if err := p.Expect(')'); err != nil {
			return nil, err
		}
		return m, nil
	}
	p.Pos = namePos
	return nil, p.Errorf("unknown distribution %q (want one of %s)", name, knownNames)
}
