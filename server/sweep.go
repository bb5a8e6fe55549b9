package server

import "time"

// sweep closes connections that have been idle longer than the idle timeout
// or stuck writing longer than the write timeout. Checking every connection
// periodically costs the request path nothing but a timestamp per state
// change, where a deadline per read or write would cost timer updates.
func (s *Server) sweep() {
	defer close(s.sweepDone)
	period := min(s.opts.idleTimeout, s.opts.writeTimeout) / 4
	period = min(max(period, 10*time.Millisecond), time.Second)
	t := time.NewTicker(period)
	defer t.Stop()
	for {
		select {
		case <-s.sweepStop:
			return
		case now := <-t.C:
			s.sweepOnce(now)
		}
	}
}

func (s *Server) sweepOnce(now time.Time) {
	idleBefore := now.Add(-s.opts.idleTimeout).UnixNano()
	writeBefore := now.Add(-s.opts.writeTimeout).UnixNano()
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
		case stateWriting:
			if since < writeBefore && c.state.CompareAndSwap(stateWriting, stateClosed) {
				s.opts.logger.Warn("osprey: closing connection stuck writing a reply", "remote", c.remote)
				c.nc.Close()
			}
		}
	}
}
