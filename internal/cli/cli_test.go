package cli

import (
	"errors"
	"flag"
	"io"
	"strings"
	"testing"
)

func TestRunFlagsCheck(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string // "" for no error
	}{
		{nil, ""},
		{[]string{"-trials", "0"}, "-trials 0: want at least 1"},
		{[]string{"-workers", "-1"}, "-workers -1"},
		{[]string{"-precision", "NaN"}, "-precision NaN"},
		{[]string{"-format", "xml"}, `-format "xml": want table, csv or json`},
		{[]string{"-method", "latin"}, `-method "latin": want montecarlo, lhs or qmc`},
		{[]string{"-method", "QMC"}, ""},
		{[]string{"-percentiles", "5,500"}, `-percentiles "5,500"`},
	} {
		var r RunFlags
		fs := flag.NewFlagSet("test", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		r.Add(fs, Docs{})
		if err := fs.Parse(c.args); err != nil {
			t.Fatalf("%v: %v", c.args, err)
		}
		err := r.Check()
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%v: %v, want no error", c.args, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%v: %v, want an error containing %q", c.args, err, c.want)
		case err != nil && !errors.As(err, new(UsageError)):
			t.Errorf("%v: %T is not a UsageError", c.args, err)
		}
		if err == nil && len(r.Percentiles) != 3 {
			t.Errorf("%v: percentiles %v, want the default three", c.args, r.Percentiles)
		}
	}
}
