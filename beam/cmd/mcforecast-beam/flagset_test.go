package main

import (
	"flag"
	"io"
)

func flagSet() *flag.FlagSet {
	fs := flag.NewFlagSet("mcforecast-beam", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}
