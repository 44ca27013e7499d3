// Command capexband runs the built-in Meta 2026 scenario — a $115–135B capex
// band, ~20 %/yr revenue growth, gigawatts of data-centre power — through the
// scenario API and prints the percentiles of each year's free cash flow.
//
//	go run ./examples/capexband -trials 200000
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"os"

	"github.com/mcforecast/mcforecast/forecast"
	"github.com/mcforecast/mcforecast/scenario"
)

func main() {
	trials := flag.Int("trials", 200_000, "number of trials")
	flag.Parse()
	if err := run(os.Stdout, *trials); err != nil {
		log.Fatal(err)
	}
}

func run(w io.Writer, trials int) error {
	s := scenario.Meta2026() // or scenario.LoadFile("my.yaml")
	res, err := s.Run(context.Background(), forecast.Options{Trials: trials, Seed: 42})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "%s, %d trials: free cash flow, $B\n", s.Name, res.Trials())
	fmt.Fprintf(w, "%-6s %8s %8s %8s %8s\n", "year", "P5", "P50", "P95", "P(<0)")
	for i, m := range res.Series(scenario.OutFreeCashFlow) {
		p := m.Percentiles(0.05, 0.50, 0.95)
		fmt.Fprintf(w, "%-6d %8.1f %8.1f %8.1f %7.0f%%\n", s.BaseYear+i+1, p[0], p[1], p[2], 100*m.ProbBelow(0))
	}
	cum := res.Output(scenario.OutCumulativeFCF)
	p := cum.Percentiles(0.05, 0.50, 0.95)
	fmt.Fprintf(w, "%-6s %8.1f %8.1f %8.1f %7.0f%%\n", "total", p[0], p[1], p[2], 100*cum.ProbBelow(0))
	return nil
}
