package circuitbreak_test

import (
	"errors"
	"fmt"

	"github.com/ospreyrpc/osprey/circuitbreak"
)

func ExampleBreaker() {
	b := circuitbreak.New(circuitbreak.Policy{ConsecutiveFailures: 3})
	errDown := errors.New("down")
	call := func() error { return errDown } // a dependency that is down

	for i := range 5 {
		if !b.Allow() {
			fmt.Println(i, "failed fast:", b.State())
			continue
		}
		err := call()
		b.Done(err != nil)
		fmt.Println(i, "called:", err)
	}
	// Output:
	// 0 called: down
	// 1 called: down
	// 2 called: down
	// 3 failed fast: open
	// 4 failed fast: open
}
