package forecast

import "github.com/mcforecast/mcforecast/internal/sketch"

// SketchAccuracy is the relative accuracy of streaming percentiles: a
// percentile returned in streaming mode is within ±SketchAccuracy × |x| of
// the value x of the exact order statistic of the same rank. In rank terms,
// the error is the fraction of trials whose values lie within that relative
// distance of x — a density-dependent number that Metric.PercentileCI
// accounts for by widening the interval by the same relative amount.
//
// Streaming mode keeps a log-linear histogram per output value (package
// internal/sketch: HdrHistogram's bucket layout, DDSketch's guarantee, the
// bucket found from the float's exponent and top 9 significand bits, about
// 2 ns a value). Its achieved accuracy is 1/1025 ≈ 9.756e-4, which this
// constant rounds up to a round figure. Its counts are integers, so merging
// sketches is exact and independent of order, which keeps streaming results
// bit-identical for any number of workers and any split of a run.
const SketchAccuracy = 0.001

// sketchBins is the most bucket counts one sign of a sketch holds: each
// sketch holds at most 2·sketchBins·8 = sketch.MaxBytes bytes of counts
// (544 KiB), whatever it is fed, and usually far less: about 4 KiB per
// binade its values span.
const sketchBins = sketch.MaxBytes / 16
