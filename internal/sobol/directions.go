package sobol

import (
	_ "embed"
	"fmt"
)

// joeKuo holds the primitive polynomials and initial direction numbers of
// dimensions 2 to 21201 of new-joe-kuo-6.21201 (Joe and Kuo 2008; licence in
// LICENSE.joe-kuo), as scipy ships them (scipy/stats/_sobol_direction_numbers.npz;
// gen_joekuo.py regenerates this file byte for byte from an installed scipy,
// e.g. Debian's python3-scipy), in order, packed as a little-endian bit stream (bit 0 of
// byte 0 first; a field of w bits takes the next w bits, least significant
// first). Per dimension:
//
//	s          5 bits     degree of the primitive polynomial (1..18)
//	a          s-1 bits   its inner coefficients, as in the Joe–Kuo file
//	m_k >> 1   k-1 bits   for k = 1..s; every m_k is odd and below 2^k
//
// 406,876 bytes against 1.8 MB for the text file; decoding one dimension
// costs O(s) bit reads. Dimension 1 (the van der Corput sequence, m_k = 1)
// is not stored.
//
//go:embed joekuo.bin
var joeKuo []byte

// MaxDims is the largest dimension New accepts: the number of dimensions
// of the Joe–Kuo direction numbers new-joe-kuo-6.21201.
const MaxDims = 21201

// bitReader reads the fields of joeKuo.
type bitReader struct {
	buf []byte
	pos int // in bits
}

func (r *bitReader) read(w int) (uint64, error) {
	var v uint64
	for i := 0; i < w; i++ {
		byteAt := r.pos >> 3
		if byteAt >= len(r.buf) {
			return 0, fmt.Errorf("sobol: direction-number table ends at byte %d", len(r.buf))
		}
		v |= uint64(r.buf[byteAt]>>(r.pos&7)&1) << i
		r.pos++
	}
	return v, nil
}

// directions fills v[d*64+k] (d < dims, k < 64) with the 64-bit direction
// number V_{k+1} of dimension d+1, bit-reversed: V_k = m_k·2^(64-k) where the
// m_k beyond the degree s of the dimension's polynomial follow the
// Bratley–Fox recurrence
//
//	m_k = 2a_1 m_{k-1} ⊕ 4a_2 m_{k-2} ⊕ … ⊕ 2^(s-1)a_{s-1} m_{k-s+1} ⊕ 2^s m_{k-s} ⊕ m_{k-s}
//
// carried on to k = 64, so the points are exact for indices up to 2^64-1.
// Cost O(dims·64·s) plus O(s²) bit reads per dimension.
func directions(dims int, v []uint64) error {
	var m [65]uint64 // m[1..64]
	r := bitReader{buf: joeKuo}
	for d := 0; d < dims; d++ {
		if d == 0 { // van der Corput: every m_k = 1
			for k := 1; k <= 64; k++ {
				m[k] = 1
			}
		} else if err := next(&r, &m); err != nil {
			return err
		}
		row := v[d*64 : (d+1)*64]
		for k := 1; k <= 64; k++ {
			row[k-1] = reverse(m[k] << (64 - k))
		}
	}
	return nil
}

// next reads one dimension's degree, polynomial and initial m_k from r and
// extends m_k to k = 64 by the recurrence.
func next(r *bitReader, m *[65]uint64) error {
	sv, err := r.read(5)
	if err != nil {
		return err
	}
	s := int(sv)
	a, err := r.read(s - 1)
	if err != nil {
		return err
	}
	for k := 1; k <= s; k++ {
		h, err := r.read(k - 1)
		if err != nil {
			return err
		}
		m[k] = h<<1 | 1
	}
	for k := s + 1; k <= 64; k++ {
		x := m[k-s] ^ m[k-s]<<s
		for j := 1; j < s; j++ {
			if a>>(s-1-j)&1 == 1 {
				x ^= m[k-j] << j
			}
		}
		m[k] = x
	}
	return nil
}
