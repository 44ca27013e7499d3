package forecast

import (
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mcforecast/mcforecast/distributions"
)

// registryRuns numbers TestRegistry's runs: the registry is process-wide
// and has no Unregister, so each run (go test -count=N) uses its own name.
var registryRuns atomic.Int64

func TestRegistry(t *testing.T) {
	name := fmt.Sprintf("test/sum-%d", registryRuns.Add(1))
	Register(name, func() (*Model, error) { return sumModel(), nil })
	m, err := Lookup(name)
	require.NoError(t, err)
	assert.Equal(t, []string{"total", "running"}, m.OutputNames())
	assert.Contains(t, Registered(), name)
	_, err = Lookup("nope")
	assert.ErrorContains(t, err, `no model registered as "nope"`)
	assert.Panics(t, func() { Register(name, func() (*Model, error) { return nil, nil }) })
	assert.Panics(t, func() { Register("", nil) })
	d, ok := m.InputDist("a")
	assert.True(t, ok)
	assert.Equal(t, distributions.Normal{Mu: 1, Sigma: 2}, d)
}
