package server

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"strconv"

	"github.com/ospreyrpc/osprey/limit"
)

// Server limits (docs/design/governance.md, "Server limits"): a call is
// admitted by its method's limiter, if it has one, and then by the
// server's, after its method is known and before its request is decoded;
// it holds its place in flight until its reply is written (for oneway
// calls and streams, until the handler returns), and gives it back to the
// limiters that admitted it, even if SetLimits has replaced them since.

// methodKey names a method for WithMethodLimits.
type methodKey struct{ service, method string }

// WithLimits limits the calls of the whole server, every method and
// protocol together (package limit): QPS with a burst, calls in flight,
// and optionally an adaptive in-flight limit. A call a limit refuses is
// answered at once, before its request is decoded, with an
// INTERNAL_ERROR application exception over Thrift (as Kitex answers an
// over-limit call) or RESOURCE_EXHAUSTED over gRPC, both with a message
// such as "osprey: Echo.echo rejected: server concurrency limit 100
// reached"; the connection stays open. Default: no limits. SetLimits
// changes them while serving.
func WithLimits(p limit.Policy) Option {
	return optionFunc(func(o *options) error {
		if err := p.Validate(); err != nil {
			return fmt.Errorf("server: WithLimits: %w", err)
		}
		o.limits = p
		return o.once("WithLimits")
	})
}

// WithMethodLimits limits the calls of one method, as WithLimits does the
// server's; a call must pass both. service and method are the names
// Register's description gives; Serve fails if no registered service has
// that method. Default: no limits. Giving the same method twice is an
// error; SetLimits changes them while serving.
func WithMethodLimits(service, method string, p limit.Policy) Option {
	return optionFunc(func(o *options) error {
		if service == "" || method == "" {
			return fmt.Errorf("server: WithMethodLimits(%q, %q): needs a service and a method", service, method)
		}
		if err := p.Validate(); err != nil {
			return fmt.Errorf("server: WithMethodLimits(%s, %s): %w", service, method, err)
		}
		if o.methodLimits == nil {
			o.methodLimits = map[methodKey]limit.Policy{}
		}
		o.methodLimits[methodKey{service, method}] = p
		return o.once("WithMethodLimits(" + service + ", " + method + ")")
	})
}

// SetLimits replaces the limits of a method, or with service and method
// both "" the server's, at once and without a restart; the zero Policy
// removes them. Calls admitted before keep the limiter that admitted them
// until they end, so a new in-flight limit counts only calls admitted
// after it: for a while, old and new calls together may exceed it. It
// returns an error for a bad policy or a method no registered service
// has.
func (s *Server) SetLimits(service, method string, p limit.Policy) error {
	l, err := newLimiter(p)
	if err != nil {
		return fmt.Errorf("server: SetLimits(%q, %q): %w", service, method, err)
	}
	if service == "" && method == "" {
		s.limiter.Store(l)
		return nil
	}
	s.mu.Lock()
	m := s.methods.services[service][method]
	s.mu.Unlock()
	if m == nil {
		return fmt.Errorf("server: SetLimits(%q, %q): no such method registered", service, method)
	}
	m.limiter.Store(l)
	return nil
}

// newLimiter returns p's limiter, or nil for the zero Policy: no limits.
func newLimiter(p limit.Policy) (*limit.Limiter, error) {
	if p == (limit.Policy{}) {
		return nil, nil
	}
	return limit.New(p)
}

// checkMethodLimits reports a WithMethodLimits naming no registered
// method.
func (s *Server) checkMethodLimits() error {
	for k := range s.opts.methodLimits {
		if s.methods.services[k.service][k.method] == nil {
			return fmt.Errorf("server: WithMethodLimits(%s, %s): no such method registered", k.service, k.method)
		}
	}
	return nil
}

// admission is an admitted call's hold on the limiters that admitted it.
type admission struct {
	srv, mth *limit.Limiter
	st, mt   limit.Ticket
}

// release gives the call's places back, once its reply is written.
func (a *admission) release() {
	if a.mth != nil {
		a.mth.Release(a.mt)
	}
	if a.srv != nil {
		a.srv.Release(a.st)
	}
}

// admit asks m's limiter and the server's to admit a call of m from
// remote. It returns the call's admission, or the message to refuse it
// with, having logged the refusal at debug level.
func (s *Server) admit(m *method, remote net.Addr) (a admission, refused string) {
	if l := m.limiter.Load(); l != nil {
		t, r := l.Acquire()
		if r != limit.Admitted {
			return a, s.refuse(m, remote, "method", l, r)
		}
		a.mth, a.mt = l, t
	}
	if l := s.limiter.Load(); l != nil {
		t, r := l.Acquire()
		if r != limit.Admitted {
			if a.mth != nil {
				a.mth.Abort(a.mt)
			}
			return admission{}, s.refuse(m, remote, "server", l, r)
		}
		a.srv, a.st = l, t
	}
	return a, ""
}

// refuse logs a refused call and returns the message its caller gets.
func (s *Server) refuse(m *method, remote net.Addr, scope string, l *limit.Limiter, r limit.Reason) string {
	var n string
	if r == limit.OverQPS {
		n = strconv.FormatFloat(l.Policy().QPS, 'g', -1, 64)
	} else {
		n = strconv.Itoa(l.Limit())
	}
	msg := "osprey: " + m.service + "." + m.name + " rejected: " + scope + " " + r.String() + " " + n + " reached"
	if s.opts.logger.Enabled(context.Background(), slog.LevelDebug) {
		s.opts.logger.Debug("osprey: call rejected", "reason", msg, "remote", remote)
	}
	return msg
}
