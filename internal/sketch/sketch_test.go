package sketch

import (
	"bytes"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// distributions used by the accuracy and merge tests: n values each, drawn
// from fixed seeds.
var distributions = []struct {
	name string
	draw func(r *rand.Rand) float64
}{
	{"normal(0,1)", func(r *rand.Rand) float64 { return r.NormFloat64() }},
	{"normal(1e6,3e5)", func(r *rand.Rand) float64 { return 1e6 + 3e5*r.NormFloat64() }},
	{"lognormal(σ=2)", func(r *rand.Rand) float64 { return math.Exp(2 * r.NormFloat64()) }},
	{"negative lognormal", func(r *rand.Rand) float64 { return -math.Exp(r.NormFloat64()) }},
	{"uniform(-1,1) with 20% zeros", func(r *rand.Rand) float64 {
		if r.IntN(5) == 0 {
			return 0
		}
		return 2*r.Float64() - 1
	}},
	{"huge ±1e300", func(r *rand.Rand) float64 { return 1e300 * r.NormFloat64() }},
	{"tiny 1e-300", func(r *rand.Rand) float64 { return 1e-300 * math.Exp(r.NormFloat64()) }},
	{"extremes of the range", func(r *rand.Rand) float64 {
		return math.Ldexp(1+r.Float64(), 1023-r.IntN(20)) * float64(1-2*r.IntN(2))
	}},
	{"integers 0..9", func(r *rand.Rand) float64 { return float64(r.IntN(10)) }},
}

func draw(t testing.TB, seed uint64, n int, f func(*rand.Rand) float64) []float64 {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, 7))
	vs := make([]float64, n)
	for i := range vs {
		vs[i] = f(r)
	}
	return vs
}

// within reports whether est is within RelativeAccuracy of x, relative to
// scale, allowing two roundings of the representative's computation.
func within(est, x, scale float64) bool {
	return math.Abs(est-x) <= (RelativeAccuracy+4e-16)*math.Abs(scale)
}

func TestQuantileAccuracy(t *testing.T) {
	const n = 100_000
	for i, d := range distributions {
		t.Run(d.name, func(t *testing.T) {
			vs := draw(t, uint64(i), n, d.draw)
			s := New()
			s.AddBlock(vs)
			sorted := slices.Sorted(slices.Values(vs))
			if s.Count() != n || s.Min() != sorted[0] || s.Max() != sorted[n-1] {
				t.Fatalf("Count, Min, Max = %d, %g, %g; want %d, %g, %g", s.Count(), s.Min(), s.Max(), n, sorted[0], sorted[n-1])
			}
			// Every 37th rank, in descending order, with one walk.
			var ranks []uint64
			for r := n - 1; r >= 0; r -= 37 {
				ranks = append(ranks, uint64(r))
			}
			out := make([]float64, len(ranks))
			s.ValuesAtRanks(out, ranks)
			for i, r := range ranks {
				if !within(out[i], sorted[r], sorted[r]) {
					t.Fatalf("rank %d: %g, exact %g: relative error %.3g > %.4g", r, out[i], sorted[r], math.Abs(out[i]/sorted[r]-1), RelativeAccuracy)
				}
				if i%101 == 0 { // ValueAtRank agrees (one walk each: a sample)
					if got := s.ValueAtRank(r); got != out[i] {
						t.Fatalf("ValueAtRank(%d) = %g, ValuesAtRanks %g", r, got, out[i])
					}
				}
			}
			if v := s.ValueAtRank(n); !math.IsNaN(v) {
				t.Fatalf("ValueAtRank(n) = %g, want NaN", v)
			}
			for _, q := range []float64{0, 1e-4, 0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.9999, 1} {
				h := q * (n - 1)
				lo := int(math.Floor(h))
				hi := min(lo+1, n-1)
				want := sorted[lo] + (h-float64(lo))*(sorted[hi]-sorted[lo])
				scale := math.Max(math.Abs(sorted[lo]), math.Abs(sorted[hi]))
				if got := s.Quantile(q); !within(got, want, scale) {
					t.Errorf("Quantile(%g) = %g, exact type-7 %g", q, got, want)
				}
			}
		})
	}
}

func TestBelowAbove(t *testing.T) {
	vs := draw(t, 3, 50_000, distributions[0].draw)
	s := New()
	s.AddBlock(vs)
	count := func(pred func(float64) bool) uint64 {
		c := uint64(0)
		for _, v := range vs {
			if pred(v) {
				c++
			}
		}
		return c
	}
	for _, x := range []float64{-3, -1, -0.01, 0, 1e-9, 0.5, 1, 2.5} {
		// At bucket resolution: a value within RelativeAccuracy of x may be
		// counted on either side.
		e := RelativeAccuracy * math.Abs(x) * (1 + 1e-9)
		if got, lo, hi := s.Below(x), count(func(v float64) bool { return v < x-e }), count(func(v float64) bool { return v < x+e }); got < lo || got > hi {
			t.Errorf("Below(%g) = %d, want in [%d, %d]", x, got, lo, hi)
		}
		if got, lo, hi := s.Above(x), count(func(v float64) bool { return v > x+e }), count(func(v float64) bool { return v > x-e }); got < lo || got > hi {
			t.Errorf("Above(%g) = %d, want in [%d, %d]", x, got, lo, hi)
		}
	}
	if s.Below(s.Min()) != 0 || s.Above(s.Max()) != 0 || s.Below(math.Inf(1)) != s.Count() || s.Above(math.Inf(-1)) != s.Count() {
		t.Error("Below/Above at the extremes are not exact")
	}
	if s.Below(math.NaN()) != 0 || s.Above(math.NaN()) != 0 {
		t.Error("Below/Above(NaN) count values")
	}
}

func TestEdgeCases(t *testing.T) {
	var s Sketch // the zero value is ready to use
	if !math.IsNaN(s.Quantile(0.5)) || !math.IsNaN(s.Min()) || !math.IsNaN(s.ValueAtRank(0)) || s.Count() != 0 {
		t.Fatal("empty sketch: want NaN quantile, NaN Min, zero Count")
	}
	for _, v := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		s.Add(v)
	}
	if s.Invalid() != 3 || s.Count() != 0 {
		t.Fatalf("after NaN, ±Inf: Invalid, Count = %d, %d; want 3, 0", s.Invalid(), s.Count())
	}
	s.Add(math.Copysign(0, -1))
	s.Add(5e-324) // subnormal: counted as zero, exact in Min/Max
	if s.Count() != 2 || s.Min() != 0 || math.Signbit(s.Min()) || s.Max() != 5e-324 {
		t.Fatalf("after −0 and 5e-324: Count %d Min %g Max %g", s.Count(), s.Min(), s.Max())
	}
	if q := s.Quantile(2); !math.IsNaN(q) {
		t.Errorf("Quantile(2) = %g, want NaN", q)
	}
	if q := s.Quantile(math.NaN()); !math.IsNaN(q) {
		t.Errorf("Quantile(NaN) = %g, want NaN", q)
	}
	// One value: every quantile is that value.
	one := New()
	one.Add(-math.MaxFloat64)
	for _, q := range []float64{0, 0.3, 1} {
		if got := one.Quantile(q); got != -math.MaxFloat64 {
			t.Errorf("one value: Quantile(%g) = %g", q, got)
		}
	}
}

// TestMergeExact checks that merges of random splits, in shuffled nested
// order, give the bytes of one sketch of every value — including splits
// where the collapse of the smallest magnitudes happens in some parts only.
func TestMergeExact(t *testing.T) {
	wide := func(r *rand.Rand) float64 { // spans ±2^±600: collapses
		return math.Ldexp(1+r.Float64(), r.IntN(1200)-600) * float64(1-2*r.IntN(2))
	}
	cases := append(distributions[:len(distributions):len(distributions)],
		struct {
			name string
			draw func(r *rand.Rand) float64
		}{"wide (collapsing)", wide})
	for i, d := range cases {
		t.Run(d.name, func(t *testing.T) {
			vs := draw(t, uint64(100+i), 20_000, d.draw)
			vs = append(vs, math.NaN(), math.Inf(1), 0, math.Copysign(0, -1))
			whole := New()
			whole.AddBlock(vs)
			want, _ := whole.MarshalBinary()
			r := rand.New(rand.NewPCG(uint64(i), 9))
			for trial := range 5 {
				r.Shuffle(len(vs), func(a, b int) { vs[a], vs[b] = vs[b], vs[a] })
				// Random split into parts, each added with Add or AddBlock.
				var parts []*Sketch
				for rest := vs; len(rest) > 0; {
					k := min(len(rest), 1+r.IntN(3000))
					p := New()
					if trial%2 == 0 {
						// In two blocks: the second starts from a
						// populated sketch, as the engine's blocks do.
						p.AddBlock(rest[:k/2])
						p.AddBlock(rest[k/2 : k])
					} else {
						for _, v := range rest[:k] {
							p.Add(v)
						}
					}
					parts = append(parts, p)
					rest = rest[k:]
				}
				// Merge random pairs until one remains.
				for len(parts) > 1 {
					a := r.IntN(len(parts))
					b := r.IntN(len(parts) - 1)
					if b >= a {
						b++
					}
					parts[a].Merge(parts[b])
					parts = slices.Delete(parts, b, b+1)
				}
				got, _ := parts[0].MarshalBinary()
				if !bytes.Equal(got, want) {
					t.Fatalf("trial %d: merged sketch encodes differently from the single sketch", trial)
				}
				if parts[0].Count() != whole.Count() || parts[0].Quantile(0.3) != whole.Quantile(0.3) {
					t.Fatalf("trial %d: merged Count/Quantile differ", trial)
				}
			}
		})
	}
}

// TestCollapse checks the memory cap and the accuracy left after a
// collapse: values of one sign spanning more than MaxBinades binades.
func TestCollapse(t *testing.T) {
	orders := map[string]func([]float64){
		"increasing": func(vs []float64) { slices.Sort(vs) },
		"decreasing": func(vs []float64) { slices.Sort(vs); slices.Reverse(vs) },
		"random":     func([]float64) {},
	}
	for name, order := range orders {
		t.Run(name, func(t *testing.T) {
			// Every binade of the positive range, and of the negative.
			r := rand.New(rand.NewPCG(5, 5))
			var vs []float64
			for e := -1022; e <= 1023; e++ {
				for range 4 {
					v := math.Ldexp(1+r.Float64(), e)
					vs = append(vs, v, -v)
				}
			}
			vs = vs[:len(vs)-1] // leave one more positive than negative
			order(vs)
			s := New()
			for _, v := range vs {
				s.Add(v)
			}
			if b := s.bytes(); b > MaxBytes {
				t.Fatalf("counts take %d bytes, cap %d", b, MaxBytes)
			}
			if !s.st[0].collapsed || !s.st[1].collapsed {
				t.Fatal("values spanning 2046 binades did not collapse")
			}
			sorted := slices.Sorted(slices.Values(vs))
			n := len(sorted)
			ranks := make([]uint64, n)
			for r := range ranks {
				ranks[r] = uint64(r)
			}
			got := make([]float64, n)
			s.ValuesAtRanks(got, ranks)
			for r, x := range sorted {
				// Within 2^-63 of the largest magnitude of x's sign when
				// collapsed, else within the relative bound.
				top := math.Abs(sorted[0])
				if x > 0 {
					top = sorted[n-1]
				}
				if !within(got[r], x, x) && !(math.Abs(got[r]-x) <= 0x1p-63*top) {
					t.Fatalf("rank %d: %g, exact %g", r, got[r], x)
				}
			}
			// The largest MaxBinades binades of each sign keep full
			// accuracy (4 values a binade).
			for r := n - 1; r > n-4*MaxBinades+8; r-- {
				if !within(got[r], sorted[r], sorted[r]) {
					t.Fatalf("rank %d: %g, exact %g (not collapsed)", r, got[r], sorted[r])
				}
			}
			for r := 0; r < 4*MaxBinades-8; r++ {
				if !within(got[r], sorted[r], sorted[r]) {
					t.Fatalf("rank %d: %g, exact %g (not collapsed)", r, got[r], sorted[r])
				}
			}
		})
	}
}

// bytes returns the bytes of counts s holds.
func (s *Sketch) bytes() int { return 8 * (cap(s.st[0].buf) + cap(s.st[1].buf)) }

func TestAddAllocs(t *testing.T) {
	vs := draw(t, 1, 1<<14, distributions[1].draw)
	s := New()
	s.AddBlock(vs)
	i := 0
	if a := testing.AllocsPerRun(1000, func() { s.Add(vs[i%len(vs)]); i++ }); a != 0 {
		t.Errorf("Add allocates %g times per call after warm-up", a)
	}
	if a := testing.AllocsPerRun(10, func() { s.AddBlock(vs) }); a != 0 {
		t.Errorf("AddBlock allocates %g times per call after warm-up", a)
	}
}

func TestReset(t *testing.T) {
	vs := draw(t, 8, 10_000, distributions[2].draw)
	s := New()
	s.AddBlock(draw(t, 9, 10_000, distributions[5].draw))
	s.Add(math.NaN())
	s.Reset()
	s.AddBlock(vs)
	fresh := New()
	fresh.AddBlock(vs)
	a, _ := s.MarshalBinary()
	b, _ := fresh.MarshalBinary()
	if !bytes.Equal(a, b) {
		t.Error("a reset sketch fed the same values differs from a new one")
	}
}

func TestMarshalRoundTrip(t *testing.T) {
	for i, d := range distributions {
		s := New()
		s.AddBlock(draw(t, uint64(i), 5000, d.draw))
		s.Add(math.NaN())
		data, err := s.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		var u Sketch
		if err := u.UnmarshalBinary(data); err != nil {
			t.Fatalf("%s: %v", d.name, err)
		}
		again, _ := u.MarshalBinary()
		if !bytes.Equal(data, again) || u.Count() != s.Count() || u.Invalid() != 1 || u.Quantile(0.9) != s.Quantile(0.9) {
			t.Fatalf("%s: round trip changed the sketch", d.name)
		}
		// The decoded sketch keeps working: add and merge.
		u.Merge(s)
		u.Add(1)
		if u.Count() != 2*s.Count()+1 {
			t.Fatalf("%s: decoded sketch: Count %d after merge and add", d.name, u.Count())
		}
	}
	var empty Sketch
	data, _ := empty.MarshalBinary()
	var u Sketch
	if err := u.UnmarshalBinary(data); err != nil || u.Count() != 0 {
		t.Fatalf("empty sketch: %v", err)
	}
	u.Add(3)
	if u.Min() != 3 || u.Max() != 3 {
		t.Fatal("decoded empty sketch: Min/Max wrong after Add")
	}
}

func TestUnmarshalRejects(t *testing.T) {
	good := New()
	good.AddBlock([]float64{-2, 0, 1, 3})
	data, _ := good.MarshalBinary()
	// data: version, invalid, zero, pos{k=2, idx, 1, gap, 1}, neg{k=1, idx(3 bytes), 1}, min, max
	f64 := func(v float64) []byte {
		b := make([]byte, 8)
		for i := range b {
			b[i] = byte(math.Float64bits(v) >> (8 * i))
		}
		return b
	}
	tail := len(data) - 16
	tests := []struct {
		name string
		data []byte
	}{
		{"empty", nil},
		{"version", append([]byte{2}, data[1:]...)},
		{"truncated", data[:len(data)-1]},
		{"trailing", append(slices.Clone(data), 0)},
		{"min not in lowest bucket", append(slices.Clone(data[:tail]), append(f64(-2.5), f64(3)...)...)},
		{"max not in highest bucket", append(slices.Clone(data[:tail]), append(f64(-2), f64(3.5)...)...)},
		{"min > max", append(slices.Clone(data[:tail]), append(f64(3), f64(-2)...)...)},
		{"NaN min", append(slices.Clone(data[:tail]), append(f64(math.NaN()), f64(3)...)...)},
		{"−0 min", []byte{1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x80, 0, 0, 0, 0, 0, 0, 0, 0}},
		{"bucket count beyond data", []byte{1, 0, 0, 0xff, 0xff, 0x03, 0, 0}},
		{"index below the normal range", []byte{1, 0, 0, 1, 5, 1, 0, 0}},
		{"zero count", []byte{1, 0, 0, 1, 0x80, 0x10, 0, 0}},
		{"overflowing zero count", append([]byte{1, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 1, 0x80, 0x10, 1, 0}, make([]byte, 16)...)},
		{"non-minimal varint", []byte{1, 0x80, 0x00, 0, 0, 0}},
		{"overlong varint", []byte{1, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01}},
	}
	for _, tc := range tests {
		var s Sketch
		s.Add(42)
		if err := s.UnmarshalBinary(tc.data); !errors.Is(err, ErrFormat) {
			t.Errorf("%s: err = %v, want ErrFormat", tc.name, err)
		}
		if s.Count() != 1 || s.Max() != 42 {
			t.Errorf("%s: a failed decode changed the sketch", tc.name)
		}
	}
}

func FuzzUnmarshalBinary(f *testing.F) {
	for i, d := range distributions {
		s := New()
		s.AddBlock(draw(f, uint64(i), 50, d.draw))
		data, _ := s.MarshalBinary()
		f.Add(data)
	}
	f.Add([]byte{1, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		var s Sketch
		if err := s.UnmarshalBinary(data); err != nil {
			return
		}
		if b := s.bytes(); b > MaxBytes {
			t.Fatalf("decoded sketch holds %d bytes, cap %d", b, MaxBytes)
		}
		// Accepted data is canonical: it re-encodes to itself.
		again, _ := s.MarshalBinary()
		if !bytes.Equal(again, data) {
			t.Fatalf("accepted %x, re-encodes as %x", data, again)
		}
		// And it behaves: quantiles ordered, within [Min, Max].
		if s.Count() > 0 {
			a, b := s.Quantile(0.25), s.Quantile(0.75)
			if !(s.Min() <= a && a <= b && b <= s.Max()) {
				t.Fatalf("quantiles %g, %g outside [%g, %g] or unordered", a, b, s.Min(), s.Max())
			}
		}
		s.Add(1)
		s.Merge(&s)
	})
}
