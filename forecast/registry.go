package forecast

import (
	"fmt"
	"sort"
	"sync"
)

var (
	registryMu sync.RWMutex
	registry   = map[string]func() (*Model, error){}
)

// Register makes a model builder available by name, for runners that must
// rebuild a model elsewhere (a Beam worker runs the same binary and calls
// Lookup). Call it from an init function. It panics if name is empty, build
// is nil or the name is already registered, as database/sql.Register does.
func Register(name string, build func() (*Model, error)) {
	registryMu.Lock()
	defer registryMu.Unlock()
	if name == "" || build == nil {
		panic("forecast: Register: empty name or nil builder")
	}
	if _, dup := registry[name]; dup {
		panic("forecast: Register called twice for model " + name)
	}
	registry[name] = build
}

// Lookup builds the model registered under name.
func Lookup(name string) (*Model, error) {
	registryMu.RLock()
	build, ok := registry[name]
	registryMu.RUnlock()
	if !ok {
		return nil, fmt.Errorf("forecast: no model registered as %q (registered: %s)", name, quoteList(Registered()))
	}
	return build()
}

// Registered returns the names of the registered models, sorted.
func Registered() []string {
	registryMu.RLock()
	defer registryMu.RUnlock()
	names := make([]string, 0, len(registry))
	for n := range registry {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
