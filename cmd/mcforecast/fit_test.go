package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mcforecast/mcforecast/distributions"
)

// TestFit runs `mcforecast fit` on the bundled revenue history and on
// files that must be refused.
func TestFit(t *testing.T) {
	data := filepath.Join("..", "..", "examples", "data", "meta_revenue.csv")
	var stdout, stderr bytes.Buffer
	if code := run(t.Context(), []string{"fit", "-column", "growth", "-format", "json", data}, &stdout, &stderr); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	var got struct {
		N    int
		Fits []struct {
			Dist string
			AIC  float64
		}
	}
	if err := json.Unmarshal(stdout.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if got.N != 12 || len(got.Fits) < 3 {
		t.Fatalf("n %d, %d fits; want 12 values and several families", got.N, len(got.Fits))
	}
	for i, f := range got.Fits {
		d, err := distributions.Parse(f.Dist)
		if err != nil || d.Validate() != nil {
			t.Errorf("fit %d: %q does not parse to a valid distribution: %v", i, f.Dist, err)
		}
		if i > 0 && f.AIC < got.Fits[i-1].AIC {
			t.Errorf("fits not sorted by AIC: %v after %v", f.AIC, got.Fits[i-1].AIC)
		}
	}

	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"no file", []string{"fit"}, "want one CSV file"},
		{"missing column", []string{"fit", "-column", "price", write("a.csv", "x,y\n1,2\n3,4\n")}, `no column "price"`},
		{"column out of range", []string{"fit", "-column", "3", write("b.csv", "1,2\n3,4\n")}, "want 1 to 2"},
		{"bad cell", []string{"fit", write("c.csv", "x\n1\n2\nabc\n")}, "c.csv:4: column x: \"abc\" is not a finite number"},
		{"too few", []string{"fit", "-families", "normal", write("d.csv", "x\n1\n")}, "need at least 2"},
		{"unknown family", []string{"fit", "-families", "cauchy", write("e.csv", "1\n2\n3\n")}, "unknown family"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := run(t.Context(), c.args, &stdout, &stderr); code != exitUsage {
				t.Errorf("exit %d, want %d; stderr %s", code, exitUsage, stderr.String())
			}
			if !strings.Contains(stderr.String(), c.want) {
				t.Errorf("stderr %q, want it to contain %q", stderr.String(), c.want)
			}
		})
	}
}
