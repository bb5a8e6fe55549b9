//go:build !race

package client_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/ospreyrpc/osprey/circuitbreak"
	"github.com/ospreyrpc/osprey/client"
	"github.com/ospreyrpc/osprey/internal/gen/echo"
	"github.com/ospreyrpc/osprey/loadbalance"
	"github.com/ospreyrpc/osprey/retry"
)

// BenchmarkGovernance compares a typed call with the client's defaults to
// one through the whole governance stack (P2C, a breaker, retries and a
// backup armed; nothing trips), against a canned server in the process.
func BenchmarkGovernance(b *testing.B) {
	msg := strings.Repeat("x", 1024)
	for _, bc := range []struct {
		name string
		opts []client.Option
	}{
		{"bare", nil},
		{"governed", []client.Option{client.WithBalancer(loadbalance.P2C()), client.WithPolicy(client.Policy{
			Retry:   retry.Policy{MaxAttempts: 3, Idempotent: true, BackupDelay: time.Second},
			Breaker: &circuitbreak.Policy{}})}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			addr := cannedServer(b, &echo.Response{Action: "echo", Msg: msg}, false)
			cli, err := echo.NewEchoClient(addr, bc.opts...)
			if err != nil {
				b.Fatal(err)
			}
			defer cli.Close()
			req := &echo.Request{Action: "echo", Msg: msg}
			b.ReportAllocs()
			for b.Loop() {
				ctx, cancel := context.WithTimeout(context.Background(), time.Second)
				if _, err := cli.Echo(ctx, req); err != nil {
					b.Fatal(err)
				}
				cancel()
			}
		})
	}
}
