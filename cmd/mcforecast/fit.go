package main

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"regexp"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/mcforecast/mcforecast/distributions"
)

// fitUsage is the help of `mcforecast fit`.
const fitUsage = `usage: mcforecast fit [flags] FILE.csv

Fits distributions to one column of a CSV file by maximum likelihood
(distributions.FitBest) and prints them ranked by AIC, each with its
Kolmogorov–Smirnov statistic and the form to paste into a scenario file,
e.g. "revenue_growth: normal(0.21, 0.06)". A first row that is not a number
in the chosen column is a header. Empty cells are skipped; any other cell
that is not a number is an error naming its line.

Flags:
`

// runFit is `mcforecast fit`: it returns the exit status.
func runFit(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("mcforecast fit", flag.ContinueOnError)
	fs.SetOutput(stderr)
	column := fs.String("column", "", "column to fit: its header name or its 1-based number (default: the first column)")
	families := fs.String("families", "", "comma-separated families to try (default: every family that applies: normal, lognormal, gamma, beta, uniform, triangular, pert)")
	format := fs.String("format", "table", "table or json")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), fitUsage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(stderr, "mcforecast fit: want one CSV file (see mcforecast fit -help)")
		return exitUsage
	}
	if *format != "table" && *format != "json" {
		fmt.Fprintf(stderr, "mcforecast fit: -format %q, want table or json\n", *format)
		return exitUsage
	}
	path := fs.Arg(0)
	name, data, err := readColumn(path, *column)
	if err != nil {
		fmt.Fprintf(stderr, "mcforecast fit: %v\n", err)
		return exitUsage
	}
	var fams []string
	if *families != "" {
		for _, f := range strings.Split(*families, ",") {
			fams = append(fams, strings.TrimSpace(f))
		}
	}
	fits, err := distributions.FitBest(data, fams...)
	if err != nil {
		fmt.Fprintf(stderr, "mcforecast fit: %s, column %s: %v\n", path, name, err)
		return exitUsage
	}
	if *format == "json" {
		err = writeFitJSON(stdout, path, name, len(data), fits)
	} else {
		err = writeFitTable(stdout, path, name, len(data), fits)
	}
	if err != nil {
		fmt.Fprintf(stderr, "mcforecast fit: %v\n", err)
		return exitFailure
	}
	return exitOK
}

// readColumn reads the chosen column of a CSV file: its name (the header,
// or "#N") and its numbers.
func readColumn(path, column string) (string, []float64, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	r.TrimLeadingSpace = true
	rows, err := r.ReadAll()
	if err != nil {
		return "", nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(rows) == 0 {
		return "", nil, fmt.Errorf("%s: no rows", path)
	}
	col, name := 0, "#1"
	header := len(rows[0]) > 0 && !isNumber(rows[0][0])
	switch n, err := strconv.Atoi(column); {
	case column == "":
		if header {
			name = rows[0][0]
		}
	case err == nil:
		if n < 1 || n > len(rows[0]) {
			return "", nil, fmt.Errorf("%s: -column %d, want 1 to %d", path, n, len(rows[0]))
		}
		col, name = n-1, "#"+column
		header = !isNumber(rows[0][col])
		if header {
			name = rows[0][col]
		}
	default:
		col = -1
		for i, h := range rows[0] {
			if strings.TrimSpace(h) == column {
				col = i
			}
		}
		if col < 0 {
			return "", nil, fmt.Errorf("%s: no column %q in the header (%s)", path, column, strings.Join(rows[0], ", "))
		}
		name, header = column, true
	}
	if header {
		rows = rows[1:]
	}
	var data []float64
	for i, row := range rows {
		line := i + 1
		if header {
			line++
		}
		if col >= len(row) || strings.TrimSpace(row[col]) == "" {
			continue
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(row[col]), 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return "", nil, fmt.Errorf("%s:%d: column %s: %q is not a finite number", path, line, name, row[col])
		}
		data = append(data, v)
	}
	return name, data, nil
}

func isNumber(s string) bool {
	_, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	return err == nil
}

func writeFitTable(w io.Writer, path, name string, n int, fits []distributions.FitResult) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "%s, column %s: %d values; fits by maximum likelihood, best (lowest AIC) first\n\n", path, name, n)
	fmt.Fprintln(tw, "rank\tAIC\tΔAIC\tKS\tlog-likelihood\t  paste into a scenario\t")
	for i, f := range fits {
		fmt.Fprintf(tw, "%d\t%.2f\t%.2f\t%.4f\t%.2f\t  %s\t\n", i+1, f.AIC, f.AIC-fits[0].AIC, f.KS, f.LogLikelihood, rounded(f.Dist.String()))
	}
	fmt.Fprintf(tw, "\nΔAIC below ~2 does not single out a family; KS above %.3f (1.36/√n) is a poor fit.\n", 1.36/math.Sqrt(float64(n)))
	return tw.Flush()
}

// number matches a decimal literal of a distribution's String form.
var number = regexp.MustCompile(`-?[0-9]+(\.[0-9]+)?(e[-+]?[0-9]+)?`)

// rounded returns a Parse form with every number at 4 significant digits,
// short enough to paste, or form itself where the rounded one would not be
// valid (two bounds rounded together). JSON keeps full precision.
func rounded(form string) string {
	r := number.ReplaceAllStringFunc(form, func(lit string) string {
		v, err := strconv.ParseFloat(lit, 64)
		if err != nil {
			return lit
		}
		return strconv.FormatFloat(v, 'g', 4, 64)
	})
	if d, err := distributions.Parse(r); err != nil || d.Validate() != nil {
		return form
	}
	return r
}

func writeFitJSON(w io.Writer, path, name string, n int, fits []distributions.FitResult) error {
	type fit struct {
		Dist          string  `json:"dist"`
		AIC           float64 `json:"aic"`
		KS            float64 `json:"ks"`
		LogLikelihood float64 `json:"log_likelihood"`
	}
	out := struct {
		File   string `json:"file"`
		Column string `json:"column"`
		N      int    `json:"n"`
		Fits   []fit  `json:"fits"`
	}{File: path, Column: name, N: n}
	for _, f := range fits {
		out.Fits = append(out.Fits, fit{f.Dist.String(), f.AIC, f.KS, f.LogLikelihood})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
