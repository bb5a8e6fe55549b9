package conformance

import (
	"bytes"
	"net"
	"strings"
	"sync"
)

// lineWatcher collects a process's output and sends the rest of the first
// complete line that starts with prefix on found.
type lineWatcher struct {
	prefix string
	found  chan string
	mu     sync.Mutex
	buf    bytes.Buffer
	sent   bool
}

func (w *lineWatcher) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	if w.sent {
		return len(p), nil
	}
	for _, line := range strings.SplitAfter(w.buf.String(), "\n") {
		if rest, ok := strings.CutPrefix(line, w.prefix); ok && strings.HasSuffix(rest, "\n") {
			w.found <- strings.TrimSpace(rest)
			w.sent = true
			break
		}
	}
	return len(p), nil
}

// port returns the port of a host:port address.
func port(addr string) string {
	_, p, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	return p
}
