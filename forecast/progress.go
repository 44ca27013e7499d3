package forecast

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"
)

// progressInterval is the time between two calls of Options.Progress.
const progressInterval = 100 * time.Millisecond

// progress reports a run's progress through Options.Progress from one
// goroutine: every progressInterval, and once more when the run ends. A
// panic (or runtime.Goexit) in the callback stops the reports, cancels the
// run and becomes the error Run returns.
type progress struct {
	f      func(done, total int)
	done   *atomic.Int64
	total  int
	cancel context.CancelCauseFunc
	stop   chan struct{}
	exited chan struct{}
	err    error // written by the progress goroutine before exited closes
}

// startProgress starts the goroutine that reports progress, or returns nil
// when Options.Progress is nil. cancel stops the run when the callback
// fails.
func (p *plan) startProgress(done *atomic.Int64, cancel context.CancelCauseFunc) *progress {
	if p.opts.Progress == nil {
		return nil
	}
	pr := &progress{f: p.opts.Progress, done: done, total: p.trials, cancel: cancel,
		stop: make(chan struct{}), exited: make(chan struct{})}
	go pr.loop()
	return pr
}

func (pr *progress) loop() {
	defer close(pr.exited)
	tick := time.NewTicker(progressInterval)
	defer tick.Stop()
	for {
		select {
		case <-tick.C:
			if !pr.call() {
				return
			}
		case <-pr.stop:
			pr.call() // the final report
			return
		}
	}
}

// call calls the callback once and reports whether it returned normally;
// otherwise it records the failure in pr.err and cancels the run.
func (pr *progress) call() (ok bool) {
	defer func() {
		if ok {
			return
		}
		// A panic, or runtime.Goexit (recover returns nil and the goroutine
		// goes on unwinding to loop's deferred close).
		if v := recover(); v != nil {
			pr.err = fmt.Errorf("forecast: Options.Progress panicked: %v", v)
		} else {
			pr.err = errors.New("forecast: Options.Progress called runtime.Goexit")
		}
		pr.cancel(pr.err)
	}()
	pr.f(int(pr.done.Load()), pr.total)
	return true
}

// finish makes the final report, waits for the progress goroutine to exit
// and returns the callback's failure, if any. A nil *progress does nothing.
func (pr *progress) finish() error {
	if pr == nil {
		return nil
	}
	close(pr.stop)
	<-pr.exited
	return pr.err
}
