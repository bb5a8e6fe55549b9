package loadbalance_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/ospreyrpc/osprey/loadbalance"
)

// TestConcurrent picks, calls and rebuilds from many goroutines at once
// (for -race), with a node failing every call, and checks the counts add
// up.
func TestConcurrent(t *testing.T) {
	for name, b := range balancers() {
		t.Run(name, func(t *testing.T) {
			b := loadbalance.WithWarmUp(b, time.Second)
			ns := nodes(6)
			var mu sync.Mutex
			p := b.Build(ns[:4])
			var wg sync.WaitGroup
			for g := range 8 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := range 2000 {
						if g == 0 && i%100 == 0 {
							np := b.Build(ns[i/100%3 : i/100%3+4])
							mu.Lock()
							p = np
							mu.Unlock()
						}
						mu.Lock()
						cur := p
						mu.Unlock()
						n, err := cur.Pick(ctxWithKey(fmt.Sprint(i)), info())
						if err != nil {
							t.Error(err)
							return
						}
						n.Start()
						n.End(time.Microsecond, n == ns[3])
					}
				}()
			}
			wg.Wait()
			for _, n := range ns {
				if n.InFlight() != 0 {
					t.Errorf("node %v: %d in flight after every call ended", n.Transport, n.InFlight())
				}
			}
		})
	}
}
