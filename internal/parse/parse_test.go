package parse

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"
)

// testError is the NewError of the tests: it keeps what the Scanner passed.
type testError struct {
	text string
	pos  int
	msg  string
}

func (e *testError) Error() string { return fmt.Sprintf("%q: position %d: %s", e.text, e.pos, e.msg) }

func newTestError(text string, pos int, msg string) error { return &testError{text, pos, msg} }

func scanner(s string) *Scanner { return &Scanner{Text: s, NewError: newTestError} }

func TestNumber(t *testing.T) {
	for _, c := range []struct {
		in   string
		want float64 // NaN for "nan"
		pos  int     // Pos after the call: after the number, or where the error is
		msg  string  // "" for success
	}{
		{"125", 125, 3, ""},
		{"  -0.1,", -0.1, 6, ""},
		{"+ 5", 5, 3, ""},
		{"- 5", -5, 3, ""},
		{"1.5e9)", 1.5e9, 5, ""},
		{"1E-3", 1e-3, 4, ""},
		{".5", 0.5, 2, ""},
		{"5.", 5, 2, ""},
		{"inf", math.Inf(1), 3, ""},
		{"-Infinity", math.Inf(-1), 9, ""},
		{"NaN", math.NaN(), 3, ""},
		{"1e400", math.Inf(1), 5, ""},   // out of range: kept for Validate to name
		{"-1e400", math.Inf(-1), 6, ""}, // the sign applies after rounding
		{"1e-400", 0, 6, ""},
		{"12to", 12, 2, ""}, // stops where the digits stop
		{"", 0, 0, "expected a number"},
		{"  ", 0, 2, "expected a number"},
		{" -", 0, 1, "expected a number"},
		{"x1", 0, 0, "expected a number"},
		{" infx", 0, 1, "expected a number"}, // an identifier, not inf
		{".", 0, 0, "expected a number"},
		{"1e", 0, 2, "expected the digits of an exponent"},
		{"1e+)", 0, 3, "expected the digits of an exponent"},
	} {
		s := scanner(c.in)
		x, err := s.Number()
		if c.msg != "" {
			var te *testError
			if !errors.As(err, &te) || te.msg != c.msg || te.pos != c.pos || te.text != c.in || s.Pos != c.pos {
				t.Errorf("Number(%q) = %v, %v (Pos %d), want error %q at %d", c.in, x, err, s.Pos, c.msg, c.pos)
			}
			continue
		}
		same := x == c.want && math.Signbit(x) == math.Signbit(c.want) || math.IsNaN(x) && math.IsNaN(c.want)
		if err != nil || !same || s.Pos != c.pos {
			t.Errorf("Number(%q) = %v, %v (Pos %d), want %v (Pos %d)", c.in, x, err, s.Pos, c.want, c.pos)
		}
	}
}

func TestIdent(t *testing.T) {
	for _, c := range []struct {
		in   string
		pos  int // start
		want string
		end  int
	}{
		{"GBM(", 0, "gbm", 3},
		{"ci90 (", 0, "ci90", 4},
		{"a_b2=", 0, "a_b2", 4},
		{"2x", 0, "", 0},
		{"_x", 0, "", 0},
		{" x", 0, "", 0}, // no spaces skipped
		{"ab", 2, "", 2},
	} {
		s := scanner(c.in)
		s.Pos = c.pos
		if got := s.Ident(); got != c.want || s.Pos != c.end {
			t.Errorf("Ident(%q at %d) = %q (Pos %d), want %q (Pos %d)", c.in, c.pos, got, s.Pos, c.want, c.end)
		}
	}
}

func TestStartsNumber(t *testing.T) {
	for _, c := range []struct {
		in   string
		want bool
		pos  int // after the call: spaces skipped, nothing more
	}{
		{" 1", true, 1}, {"-", true, 0}, {"+x", true, 0}, {".", true, 0},
		{" inf", true, 1}, {"INFINITY)", true, 0}, {"nan", true, 0},
		{"infx", false, 0}, {"normal(", false, 0}, {"(", false, 0}, {"  ", false, 2}, {"", false, 0},
	} {
		s := scanner(c.in)
		if got := s.StartsNumber(); got != c.want || s.Pos != c.pos {
			t.Errorf("StartsNumber(%q) = %v (Pos %d), want %v (Pos %d)", c.in, got, s.Pos, c.want, c.pos)
		}
	}
}

func TestPeekExpect(t *testing.T) {
	s := scanner(" \t\n\r\f\v( ,")
	if c := s.Peek(); c != '(' || s.Pos != 6 {
		t.Fatalf("Peek = %q (Pos %d), want '(' at 6", c, s.Pos)
	}
	if err := s.Expect('('); err != nil || s.Pos != 7 {
		t.Fatalf("Expect('(') = %v (Pos %d), want nil at 7", err, s.Pos)
	}
	err := s.Expect(')')
	var te *testError
	if !errors.As(err, &te) || te.msg != "expected ')'" || te.pos != 8 {
		t.Fatalf("Expect(')') before ',' = %v, want \"expected ')'\" at 8", err)
	}
	s.Pos++
	if c := s.Peek(); c != 0 || s.Pos != len(s.Text) {
		t.Fatalf("Peek at the end = %q (Pos %d), want 0 at %d", c, s.Pos, len(s.Text))
	}
	if err := s.Expect(','); err == nil {
		t.Fatal("Expect at the end succeeded")
	}
}

func TestIsLetterDigit(t *testing.T) {
	for c := 0; c < 256; c++ {
		b := byte(c)
		letter := b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z'
		if IsLetter(b) != letter {
			t.Errorf("IsLetter(%q) = %v", b, !letter)
		}
		if IsDigit(b) != (b >= '0' && b <= '9') {
			t.Errorf("IsDigit(%q) wrong", b)
		}
	}
}

// FuzzNumber checks that Number never panics, keeps Pos within the text,
// and reads a finite number as strconv.ParseFloat reads its text.
func FuzzNumber(f *testing.F) {
	for _, s := range []string{"125", "-0.1", "1e", "+ inf", ".5e-3", "nan", "1e400", "x", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		s := scanner(in)
		x, err := s.Number()
		if s.Pos < 0 || s.Pos > len(in) {
			t.Fatalf("Number(%q): Pos %d outside the text", in, s.Pos)
		}
		if err != nil {
			var te *testError
			if !errors.As(err, &te) || te.pos != s.Pos {
				t.Fatalf("Number(%q): error %v not at Pos %d", in, err, s.Pos)
			}
			return
		}
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return
		}
		// A finite number is a decimal: what strconv reads from the text
		// consumed, without the spaces allowed after the sign.
		text := strings.Map(func(r rune) rune {
			if strings.ContainsRune(" \t\n\r\f\v", r) {
				return -1
			}
			return r
		}, in[:s.Pos])
		y, perr := strconv.ParseFloat(text, 64)
		if perr != nil && !errors.Is(perr, strconv.ErrRange) || math.Float64bits(y) != math.Float64bits(x) {
			t.Fatalf("Number(%q) = %v from %q; strconv reads %v, %v", in, x, text, y, perr)
		}
	})
}
