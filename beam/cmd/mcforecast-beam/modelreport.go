package main

import (
	"strconv"

	"github.com/mcforecast/mcforecast/forecast"
)

// buildModelReport is buildReport for a model registered by name (-model),
// which has no scenario: every metric is a row (years of a series are
// numbered from 1, the base year being 0), and the sensitivities are those
// of the first scalar output.
func buildModelReport(name string, res *forecast.Result, cfg *config) *report {
	opts := res.Options()
	r := &report{
		scenario:  name,
		trials:    res.Trials(),
		seed:      opts.Seed,
		method:    opts.Method.String(),
		workers:   opts.Workers,
		streaming: opts.Streaming,
		elapsed:   res.Elapsed(),
		levels:    cfg.percentiles,
	}
	for _, p := range cfg.percentiles {
		r.pctText = append(r.pctText, strconv.FormatFloat(p*100, 'f', -1, 64))
	}
	var first *forecast.Metric
	for _, m := range res.Metrics() {
		r.rows = append(r.rows, r.stat(m, m.Name(), m.Year()))
		if first == nil && m.Year() == 0 && !res.IsSeries(m.Name()) {
			first = m
		}
	}
	switch {
	case first == nil:
		r.sensNote = "no scalar output"
	case opts.Streaming:
		r.sensOf = first.Name()
		r.sensNote = "sensitivities need every draw: not available with -streaming"
	default:
		r.sensOf = first.Name()
		sens := first.Sensitivity()
		if len(sens) > topInputs {
			sens = sens[:topInputs]
		}
		r.sens = sens
		if len(sens) == 0 {
			r.sensNote = "no varying input"
		}
	}
	return r
}
