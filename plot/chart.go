package plot

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	gonum "gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Default chart size in pixels.
const (
	DefaultWidth  = 800
	DefaultHeight = 500
)

// dpi is the resolution at which a chart of Width × Height pixels is drawn:
// 96 dots per inch, the CSS pixel, so a PNG and an SVG of the same chart
// show at the same size in a browser.
const dpi = 96

// maxPixels bounds Width × Height (100 megapixels) so that a mistyped size
// fails with an error rather than exhausting memory.
const maxPixels = 100_000_000

// Options configures a chart. The zero value draws an 800 × 500 chart with
// titles and labels taken from the data; every field is optional.
type Options struct {
	// Title is the chart's title ("" means a title from the output's name).
	Title string
	// Output names the output a tornado's sensitivities are of; the default
	// tornado title names it.
	Output string
	// XLabel and YLabel replace the default axis labels (the value axis
	// gets Unit appended).
	XLabel, YLabel string
	// Unit is the unit of the values, e.g. "$B" or "%". It is appended in
	// parentheses to the value axis's label and after marker values.
	Unit string
	// Width and Height are the size in pixels (0 means DefaultWidth ×
	// DefaultHeight). An SVG has the same size at 96 pixels per inch.
	Width, Height int
	// Bins is the number of histogram bins of Histogram and Compare
	// (0 means 60).
	Bins int
	// FirstYear is the calendar year of year 1 on a FanChart's axis and in
	// a Tornado's labels of series inputs
	// (0 labels the years 1, 2, …).
	FirstYear int
	// Contribution makes a Tornado show each input's contribution to
	// variance (in %) instead of its signed rank correlation.
	Contribution bool
	// Bars is the largest number of bars of a Tornado, largest first
	// (0 means 12).
	Bars int
}

// size returns the chart size in pixels with defaults filled in, or an
// error for a negative or huge size.
func (o Options) size() (w, h int, err error) {
	w, h = o.Width, o.Height
	if w == 0 {
		w = DefaultWidth
	}
	if h == 0 {
		h = DefaultHeight
	}
	if w < 0 || h < 0 || w*h > maxPixels || w > maxPixels || h > maxPixels {
		return 0, 0, fmt.Errorf("plot: size %d × %d pixels, want positive sizes up to %d pixels in all", o.Width, o.Height, maxPixels)
	}
	return w, h, nil
}

// axisLabel returns label, with the unit in parentheses when there is one
// and the label does not already end with it.
func (o Options) axisLabel(label string) string {
	if o.Unit == "" || strings.HasSuffix(label, "("+o.Unit+")") {
		return label
	}
	return label + " (" + o.Unit + ")"
}

// Chart is a drawn chart, ready to be written as PNG or SVG any number of
// times. Build one with Histogram, FanChart, Tornado or Compare.
type Chart struct {
	plot          *gonum.Plot
	width, height int
}

// Plot returns the underlying gonum plot, for changes the Options do not
// cover (colours, extra plotters, axis ranges). Changes show in later
// writes.
func (c *Chart) Plot() *gonum.Plot { return c.plot }

// Size returns the chart's size in pixels.
func (c *Chart) Size() (width, height int) { return c.width, c.height }

// Render writes the chart to w in the given format: "png" or "svg" (case
// does not matter, a leading dot is allowed). Cost: drawing is O(bins +
// markers); a PNG is rasterised and compressed, about 20 ms at 800 × 500.
func (c *Chart) Render(w io.Writer, format string) error {
	if c == nil || c.plot == nil {
		return errors.New("plot: Render of a nil Chart")
	}
	switch strings.ToLower(strings.TrimPrefix(format, ".")) {
	case "png":
		img := image.NewRGBA(image.Rect(0, 0, c.width, c.height))
		cv := vgimg.NewWith(vgimg.UseImage(img), vgimg.UseDPI(dpi))
		c.plot.Draw(pad(draw.New(cv)))
		_, err := vgimg.PngCanvas{Canvas: cv}.WriteTo(w)
		return err
	case "svg":
		cv := vgsvg.New(pixels(c.width), pixels(c.height))
		c.plot.Draw(pad(draw.New(cv)))
		var buf bytes.Buffer
		if _, err := cv.WriteTo(&buf); err != nil {
			return err
		}
		_, err := w.Write(svgFontFallback(buf.Bytes()))
		return err
	}
	return fmt.Errorf("plot: format %q, want png or svg", format)
}

// Save writes the chart to the named file, as PNG or SVG by the file's
// extension (.png or .svg).
func (c *Chart) Save(path string) (err error) {
	ext := filepath.Ext(path)
	switch strings.ToLower(ext) {
	case ".png", ".svg":
	default:
		return fmt.Errorf("plot: Save %q: extension %q, want .png or .svg", path, ext)
	}
	var buf bytes.Buffer
	if err := c.Render(&buf, ext); err != nil {
		return err
	}
	return os.WriteFile(path, buf.Bytes(), 0o644)
}

// PNG returns the chart as PNG bytes, e.g. for display.PNG in a notebook.
func (c *Chart) PNG() ([]byte, error) {
	var buf bytes.Buffer
	err := c.Render(&buf, "png")
	return buf.Bytes(), err
}

// SVG returns the chart as an SVG document.
func (c *Chart) SVG() ([]byte, error) {
	var buf bytes.Buffer
	err := c.Render(&buf, "svg")
	return buf.Bytes(), err
}

// pad leaves a margin of 6 points around a chart, so that no text
// touches the edge of the image.
func pad(c draw.Canvas) draw.Canvas {
	m := vg.Points(6)
	return draw.Crop(c, m, -m, m, -m)
}

// pixels converts a length in pixels at dpi to a vg.Length.
func pixels(n int) vg.Length { return vg.Length(n) * vg.Inch / dpi }

// svgFontFallback adds fallbacks to the SVG's font families: gonum names
// the embedded Liberation fonts that laid the text out, which a viewer may
// not have; Arial and Helvetica have the same metrics as Liberation Sans.
func svgFontFallback(b []byte) []byte {
	return bytes.ReplaceAll(b, []byte("font-family:Liberation Sans;"),
		[]byte("font-family:'Liberation Sans',Arial,Helvetica,sans-serif;"))
}

// Colours of the charts (Tableau 10, readable for most colour-blind
// viewers).
var (
	blue   = color.RGBA{R: 0x4e, G: 0x79, B: 0xa7, A: 0xff}
	orange = color.RGBA{R: 0xf2, G: 0x8e, B: 0x2b, A: 0xff}
	red    = color.RGBA{R: 0xe1, G: 0x57, B: 0x59, A: 0xff}
	green  = color.RGBA{R: 0x59, G: 0xa1, B: 0x4f, A: 0xff}
	purple = color.RGBA{R: 0xb0, G: 0x7a, B: 0xa1, A: 0xff}
	teal   = color.RGBA{R: 0x76, G: 0xb7, B: 0xb2, A: 0xff}
	dark   = color.RGBA{R: 0x22, G: 0x22, B: 0x22, A: 0xff}
	grey   = color.RGBA{R: 0x99, G: 0x99, B: 0x99, A: 0xff}

	palette = []color.RGBA{blue, orange, green, red, purple, teal}
)

// fade returns c with alpha a (premultiplied, as image/color wants).
func fade(c color.RGBA, a float64) color.RGBA {
	return color.RGBA{
		R: uint8(float64(c.R) * a), G: uint8(float64(c.G) * a),
		B: uint8(float64(c.B) * a), A: uint8(255 * a),
	}
}

// sans returns the embedded Liberation Sans at size points: gonum/plot
// embeds the Liberation fonts, so no system font or network is needed.
func sans(size vg.Length) font.Font {
	return font.From(font.Font{Typeface: "Liberation", Variant: "Sans"}, size)
}

// textStyle returns a text style in Liberation Sans.
func textStyle(size vg.Length, c color.Color) text.Style {
	return text.Style{Color: c, Font: sans(size), Handler: gonum.DefaultTextHandler}
}

// newPlot returns a gonum plot with the chart's fonts, title and labels.
func newPlot(title, xlabel, ylabel string) *gonum.Plot {
	p := gonum.New()
	p.Title.Text = title
	p.Title.TextStyle.Font = sans(14)
	p.Title.Padding = vg.Points(8)
	for _, ax := range []*gonum.Axis{&p.X, &p.Y} {
		ax.Label.TextStyle.Font = sans(11)
		ax.Tick.Label.Font = sans(10)
		ax.Label.Padding = vg.Points(4)
	}
	p.X.Label.Text = xlabel
	p.Y.Label.Text = ylabel
	p.Legend.TextStyle.Font = sans(10)
	return p
}

// newChart wraps p at the options' size.
func newChart(p *gonum.Plot, o Options) (*Chart, error) {
	w, h, err := o.size()
	if err != nil {
		return nil, err
	}
	return &Chart{plot: p, width: w, height: h}, nil
}

// decimals returns the number of decimals that shows values spread over
// span to about three significant digits.
func decimals(span float64) int {
	if !(span > 0) || math.IsInf(span, 0) {
		return 2
	}
	d := 2 - int(math.Floor(math.Log10(span)))
	if d < 0 {
		return 0
	}
	if d > 8 {
		return 8
	}
	return d
}

// format formats v with d decimals, a true minus sign and the unit (if any)
// after it.
func format(v float64, d int, unit string) string {
	s := strconv.FormatFloat(v, 'f', d, 64)
	if strings.HasPrefix(s, "-") {
		s = "−" + s[1:]
	}
	if unit != "" {
		s += " " + unit
	}
	return s
}

// withNote returns an axis label with a note in smaller words on a second
// line, or the label alone when the note is "".
func withNote(label, note string) string {
	if note == "" {
		return label
	}
	return label + "\n(" + note + ")"
}

// invalidNote returns the note on invalid trials, "" when there are none.
func invalidNote(invalid, trials int) string {
	if invalid == 0 {
		return ""
	}
	return fmt.Sprintf("%d of %d trials gave NaN or ±Inf and are left out", invalid, trials)
}

// niceTicks marks about N labelled values at steps of 1, 2, 2.5 or 5 times
// a power of ten, with unlabelled minor ticks between them, and writes
// negative labels with a true minus sign.
type niceTicks struct{ N int }

// Ticks implements gonum's Ticker.
func (t niceTicks) Ticks(lo, hi float64) []gonum.Tick {
	if !(hi > lo) || math.IsInf(hi-lo, 0) || t.N < 1 {
		return gonum.DefaultTicks{}.Ticks(lo, hi)
	}
	raw := (hi - lo) / float64(t.N)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step, minor := 10*mag, 5.0
	for _, f := range []struct{ step, minor float64 }{{1, 5}, {2, 4}, {2.5, 5}, {5, 5}} {
		if f.step*mag >= raw {
			step, minor = f.step*mag, f.minor
			break
		}
	}
	d := decimals(step * 100)
	if math.Abs(step/mag-2.5) < 1e-9 && mag <= 1 {
		d++
	}
	var ts []gonum.Tick
	small := step / minor
	for k := math.Ceil(lo / small); k*small <= hi*(1+1e-12)+1e-300; k++ {
		v := k * small
		if math.Abs(v) < small*1e-9 {
			v = 0
		}
		label := ""
		if r := math.Mod(k, minor); r == 0 {
			label = format(v, d, "")
		}
		ts = append(ts, gonum.Tick{Value: v, Label: label})
	}
	return ts
}
