package forecast

import (
	"sync/atomic"
	"time"
)

// startProgress starts the goroutine that reports progress and returns the
// function that stops it and makes the final report.
func (p *plan) startProgress(done *atomic.Int64) func() {
	f := p.opts.Progress
	if f == nil {
		return func() {}
	}
	stop, exited := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(exited)
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-tick.C:
				f(int(done.Load()), p.trials)
			case <-stop:
				return
			}
		}
	}()
	return func() {
		close(stop)
		<-exited
		f(int(done.Load()), p.trials)
	}
}
