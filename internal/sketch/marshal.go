package sketch

import (
	"github.com/mcforecast/mcforecast/internal/wire"

	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/bits"
)

// The encoding (version 1), all integers unsigned varints:
//
//	version byte (1)
//	invalid, zero
//	for the positive then the negative store:
//	  k, the number of non-empty buckets; if k > 0:
//	    the lowest non-empty bucket index, its count,
//	    then k−1 pairs (gap to the previous non-empty index ≥ 1, count ≥ 1)
//	if Count() > 0: Min and Max, 8 bytes each, little-endian IEEE 754
//
// The encoding is canonical: it depends only on the sketch's logical state,
// so equal sketches (however they were built) encode to equal bytes. A
// sketch whose values lie in a few binades takes a few bytes per non-empty
// bucket.
const version = 1

// MarshalBinary encodes the sketch (encoding.BinaryMarshaler). It allocates
// the returned slice only.
func (s *Sketch) MarshalBinary() ([]byte, error) {
	return s.AppendBinary(nil)
}

// AppendBinary appends the encoding of the sketch to b
// (encoding.BinaryAppender).
func (s *Sketch) AppendBinary(b []byte) ([]byte, error) {
	b = append(b, version)
	b = binary.AppendUvarint(b, s.invalid)
	b = binary.AppendUvarint(b, s.zero)
	for k := range s.st {
		st := &s.st[k]
		nb := 0
		for _, c := range st.c {
			if c != 0 {
				nb++
			}
		}
		b = binary.AppendUvarint(b, uint64(nb))
		prev := -1
		for j, c := range st.c {
			if c == 0 {
				continue
			}
			if prev < 0 {
				b = binary.AppendUvarint(b, uint64(st.off+j))
			} else {
				b = binary.AppendUvarint(b, uint64(j-prev))
			}
			b = binary.AppendUvarint(b, c)
			prev = j
		}
	}
	if s.n > 0 {
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(s.min))
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(s.max))
	}
	return b, nil
}

// ErrFormat is wrapped by every error of UnmarshalBinary.
var ErrFormat = errors.New("sketch: invalid encoding")

// UnmarshalBinary replaces s by the sketch encoded in data
// (encoding.BinaryUnmarshaler). It validates everything: the version, every
// bucket index (ascending, within the float64 range, one sign spanning at
// most MaxBuckets), every count (non-zero, no overflow of the total), Min and
// Max (finite, ordered, in the lowest and highest non-empty buckets), and no
// trailing bytes. On error s is unchanged. It allocates at most the counts of
// the buckets the data spans, so at most MaxBytes, and never more than about
// 8 KiB per byte of data.
func (s *Sketch) UnmarshalBinary(data []byte) error {
	d := newDecoder(data)
	if v := d.Byte(); d.Err == nil && v != version {
		return fmt.Errorf("%w: version %d, want %d", ErrFormat, v, version)
	}
	var t Sketch
	t.invalid = d.Uvarint("invalid count")
	t.zero = d.Uvarint("zero count")
	total := t.zero
	for k := range t.st {
		n := d.decodeStore(&t.st[k], k)
		var carry uint64
		total, carry = bits.Add64(total, n, 0)
		if carry != 0 && d.Err == nil {
			d.Err = fmt.Errorf("%w: counts overflow uint64", ErrFormat)
		}
	}
	t.n = total
	if t.n > 0 {
		t.min = d.Float("min")
		t.max = d.Float("max")
	}
	if d.Err != nil {
		return d.Err
	}
	if len(d.B) != 0 {
		return fmt.Errorf("%w: %d trailing bytes", ErrFormat, len(d.B))
	}
	if t.n == 0 {
		t.min, t.max = math.Inf(1), math.Inf(-1)
	} else if err := t.checkExtremes(); err != nil {
		return err
	}
	*s = t
	return nil
}

// checkExtremes checks that Min and Max are finite, ordered, and fall in the
// lowest and highest non-empty buckets.
func (s *Sketch) checkExtremes() error {
	if !(s.min <= s.max) || math.IsInf(s.min, 0) || math.IsInf(s.max, 0) {
		return fmt.Errorf("%w: min %g, max %g: want finite min ≤ max", ErrFormat, s.min, s.max)
	}
	if s.min == 0 && math.Signbit(s.min) || s.max == 0 && math.Signbit(s.max) {
		return fmt.Errorf("%w: min or max is −0 (a sketch keeps +0)", ErrFormat)
	}
	lo, hi := s.keyRange()
	if k := s.key(s.min); k != lo {
		return fmt.Errorf("%w: min %g is not in the lowest non-empty bucket", ErrFormat, s.min)
	}
	if k := s.key(s.max); k != hi {
		return fmt.Errorf("%w: max %g is not in the highest non-empty bucket", ErrFormat, s.max)
	}
	return nil
}

// key orders buckets as their values: −index for a negative bucket, 0 for
// the zero bucket, +index for a positive one. key(v) is the key of the
// bucket v is counted in (after any collapse).
func (s *Sketch) key(v float64) int {
	b := math.Float64bits(v)
	idx := int(b << 1 >> (shift + 1))
	if idx < minIndex {
		return 0
	}
	st := &s.st[b>>63]
	if st.collapsed {
		idx = max(idx, st.off)
	}
	if b>>63 != 0 {
		return -idx
	}
	return idx
}

// keyRange returns the keys of the lowest and highest non-empty buckets of a
// non-empty sketch.
func (s *Sketch) keyRange() (lo, hi int) {
	nlo, nhi, nok := s.st[1].nonEmpty()
	plo, phi, pok := s.st[0].nonEmpty()
	switch {
	case nok:
		lo = -nhi
	case s.zero > 0:
		lo = 0
	default:
		lo = plo
	}
	switch {
	case pok:
		hi = phi
	case s.zero > 0:
		hi = 0
	default:
		hi = -nlo
	}
	return lo, hi
}

// decoder reads the encoding, keeping the first error (wire.Decoder: bytes,
// canonical varints, float64s).
type decoder struct{ wire.Decoder }

func newDecoder(data []byte) *decoder {
	return &decoder{wire.Decoder{B: data, Sentinel: ErrFormat}}
}

// decodeStore reads store k and returns its total count.
// storeLabels names store k's fields in decoding errors: constants, since
// building them per bucket (sign + " bucket index") took 60 % of decoding.
var storeLabels = [2]struct{ buckets, index, count string }{
	{"positive bucket count", "positive bucket index", "positive count"},
	{"negative bucket count", "negative bucket index", "negative count"},
}

func (d *decoder) decodeStore(st *store, k int) uint64 {
	sign := [2]string{"positive", "negative"}[k]
	lab := &storeLabels[k]
	nb := d.Uvarint(lab.buckets)
	if d.Err != nil || nb == 0 {
		return 0
	}
	// Each bucket takes at least two bytes: refuse before allocating.
	if nb > uint64(len(d.B))/2 {
		d.Fail("%s: %d buckets in %d bytes", sign, nb, len(d.B))
		return 0
	}
	idx := make([]int, nb)
	cnt := make([]uint64, nb)
	total := uint64(0)
	for i := range idx {
		v := d.Uvarint(lab.index)
		if i > 0 && (v == 0 || v > maxIndex) {
			d.Fail("%s: bucket gap %d", sign, v)
		}
		if i == 0 {
			if v < minIndex || v > maxIndex {
				d.Fail("%s: bucket index %d outside [%d, %d]", sign, v, minIndex, maxIndex)
			}
			idx[i] = int(v)
		} else {
			idx[i] = idx[i-1] + int(v)
		}
		if d.Err == nil && idx[i]-idx[0] >= MaxBuckets {
			d.Fail("%s: buckets span more than %d", sign, MaxBuckets)
		}
		c := d.Uvarint(lab.count)
		if d.Err == nil && c == 0 {
			d.Fail("%s: empty bucket %d encoded", sign, idx[i])
		}
		var carry uint64
		total, carry = bits.Add64(total, c, 0)
		if carry != 0 {
			d.Fail("%s: counts overflow uint64", sign)
		}
		if d.Err != nil {
			return 0
		}
		cnt[i] = c
	}
	lo, hi := idx[0], idx[nb-1]
	if hi > maxIndex {
		d.Fail("%s: bucket index %d above %d", sign, hi, maxIndex)
		return 0
	}
	st.off = lo
	st.buf = make([]uint64, hi-lo+1)
	st.c = st.buf
	for i, j := range idx {
		st.c[j-lo] = cnt[i]
	}
	st.collapsed = hi-lo+1 == MaxBuckets
	return total
}
