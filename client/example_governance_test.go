package client_test

import (
	"log"
	"time"

	"github.com/ospreyrpc/osprey/circuitbreak"
	"github.com/ospreyrpc/osprey/client"
	"github.com/ospreyrpc/osprey/codes"
	"github.com/ospreyrpc/osprey/internal/gen/echo"
	"github.com/ospreyrpc/osprey/loadbalance"
	"github.com/ospreyrpc/osprey/retry"
)

// A client of three instances that balances by latency and load, retries
// the idempotent echo method on another instance (Thrift servers' errors
// arrive as Internal), sends a backup request when a reply is slower than
// the method's recent p99, and stops calling a method that keeps failing.
func ExampleWithMethodPolicy() {
	c, err := client.New("10.0.0.1:9090,10.0.0.2:9090,10.0.0.3:9090", echo.EchoDesc(),
		client.WithBalancer(loadbalance.WithWarmUp(loadbalance.P2C(), 30*time.Second)),
		client.WithMethodPolicy("echo", client.Policy{
			Timeout: 2 * time.Second,
			Retry: retry.Policy{
				MaxAttempts:      3,
				Idempotent:       true,
				Codes:            []codes.Code{codes.Unavailable, codes.ResourceExhausted, codes.Internal},
				BackupDelay:      50 * time.Millisecond, // until there are enough samples
				BackupPercentile: 99,
			},
			Breaker: &circuitbreak.Policy{ErrorRate: 0.5, MinCalls: 50},
		}))
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	// Later, without a restart: calls in flight keep the old policy.
	if err := c.SetPolicy("echo", client.Policy{Timeout: time.Second}); err != nil {
		log.Fatal(err)
	}
}
