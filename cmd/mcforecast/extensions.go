package main

import (
	"context"
	"flag"
	"io"
	"strings"

	"github.com/mcforecast/mcforecast/forecast"
	"github.com/mcforecast/mcforecast/scenario"
)

// An extension adds flags to the command and acts on the result after the
// report is written. It is the hook for features outside this package,
// such as charts (package plot). Adding a repeatable -chart flag takes one
// file, chart.go:
//
//	func init() { extensionFactories = append(extensionFactories, func() extension { return &chartExt{} }) }
//
//	type chartExt struct{ files stringList }
//
//	func (c *chartExt) flags(fs *flag.FlagSet) {
//		fs.Var(&c.files, "chart", "write a chart to `FILE` (.png or .svg; repeatable)")
//	}
//
//	func (c *chartExt) validate() error { return nil }
//
//	func (c *chartExt) after(ctx context.Context, s *scenario.Scenario, res *forecast.Result, stdout, stderr io.Writer) error {
//		for _, f := range c.files { /* plot.… (res, f) */ }
//		return nil
//	}
//
// A fresh extension value is made for every run (so run stays testable and
// reentrant). An error from validate (called once the flags are parsed,
// before any work) is a usage error, exit status 2; an error from after
// makes the command exit with status 1, or 130 when it is ctx's.
type extension interface {
	flags(fs *flag.FlagSet)
	validate() error
	after(ctx context.Context, s *scenario.Scenario, res *forecast.Result, stdout, stderr io.Writer) error
}

// extensionFactories make the extensions of one run, in order.
var extensionFactories []func() extension

func newExtensions() []extension {
	exts := make([]extension, 0, len(extensionFactories))
	for _, f := range extensionFactories {
		exts = append(exts, f())
	}
	return exts
}

// stringList is a repeatable string flag: each use appends a value.
type stringList []string

func (l *stringList) String() string { return strings.Join(*l, ",") }

func (l *stringList) Set(v string) error {
	*l = append(*l, v)
	return nil
}
