package forecast

import (
	"math"

	"github.com/DataDog/sketches-go/ddsketch"
)

// SketchAccuracy is the relative accuracy of streaming percentiles: a
// percentile returned in streaming mode is within ±SketchAccuracy × |x| of
// the value x of the exact order statistic of the same rank. In rank terms,
// the error is the fraction of trials whose values lie within that relative
// distance of x — a density-dependent number that Metric.PercentileCI
// accounts for by widening the interval by the same relative amount.
//
// Streaming mode uses DDSketch (Masson, Rim and Lee, VLDB 2019; the
// github.com/DataDog/sketches-go implementation): logarithmic buckets whose
// counts are integers, so merging sketches is exact and independent of order,
// which keeps streaming results bit-identical for any number of workers.
const SketchAccuracy = 0.001

// sketchBins bounds each sign's bucket store: 2¹⁴ buckets of relative width
// 2·SketchAccuracy cover a dynamic range of e^32 ≈ 10¹⁴ between the largest
// and smallest magnitudes tracked at full accuracy (smaller magnitudes are
// collapsed into the lowest bucket). At most 256 KiB per sketch.
const sketchBins = 1 << 14

func newSketch() *ddsketch.DDSketch {
	s, err := ddsketch.LogCollapsingLowestDenseDDSketch(SketchAccuracy, sketchBins)
	if err != nil {
		panic("forecast: " + err.Error()) // constant arguments: cannot happen
	}
	return s
}

// sketchAdd adds the finite value v to s. Magnitudes beyond the sketch's
// largest indexable value (about 1.8e308/(1+2·SketchAccuracy)) are added
// at that value: the percentiles read from the sketch are clamped to the
// metric's exact Min and Max anyway.
func sketchAdd(s *ddsketch.DDSketch, v float64) {
	if s.Add(v) != nil {
		_ = s.Add(math.Copysign(s.IndexMapping.MaxIndexableValue(), v))
	}
}

// sketchBelow returns the number of values tracked by s that lie below x
// (at bucket resolution).
func sketchBelow(s *ddsketch.DDSketch, x float64) float64 {
	c := 0.0
	s.ForEach(func(v, n float64) bool {
		if v < x {
			c += n
		}
		return false
	})
	return c
}

// sketchAbove returns the number of values tracked by s that lie above x.
func sketchAbove(s *ddsketch.DDSketch, x float64) float64 {
	c := 0.0
	s.ForEach(func(v, n float64) bool {
		if v > x {
			c += n
		}
		return false
	})
	return c
}
