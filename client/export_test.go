package client

import "time"

// IdleConns reports how many idle connections c's pools hold.
func IdleConns(c *Client) int {
	n := 0
	for _, node := range c.t.state.Load().nodes {
		if p, ok := node.Transport.(*pool); ok {
			p.mu.Lock()
			n += len(p.idle)
			p.mu.Unlock()
		}
	}
	return n
}

// SetAliveCheckAfter changes how long a connection must sit idle before
// the pool checks it is alive, for the duration of a test.
func SetAliveCheckAfter(d time.Duration) (restore func()) {
	old := aliveCheckAfter
	aliveCheckAfter = d
	return func() { aliveCheckAfter = old }
}
