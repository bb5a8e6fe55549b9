package h2

// Flow control (docs/spec/grpc.md §10.4, §15, RFC 9113 §5.2, §6.9), the
// same on both sides: Conn and ClientConn embed a connFlow, Stream and
// ClientStream a streamFlow.
//
// Receiving: the peer may send on a stream what its recvWindow says, and
// on the connection what recvConn says; more is a FLOW_CONTROL_ERROR.
// Bytes count against both until the stream's reader has read them; then
// they are returned with WINDOW_UPDATE once a quarter of the window is
// due, so a reader that does not read holds at most its stream window, and
// all readers together at most the connection window.
//
// Sending: writes spend a stream's sendWindow and sendConn, which the
// peer's WINDOW_UPDATE and SETTINGS_INITIAL_WINDOW_SIZE grow; every growth
// closes sendReady to wake the writers waiting.

// connFlow is a connection's flow-control state and the peer's limits on
// what it sends, under the connection's mu.
type connFlow struct {
	sendConn    int64         // connection send window
	sendReady   chan struct{} // closed when a send window grows; nil until a writer waits
	peerWindow  int64         // peer's SETTINGS_INITIAL_WINDOW_SIZE
	peerFrame   uint32
	peerHdrList uint32
	recvConn    int64 // what the peer may still send on the connection
	connUnacked int64 // consumed, not yet returned with WINDOW_UPDATE
}

// newConnFlow returns the state of a new connection whose receive window
// is recvConn: the peer's limits are the defaults until its SETTINGS.
func newConnFlow(recvConn uint32) connFlow {
	return connFlow{
		sendConn:    defaultWindow,
		peerWindow:  defaultWindow,
		peerFrame:   minFrameSize,
		peerHdrList: ^uint32(0),
		recvConn:    int64(recvConn),
	}
}

// streamFlow is a stream's flow-control state, under its connection's mu.
type streamFlow struct {
	recvWindow int64 // what the peer may still send
	unacked    int64 // read, not yet returned with WINDOW_UPDATE
	sendWindow int64
}

// connConsumed records that n bytes the connection received have been
// read, and returns the WINDOW_UPDATE increment due for the connection
// (window is its receive window), 0 if none or if it has closed.
func (f *connFlow) connConsumed(n int64, window uint32, closed bool) uint32 {
	f.connUnacked += n
	if closed || f.connUnacked < int64(window)/4 {
		return 0
	}
	inc := f.connUnacked
	f.recvConn += inc
	f.connUnacked = 0
	return uint32(inc)
}

// consumed records that the reader of the stream has read n bytes, and
// returns the WINDOW_UPDATE increment due for the stream (window is its
// receive window), 0 if none or if the stream takes no more data (open
// false: reset, or END_STREAM received).
func (f *streamFlow) consumed(n int, window uint32, open bool) uint32 {
	f.unacked += int64(n)
	if !open || f.unacked < int64(window)/4 {
		return 0
	}
	inc := f.unacked
	f.recvWindow += inc
	f.unacked = 0
	return uint32(inc)
}

// sendGrewLocked wakes the writers waiting for a send window.
func (f *connFlow) sendGrewLocked() {
	if f.sendReady != nil {
		close(f.sendReady)
		f.sendReady = nil
	}
}

// sendReadyLocked returns the channel sendGrewLocked closes next, made
// only when a writer waits: a window update costs no allocation.
func (f *connFlow) sendReadyLocked() chan struct{} {
	if f.sendReady == nil {
		f.sendReady = make(chan struct{})
	}
	return f.sendReady
}

// writable returns why a stream cannot be written now, if so: its reset,
// the connection's close, or its END_STREAM sent. reset is the stream's
// error field, of its own type on each side (nil: not reset).
func writable[E interface {
	comparable
	error
}](reset E, closed, localDone bool) error {
	var none E
	switch {
	case reset != none:
		return reset
	case closed:
		return ErrClosed
	case localDone:
		return errStreamDone
	}
	return nil
}

// consumedLocked records that the handler of s has read n bytes.
func (c *Conn) consumedLocked(s *Stream, n int) {
	if n == 0 {
		return
	}
	if inc := s.consumed(n, c.cfg.InitialWindowSize, s.reset == nil && !s.remoteDone); inc > 0 {
		c.pending = appendWindowUpdate(c.pendingLocked(controlRoom), s.id, inc)
	}
	c.connConsumedLocked(int64(n))
}

// connConsumedLocked returns n bytes to the connection receive window.
func (c *Conn) connConsumedLocked(n int64) {
	if inc := c.connConsumed(n, c.cfg.InitialConnWindowSize, c.closed); inc > 0 {
		c.pending = appendWindowUpdate(c.pendingLocked(controlRoom), 0, inc)
	}
}

// consumedLocked records that the reader of s has read n bytes.
func (c *ClientConn) consumedLocked(s *ClientStream, n int) {
	if n == 0 {
		return
	}
	if inc := s.consumed(n, c.cfg.InitialWindowSize, !s.remoteDone && s.reset == nil); inc > 0 {
		c.pending = appendWindowUpdate(c.pending, s.id, inc)
		c.signalLocked()
	}
	c.connConsumedLocked(int64(n))
}

// connConsumedLocked returns n bytes to the connection receive window.
func (c *ClientConn) connConsumedLocked(n int64) {
	if inc := c.connConsumed(n, c.cfg.InitialConnWindowSize, c.closed); inc > 0 {
		c.pending = appendWindowUpdate(c.pending, 0, inc)
		c.signalLocked()
	}
}
