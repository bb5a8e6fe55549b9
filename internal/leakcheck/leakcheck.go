package leakcheck

import (
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"
)

// Check records the running goroutines and, at the end of the test, fails
// it if others are still running.
func Check(t testing.TB) {
	t.Helper()
	before := Snapshot()
	t.Cleanup(func() { before.Wait(t, 5*time.Second) })
}

// Goroutines are the goroutines running at some moment, by id line.
type Goroutines map[string]string

// Snapshot records the running goroutines, for Wait.
func Snapshot() Goroutines {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	out := Goroutines{}
	for _, g := range strings.Split(string(buf), "\n\n") {
		id, _, _ := strings.Cut(g, " [")
		out[id] = g
	}
	return out
}

// Wait waits up to timeout for every goroutine started since before to
// exit, and fails t with the stacks of those still running. Goroutines of
// the test framework and the runtime, and those whose stacks contain one
// of ignore (such as a server a test embeds), do not count.
func (before Goroutines) Wait(t testing.TB, timeout time.Duration, ignore ...string) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		leaked := before.leaked(ignore)
		if len(leaked) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Errorf("leaked %d goroutine(s):\n\n%s", len(leaked), strings.Join(leaked, "\n\n"))
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func (before Goroutines) leaked(ignore []string) []string {
	var leaked []string
	for id, stack := range Snapshot() {
		if _, ok := before[id]; ok || ignored(stack, ignore) {
			continue
		}
		leaked = append(leaked, stack)
	}
	sort.Strings(leaked)
	return leaked
}

// ignored reports goroutines of the test framework and the runtime, not of
// the code under test (running (sub)tests and signal handling), and those
// matching one of more.
func ignored(stack string, more []string) bool {
	for _, s := range []string{"testing.tRunner", "os/signal.signal_recv", "runtime.ensureSigM"} {
		if strings.Contains(stack, s) {
			return true
		}
	}
	for _, s := range more {
		if strings.Contains(stack, s) {
			return true
		}
	}
	return false
}
