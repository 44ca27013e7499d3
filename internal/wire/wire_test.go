package wire

import (
	"errors"
	"testing"
)

var errTest = errors.New("test format")

func TestDecoder(t *testing.T) {
	for _, c := range []struct {
		name string
		b    []byte
		read func(d *Decoder)
		ok   bool
	}{
		{"byte", []byte{7}, func(d *Decoder) { d.Byte() }, true},
		{"no byte", nil, func(d *Decoder) { d.Byte() }, false},
		{"varint", []byte{0x81, 0x01}, func(d *Decoder) { d.Uvarint("n") }, true},
		{"non-minimal varint", []byte{0x81, 0x00}, func(d *Decoder) { d.Uvarint("n") }, false},
		{"truncated varint", []byte{0x81}, func(d *Decoder) { d.Uvarint("n") }, false},
		{"float", make([]byte, 8), func(d *Decoder) { d.Float("x") }, true},
		{"short float", make([]byte, 7), func(d *Decoder) { d.Float("x") }, false},
	} {
		d := &Decoder{B: c.b, Sentinel: errTest}
		c.read(d)
		if ok := d.Err == nil; ok != c.ok {
			t.Errorf("%s: error %v, want ok %v", c.name, d.Err, c.ok)
		}
		if d.Err != nil && !errors.Is(d.Err, errTest) {
			t.Errorf("%s: %v does not wrap the sentinel", c.name, d.Err)
		}
	}
	// After the first error every read returns 0 and the error stays.
	d := &Decoder{Sentinel: errTest}
	d.Byte()
	first := d.Err
	if d.Uvarint("n") != 0 || d.Float("x") != 0 || d.Err != first {
		t.Error("reads after a failure are not 0, or the first error was replaced")
	}
}
