// Package wire reads the compact binary encodings of internal/sketch and
// internal/xsum: bytes, canonical (minimal) unsigned varints and
// little-endian float64s, keeping the first error, wrapped in the
// package's own sentinel error.
package wire

import (
	"encoding/binary"
	"fmt"
	"math"
)

// Decoder reads B. After the first failure every read returns 0 and Err
// holds the error, which wraps Sentinel.
type Decoder struct {
	B        []byte
	Err      error
	Sentinel error // wrapped by every error, e.g. a package's ErrFormat
}

// Fail records an error unless one is recorded already.
func (d *Decoder) Fail(format string, args ...any) {
	if d.Err == nil {
		d.Err = fmt.Errorf("%w: "+format, append([]any{d.Sentinel}, args...)...)
	}
}

// Byte reads one byte.
func (d *Decoder) Byte() byte {
	if d.Err != nil {
		return 0
	}
	if len(d.B) == 0 {
		d.Fail("truncated")
		return 0
	}
	v := d.B[0]
	d.B = d.B[1:]
	return v
}

// Uvarint reads an unsigned varint, refusing a truncated, overlong or
// non-minimal one (the encodings are canonical: equal values, equal bytes).
func (d *Decoder) Uvarint(what string) uint64 {
	if d.Err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.B)
	if n <= 0 || n > 1 && d.B[n-1] == 0 { // non-minimal: not canonical
		d.Fail("%s: truncated, overlong or non-minimal varint", what)
		return 0
	}
	d.B = d.B[n:]
	return v
}

// Float reads a little-endian float64.
func (d *Decoder) Float(what string) float64 {
	if d.Err != nil {
		return 0
	}
	if len(d.B) < 8 {
		d.Fail("%s: truncated", what)
		return 0
	}
	v := math.Float64frombits(binary.LittleEndian.Uint64(d.B))
	d.B = d.B[8:]
	return v
}
