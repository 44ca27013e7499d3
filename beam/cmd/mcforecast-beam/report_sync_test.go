package main

import (
	"bytes"
	"os"
	"testing"
)

// TestReportInSync keeps report.go a verbatim copy of mcforecast's (a main
// package cannot be imported), so that both commands print the same table,
// CSV and JSON. After a change there: cp ../../../cmd/mcforecast/report.go .
func TestReportInSync(t *testing.T) {
	theirs, err := os.ReadFile("../../../cmd/mcforecast/report.go")
	if err != nil {
		t.Skipf("mcforecast's report.go not found: %v", err)
	}
	ours, err := os.ReadFile("report.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(ours, theirs) {
		t.Error("report.go differs from cmd/mcforecast/report.go: copy it again (cp ../../../cmd/mcforecast/report.go .)")
	}
}
