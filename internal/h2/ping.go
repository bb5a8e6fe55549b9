package h2

import (
	"time"

	"golang.org/x/net/http2"
)

// keepalivePing is the payload of the server's keepalive PINGs.
var keepalivePing = [8]byte{'o', 's', 'p', 'r', 'e', 'y', 'k', 'a'}

// keepalive sends a PING when no frame has been read for KeepaliveTime,
// and closes the connection when none follows within KeepaliveTimeout
// (docs/spec/grpc.md §10.5). It runs on a timer (c.ka), not a goroutine of
// its own, so an idle connection holds no stack for it; a run resets the
// timer for the next, and Serve stops it.
func (c *Conn) keepalive() {
	c.mu.Lock()
	closed := c.closed
	c.mu.Unlock()
	if closed {
		return
	}
	fail, ping, wait := keepaliveStep(time.Now().UnixNano(), c.lastRead.Load(), &c.pingAt, c.cfg.KeepaliveTime, c.cfg.KeepaliveTimeout)
	if fail {
		c.fail(errKeepaliveTimeout())
		return
	}
	if ping {
		c.mu.Lock()
		if !c.closed {
			c.pending = appendPing(c.pendingLocked(controlRoom), false, keepalivePing)
		}
		c.mu.Unlock()
		c.signal()
	}
	c.ka.Reset(wait)
}

// keepaliveStep is one look of a connection's keepalive, the same on both
// sides: now is the time, last when a frame was last read, and *pingAt
// when the outstanding keepalive PING was sent (0 if none), all in
// UnixNano. It returns fail if no frame has followed that PING; otherwise
// ping, whether to send a PING now (no frame read for every; *pingAt then
// records it), and wait, how long until the next look (timeout after a
// PING).
func keepaliveStep(now, last int64, pingAt *int64, every, timeout time.Duration) (fail, ping bool, wait time.Duration) {
	if *pingAt != 0 {
		if last < *pingAt {
			return true, false, 0
		}
		*pingAt = 0
	}
	if idle := time.Duration(now - last); idle < every {
		return false, false, every - idle
	}
	*pingAt = now
	return false, true, timeout
}

// errKeepaliveTimeout is why a connection whose keepalive PING went
// unanswered closes.
func errKeepaliveTimeout() error { return connErr(http2.ErrCodeNo, "keepalive timeout") }

// onPing answers a PING and applies the PingPolicy; it returns a
// connection error for a peer that pings too often.
func (c *Conn) onPing(ack bool, data [8]byte) error {
	if ack {
		return nil // lastRead is what keepalive looks at
	}
	defer c.signal()
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.waitSpaceLocked(nil) {
		return ErrClosed
	}
	c.pending = appendPing(c.pendingLocked(controlRoom), true, data)
	now := time.Now()
	defer func() { c.lastPing = now }()
	if c.resetStrikes {
		// The server has sent HEADERS or DATA since the last PING.
		c.resetStrikes = false
		c.pingStrikes = 0
		return nil
	}
	gap := c.cfg.PingPolicy.MinTime
	if c.streams.len() == 0 && !c.cfg.PingPolicy.PermitWithoutStream {
		gap = noStreamPingGap
	}
	if !c.lastPing.IsZero() && now.Sub(c.lastPing) < gap {
		c.pingStrikes++
	}
	if c.pingStrikes > maxPingStrikes {
		return connErr(http2.ErrCodeEnhanceYourCalm, "too_many_pings")
	}
	return nil
}
