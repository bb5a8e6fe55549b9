package client

import "time"

// IdleConns reports how many idle connections c's pool holds.
func IdleConns(c *Client) int {
	c.pool.mu.Lock()
	defer c.pool.mu.Unlock()
	return len(c.pool.idle)
}

// SetAliveCheckAfter changes how long a connection must sit idle before
// the pool checks it is alive, for the duration of a test.
func SetAliveCheckAfter(d time.Duration) (restore func()) {
	old := aliveCheckAfter
	aliveCheckAfter = d
	return func() { aliveCheckAfter = old }
}
