package xsum

import (
	"github.com/mcforecast/mcforecast/internal/wire"

	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/big"
)

// The encoding (version 1), integers as unsigned varints:
//
//	version byte (1)
//	n, invalid
//	if n > 0: Min and Max, 8 bytes each, little-endian IEEE 754
//	for Σx then Σx²: k, the number of 32-bit digits of its magnitude from
//	  the lowest non-zero one to the highest; if k > 0: the index of the
//	  lowest, a sign byte (0 or 1; always 0 for Σx²), the k digits
//
// It is canonical: equal accumulators, however built, encode to equal
// bytes. Values of similar magnitudes take a few dozen to a few hundred
// bytes, independent of n.
const version = 1

// MarshalBinary encodes m (encoding.BinaryMarshaler).
func (m *Moments) MarshalBinary() ([]byte, error) { return m.AppendBinary(nil) }

// AppendBinary appends the encoding of m to b (encoding.BinaryAppender).
func (m *Moments) AppendBinary(b []byte) ([]byte, error) {
	b = append(b, version)
	b = binary.AppendUvarint(b, m.n)
	b = binary.AppendUvarint(b, m.invalid)
	if m.n > 0 {
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(m.min))
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(m.max))
	}
	s1, s2 := m.digits()
	b = appendDigits(b, s1[:])
	b = appendDigits(b, s2[:])
	return b, nil
}

// appendDigits normalises w (a scratch copy) and appends its encoding.
func appendDigits(b []byte, w []int64) []byte {
	normalize(w)
	sign := byte(0)
	if w[len(w)-1] < 0 {
		sign = 1
		for i := range w {
			w[i] = -w[i]
		}
		normalize(w)
	}
	lo, hi := -1, -1
	for i, d := range w {
		if d != 0 {
			if lo < 0 {
				lo = i
			}
			hi = i
		}
	}
	if lo < 0 {
		return binary.AppendUvarint(b, 0)
	}
	b = binary.AppendUvarint(b, uint64(hi-lo+1))
	b = binary.AppendUvarint(b, uint64(lo))
	b = append(b, sign)
	for _, d := range w[lo : hi+1] {
		b = binary.AppendUvarint(b, uint64(d))
	}
	return b
}

// ErrFormat is wrapped by every error of UnmarshalBinary.
var ErrFormat = errors.New("xsum: invalid encoding")

// UnmarshalBinary replaces m by the accumulator encoded in data
// (encoding.BinaryUnmarshaler). It validates everything: the version; Min
// and Max finite, ordered and not −0 when n > 0, absent when n = 0; every
// digit below 2^32, the lowest and highest non-zero, within the words; no
// trailing bytes; and that the sums are those of n values in [Min, Max]:
// n·Min ≤ Σx ≤ n·Max, n·Σx² ≥ (Σx)², Σx² ≤ n·max(Min², Max²), and both sums
// zero when n = 0. On error m is unchanged. It allocates no more than a few
// kilobytes, whatever the data.
func (m *Moments) UnmarshalBinary(data []byte) error {
	d := newDecoder(data)
	if v := d.Byte(); d.Err == nil && v != version {
		return fmt.Errorf("%w: version %d, want %d", ErrFormat, v, version)
	}
	var t Moments
	t.n = d.Uvarint("count")
	t.invalid = d.Uvarint("invalid count")
	if t.n > 0 {
		t.min = d.Float("min")
		t.max = d.Float("max")
	}
	neg1 := d.digits(t.s1[:], "sum")
	neg2 := d.digits(t.s2[:], "sum of squares")
	if d.Err != nil {
		return d.Err
	}
	if len(d.B) != 0 {
		return fmt.Errorf("%w: %d trailing bytes", ErrFormat, len(d.B))
	}
	if neg2 {
		return fmt.Errorf("%w: negative sum of squares", ErrFormat)
	}
	if neg1 {
		for i := range t.s1 {
			t.s1[i] = -t.s1[i]
		}
	}
	if err := t.check(); err != nil {
		return err
	}
	*m = t // m.left = 0: the next Add normalises
	return nil
}

// check verifies that t's sums can be those of t.n values in [t.min, t.max].
func (t *Moments) check() error {
	s1, s2 := t.sum1(), t.sum2()
	if t.n == 0 {
		if s1.Sign() != 0 || s2.Sign() != 0 {
			return fmt.Errorf("%w: non-zero sums of no values", ErrFormat)
		}
		return nil
	}
	if !(t.min <= t.max) || math.IsInf(t.min, 0) || math.IsInf(t.max, 0) {
		return fmt.Errorf("%w: min %g, max %g: want finite min ≤ max", ErrFormat, t.min, t.max)
	}
	if t.min == 0 && math.Signbit(t.min) || t.max == 0 && math.Signbit(t.max) {
		return fmt.Errorf("%w: min or max is −0 (Moments keeps +0)", ErrFormat)
	}
	n := new(big.Int).SetUint64(t.n)
	// In units of 2^-1074, Min and Max are integers.
	lo, hi := fixed(t.min), fixed(t.max)
	if s := s1; s.Cmp(lo.Mul(lo, n)) < 0 || s.Cmp(new(big.Int).Mul(hi, n)) > 0 {
		return fmt.Errorf("%w: sum outside [n·min, n·max]", ErrFormat)
	}
	// In units of 2^-2148, squares of integers in units of 2^-1074.
	top := fixed(math.Max(math.Abs(t.min), math.Abs(t.max)))
	top.Mul(top, top)
	if s2.Cmp(top.Mul(top, n)) > 0 {
		return fmt.Errorf("%w: sum of squares above n·max(min², max²)", ErrFormat)
	}
	if new(big.Int).Mul(s2, n).Cmp(new(big.Int).Mul(s1, s1)) < 0 {
		return fmt.Errorf("%w: n·Σx² < (Σx)²", ErrFormat)
	}
	return nil
}

// fixed returns the finite x in units of 2^-1074.
func fixed(x float64) *big.Int {
	z, _ := new(big.Float).SetMantExp(big.NewFloat(x), -sumExp).Int(nil)
	return z
}

// decoder reads the encoding, keeping the first error (wire.Decoder: bytes,
// canonical varints, float64s).
type decoder struct{ wire.Decoder }

func newDecoder(data []byte) *decoder {
	return &decoder{wire.Decoder{B: data, Sentinel: ErrFormat}}
}

// digits reads a magnitude into w and returns its sign.
func (d *decoder) digits(w []int64, what string) (neg bool) {
	k := d.Uvarint(what + " length")
	if d.Err != nil || k == 0 {
		return false
	}
	lo := d.Uvarint(what + " lowest digit")
	if d.Err == nil && (k > uint64(len(w)) || lo > uint64(len(w))-k) {
		d.Fail("%s: digits [%d, %d+%d) outside [0, %d)", what, lo, lo, k, len(w))
	}
	sign := d.Byte()
	if d.Err == nil && sign > 1 {
		d.Fail("%s: sign byte %d", what, sign)
	}
	if d.Err != nil {
		return false
	}
	for i := range int(k) {
		v := d.Uvarint(what + " digit")
		if d.Err == nil && v > digitMask {
			d.Fail("%s: digit %d ≥ 2^32", what, v)
		}
		if d.Err == nil && v == 0 && (i == 0 || i == int(k)-1) {
			d.Fail("%s: zero digit at an end", what)
		}
		if d.Err != nil {
			return false
		}
		w[int(lo)+i] = int64(v)
	}
	return sign == 1
}
