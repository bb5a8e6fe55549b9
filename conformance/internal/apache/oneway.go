package apache

import (
	"context"
	"sync"
)

// onewayLog records testOneway calls as they arrive, so that a test can wait
// for one instead of sleeping.
type onewayLog struct {
	mu      sync.Mutex
	total   int64
	pending []int32       // secondsToSleep of calls not yet taken by wait
	arrived chan struct{} // closed and replaced on every call
}

func newOnewayLog() *onewayLog {
	return &onewayLog{arrived: make(chan struct{})}
}

func (l *onewayLog) record(secondsToSleep int32) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.total++
	l.pending = append(l.pending, secondsToSleep)
	close(l.arrived)
	l.arrived = make(chan struct{})
}

func (l *onewayLog) count() int64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.total
}

// wait takes the oldest call wait has not returned yet, waiting for one to
// arrive if there is none.
func (l *onewayLog) wait(ctx context.Context) (int32, error) {
	for {
		l.mu.Lock()
		if len(l.pending) > 0 {
			s := l.pending[0]
			l.pending = l.pending[1:]
			l.mu.Unlock()
			return s, nil
		}
		arrived := l.arrived
		l.mu.Unlock()
		select {
		case <-arrived:
		case <-ctx.Done():
			return 0, context.Cause(ctx)
		}
	}
}
