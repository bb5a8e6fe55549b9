package server

import "time"

// sweep closes connections that have been idle longer than the idle timeout
// or stuck writing longer than the write timeout. Checking every connection
// periodically costs the request path nothing but a coarse timestamp per
// state change (the clock the sweeper itself advances), where a deadline
// per read or write would cost timer updates. Timeouts are so accurate to a
// period, at most a second.
func (s *Server) sweep() {
	defer close(s.sweepDone)
	period := s.sweepPeriod()
	t := time.NewTicker(period)
	defer t.Stop()
	for {
		select {
		case <-s.sweepStop:
			return
		case now := <-t.C:
			s.clock.Store(now.UnixNano())
			s.sweepOnce(now, period)
		}
	}
}

func (s *Server) sweepPeriod() time.Duration {
	period := min(s.opts.idleTimeout, s.opts.writeTimeout, s.opts.readTimeout) / 4
	return min(max(period, 10*time.Millisecond), time.Second)
}

// sweepOnce closes what has been idle or writing too long. State changes
// are stamped with the coarse clock, up to a period behind, so the limits
// allow a period more: a connection is never closed early.
func (s *Server) sweepOnce(now time.Time, period time.Duration) {
	idleBefore := now.Add(-s.opts.idleTimeout - period).UnixNano()
	writeBefore := now.Add(-s.opts.writeTimeout - period).UnixNano()
	readBefore := now.Add(-s.opts.readTimeout - period).UnixNano()
	s.mu.Lock()
	conns := s.snapshot()
	s.mu.Unlock()
	for _, c := range conns {
		// State first: a state change stores its timestamp before the state,
		// so a state read here comes with a timestamp at least as new.
		state := c.state.Load()
		since := c.since.Load()
		switch state {
		case stateIdle:
			if since < idleBefore && c.state.CompareAndSwap(stateIdle, stateClosed) {
				s.opts.logger.Debug("osprey: closing idle connection", "remote", c.remote)
				c.nc.Close()
			}
		case stateReading:
			if since < readBefore && c.state.CompareAndSwap(stateReading, stateClosed) {
				s.opts.logger.Warn("osprey: closing connection too slow to send its request", "remote", c.remote)
				c.nc.Close()
			}
		case stateWriting:
			if since < writeBefore && c.state.CompareAndSwap(stateWriting, stateClosed) {
				s.opts.logger.Warn("osprey: closing connection stuck writing a reply", "remote", c.remote)
				c.nc.Close()
			}
		}
	}
}
