// Package parse holds the lexical rules that distributions.Parse and
// processes.Parse share: spaces, case-insensitive identifiers and numbers
// ("125", "-0.1", "1.5e9", ".5", "inf", "infinity", "nan", a sign before
// any of them). Each package's recursive-descent parser embeds a Scanner and
// reports syntax errors as its own *ParseError through Scanner.NewError, so
// the two grammars read numbers and report byte positions the same way.
package parse

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Scanner is a cursor over Text. Its methods advance Pos, the byte offset
// into Text (0-based; len(Text) is the end), and never panic.
type Scanner struct {
	Text string
	Pos  int
	// NewError makes the error for a syntax error at byte pos of text:
	// each package's *ParseError. It must not be nil when an error occurs.
	NewError func(text string, pos int, msg string) error
}

// Errorf returns NewError(Text, Pos, msg) with msg formatted as by
// fmt.Sprintf.
func (s *Scanner) Errorf(format string, args ...any) error {
	return s.NewError(s.Text, s.Pos, fmt.Sprintf(format, args...))
}

// SkipSpace advances past ASCII white space (space, \t, \n, \r, \f, \v).
func (s *Scanner) SkipSpace() {
	for s.Pos < len(s.Text) {
		switch s.Text[s.Pos] {
		case ' ', '\t', '\n', '\r', '\f', '\v':
			s.Pos++
		default:
			return
		}
	}
}

// Peek skips spaces and returns the next byte, or 0 at the end.
func (s *Scanner) Peek() byte {
	s.SkipSpace()
	if s.Pos < len(s.Text) {
		return s.Text[s.Pos]
	}
	return 0
}

// Expect consumes the byte c, after spaces, or fails with "expected 'c'"
// at the byte it found instead.
func (s *Scanner) Expect(c byte) error {
	if s.Peek() != c {
		return s.Errorf("expected '%c'", c)
	}
	s.Pos++
	return nil
}

// IsLetter reports whether c is an ASCII letter.
func IsLetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

// IsDigit reports whether c is an ASCII decimal digit.
func IsDigit(c byte) bool { return c >= '0' && c <= '9' }

// Ident returns the identifier at Pos (a letter, then letters, digits and
// underscores), lowercased, or "" when no letter is at Pos. It does not
// skip spaces first.
func (s *Scanner) Ident() string {
	start := s.Pos
	if s.Pos < len(s.Text) && IsLetter(s.Text[s.Pos]) {
		s.Pos++
		for s.Pos < len(s.Text) && (IsLetter(s.Text[s.Pos]) || IsDigit(s.Text[s.Pos]) || s.Text[s.Pos] == '_') {
			s.Pos++
		}
	}
	return strings.ToLower(s.Text[start:s.Pos])
}

// StartsNumber reports whether a number starts after the spaces at Pos:
// a sign, a dot, a digit or the word inf, infinity or nan. It skips the
// spaces and nothing more.
func (s *Scanner) StartsNumber() bool {
	c := s.Peek()
	if c == '+' || c == '-' || c == '.' || IsDigit(c) {
		return true
	}
	save := s.Pos
	id := s.Ident()
	s.Pos = save
	return id == "inf" || id == "infinity" || id == "nan"
}

// Number reads, after spaces,
//
//	number = [ "+" | "-" ] ( decimal | "inf" | "infinity" | "nan" )
//
// with decimal as in Go without underscores or hex (125, -0.1, 1.5e9, .5,
// 5.) and spaces allowed after the sign. A decimal beyond the range of
// float64 reads as ±Inf or ±0, as strconv.ParseFloat rounds it, so that the
// caller's validation can name the parameter. It fails with "expected a
// number" at the number's start, or with "expected the digits of an
// exponent" after an exponent's "e" and sign.
func (s *Scanner) Number() (float64, error) {
	s.SkipSpace()
	start := s.Pos
	neg := false
	if s.Pos < len(s.Text) && (s.Text[s.Pos] == '+' || s.Text[s.Pos] == '-') {
		neg = s.Text[s.Pos] == '-'
		s.Pos++
		s.SkipSpace()
	}
	numStart := s.Pos
	var x float64
	if s.Pos < len(s.Text) && IsLetter(s.Text[s.Pos]) {
		switch s.Ident() {
		case "inf", "infinity":
			x = math.Inf(1)
		case "nan":
			x = math.NaN()
		default:
			s.Pos = start
			return 0, s.Errorf("expected a number")
		}
	} else {
		digits := 0
		for s.Pos < len(s.Text) && IsDigit(s.Text[s.Pos]) {
			s.Pos++
			digits++
		}
		if s.Pos < len(s.Text) && s.Text[s.Pos] == '.' {
			s.Pos++
			for s.Pos < len(s.Text) && IsDigit(s.Text[s.Pos]) {
				s.Pos++
				digits++
			}
		}
		if digits == 0 {
			s.Pos = start
			return 0, s.Errorf("expected a number")
		}
		if s.Pos < len(s.Text) && (s.Text[s.Pos] == 'e' || s.Text[s.Pos] == 'E') {
			s.Pos++
			if s.Pos < len(s.Text) && (s.Text[s.Pos] == '+' || s.Text[s.Pos] == '-') {
				s.Pos++
			}
			expStart := s.Pos
			for s.Pos < len(s.Text) && IsDigit(s.Text[s.Pos]) {
				s.Pos++
			}
			if s.Pos == expStart {
				return 0, s.Errorf("expected the digits of an exponent")
			}
		}
		var err error
		x, err = strconv.ParseFloat(s.Text[numStart:s.Pos], 64)
		if ne, ok := err.(*strconv.NumError); err != nil && !(ok && ne.Err == strconv.ErrRange) {
			s.Pos = start
			return 0, s.Errorf("expected a number")
		}
	}
	if neg {
		x = -x
	}
	return x, nil
}
