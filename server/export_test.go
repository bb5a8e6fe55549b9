package server

// BusyConns reports how many connections are handling a request, for tests
// that must wait until a call has reached its handler.
func BusyConns(s *Server) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for c := range s.conns {
		if c.state.Load() == stateBusy {
			n++
		}
	}
	return n
}

// PendingReplies reports how many replies had to wait for the socket.
func PendingReplies(s *Server) int64 { return s.pendingReplies.Load() }

// InFlight reports how many calls the limiter of a method, or with service
// and method both "" the server's, holds in flight now; 0 without one.
func InFlight(s *Server, service, method string) int {
	l := s.limiter.Load()
	if service != "" || method != "" {
		s.mu.Lock()
		l = s.methods.services[service][method].limiter.Load()
		s.mu.Unlock()
	}
	if l == nil {
		return 0
	}
	return l.InFlight()
}
