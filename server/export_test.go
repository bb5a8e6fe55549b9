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
