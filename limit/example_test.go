package limit_test

import (
	"fmt"

	"github.com/ospreyrpc/osprey/limit"
)

// A limiter admitting 2 calls at once: the third waits for a release.
func ExampleLimiter() {
	l, err := limit.New(limit.Policy{MaxInFlight: 2})
	if err != nil {
		panic(err)
	}
	t1, r1 := l.Acquire()
	_, r2 := l.Acquire()
	_, r3 := l.Acquire()
	fmt.Println(r1, r2, r3)
	l.Release(t1)
	_, r4 := l.Acquire()
	fmt.Println(r4, l.InFlight())
	// Output:
	// admitted admitted concurrency limit
	// admitted 2
}
