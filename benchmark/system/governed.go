package system

import (
	"net"
	"time"

	"github.com/ospreyrpc/osprey/circuitbreak"
	"github.com/ospreyrpc/osprey/client"
	"github.com/ospreyrpc/osprey/limit"
	"github.com/ospreyrpc/osprey/loadbalance"
	"github.com/ospreyrpc/osprey/retry"
	"github.com/ospreyrpc/osprey/server"
)

// OspreyGoverned is Osprey with the whole governance stack on and nothing
// tripping, to measure what it costs against Osprey: a client whose echo
// method has failure retries (3 attempts, idempotent), a backup request
// armed at 1 s, a retry budget, a circuit breaker, the P2C picker with
// instance health, and a server with a QPS limit, an
// in-flight limit and a per-method in-flight limit, all far above the
// load.
var OspreyGoverned = System{
	Name: "osprey-governed",
	Doc:  "Osprey as osprey, with retries, backup requests, breaker, P2C and server limits on (none tripping)",
	Serve: func(ln net.Listener) (func(), error) {
		return serveOspreyWith(ln, governedServer("EchoServer")...)
	},
	NewClient: func(addr string, callers int) (Client, error) {
		return newOspreyClient(addr, append(governedClient(), client.WithMaxIdleConns(max(callers, 1)))...)
	},
}

// OspreyGRPCGoverned is OspreyGRPC with the governance stack of
// OspreyGoverned.
var OspreyGRPCGoverned = System{
	Name: "osprey-grpc-governed",
	Doc:  "Osprey gRPC as osprey-grpc, with retries, backup requests, breaker, P2C and server limits on (none tripping)",
	Serve: func(ln net.Listener) (func(), error) {
		return serveOspreyGRPCWith(ln, governedServer("echo.Echo")...)
	},
	NewClient: func(addr string, _ int) (Client, error) { return newOspreyGRPCClient(addr, false, governedClient()...) },
	GRPC:      true,
}

// governedServer returns the server options of the governed systems:
// limits far above any load, on the server and on service's Echo.
func governedServer(service string) []server.Option {
	return []server.Option{
		server.WithLimits(limit.Policy{QPS: 10_000_000, MaxInFlight: 100_000}),
		server.WithMethodLimits(service, "Echo", limit.Policy{MaxInFlight: 100_000}),
	}
}

// governedClient returns the client options of the governed systems.
func governedClient() []client.Option {
	return []client.Option{
		client.WithBalancer(loadbalance.P2C()),
		client.WithPolicy(client.Policy{
			Retry:   retry.Policy{MaxAttempts: 3, Idempotent: true, BackupDelay: time.Second},
			Breaker: &circuitbreak.Policy{},
		}),
	}
}
