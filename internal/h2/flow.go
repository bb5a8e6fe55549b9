package h2

// Flow control (docs/spec/grpc.md §10.4, RFC 9113 §5.2, §6.9).
//
// Receiving: the peer may send on a stream what s.recvWindow says, and on
// the connection what c.recvConn says; more is a FLOW_CONTROL_ERROR.
// Bytes count against both until the handler has read them; then they are
// returned with WINDOW_UPDATE once a quarter of the window is due, so a
// handler that does not read holds at most its stream window, and all
// handlers together at most the connection window.
//
// Sending: Write spends s.sendWindow and c.sendConn, which the peer's
// WINDOW_UPDATE and SETTINGS_INITIAL_WINDOW_SIZE grow; every growth closes
// c.sendReady to wake the writers waiting.

// consumedLocked records that the handler of s has read n bytes.
func (c *Conn) consumedLocked(s *Stream, n int) {
	if n == 0 {
		return
	}
	s.unacked += int64(n)
	if s.reset == nil && !s.remoteDone && s.unacked >= int64(c.cfg.InitialWindowSize)/4 {
		c.pending = appendWindowUpdate(c.pendingLocked(controlRoom), s.id, uint32(s.unacked))
		s.recvWindow += s.unacked
		s.unacked = 0
	}
	c.connConsumedLocked(int64(n))
}

// connConsumedLocked returns n bytes to the connection receive window.
func (c *Conn) connConsumedLocked(n int64) {
	c.connUnacked += n
	if !c.closed && c.connUnacked >= int64(c.cfg.InitialConnWindowSize)/4 {
		c.pending = appendWindowUpdate(c.pendingLocked(controlRoom), 0, uint32(c.connUnacked))
		c.recvConn += c.connUnacked
		c.connUnacked = 0
	}
}

// sendGrewLocked wakes the writers waiting for a send window.
func (c *Conn) sendGrewLocked() {
	if c.sendReady != nil {
		close(c.sendReady)
		c.sendReady = nil
	}
}

// sendReadyLocked returns the channel sendGrewLocked closes next, made
// only when a writer waits: a window update costs no allocation.
func (c *Conn) sendReadyLocked() chan struct{} {
	if c.sendReady == nil {
		c.sendReady = make(chan struct{})
	}
	return c.sendReady
}
