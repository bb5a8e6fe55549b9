package loadbalance

import (
	"time"

	"github.com/ospreyrpc/osprey/internal/breaker"
)

// WithClock returns b with nodes it sets up reading the time from now.
func WithClock(b Balancer, now func() time.Duration) Balancer {
	return tune(b, func(c *config) { c.clock = func() int64 { return int64(now()) } })
}

// Ejected reports whether n's health has it out of service or on probation.
func Ejected(n *Node) bool {
	h := n.config().health
	return h != nil && h.State() != breaker.Closed
}
