// Package plot draws charts of forecast results with gonum/plot: a
// histogram with percentile markers (Histogram), per-year bands around the
// median (FanChart), the inputs that drive an output (Tornado) and
// overlaid distributions (Compare).
//
// Every chart function takes the data and a plain Options struct whose zero
// value gives an 800 × 500 chart with titles and axis labels taken from the
// data, and returns a *Chart that writes PNG or SVG: Chart.Save chooses by
// the file's extension, Chart.Render writes to an io.Writer, and Chart.PNG
// returns bytes for a notebook's display.PNG.
//
// Text is drawn with the Liberation fonts that gonum/plot embeds, so no
// system font and no network access is needed; SVG files name Liberation
// Sans with Arial, Helvetica and sans-serif as fallbacks.
//
// Chart functions never panic on data a run can produce: a nil metric, a
// metric whose trials were all NaN, an empty series or no sensitivities
// are errors that say what is missing; values that are all equal, NaN
// trials and a single year are drawn.
//
// The exported API is non-generic so that gophernotes notebooks can call
// it (see examples/notebooks).
package plot
