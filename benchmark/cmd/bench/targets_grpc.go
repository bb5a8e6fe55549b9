package main

import (
	"fmt"
	"strings"

	"github.com/ospreyrpc/osprey/benchmark/system"
)

// The systems the gRPC goals compare: Osprey's gRPC client and server,
// unary and bidirectional-stream ping-pong, against grpc-go's.
const (
	ospreyGRPC       = "osprey-grpc"
	ospreyGRPCStream = "osprey-grpc-stream"
	grpcGo           = "grpcgo"
	grpcGoStream     = "grpcgo-stream"
)

// maxGRPCAllocs is the allocations per unary gRPC call the goals allow on
// each side, beyond the caller's own context (client) and the handler's
// reply (server), checked as maxAllocs is.
const maxGRPCAllocs = 4

// grpcTargets checks the goals for Osprey's gRPC transport against grpc-go
// at c=100, and with the idle results: unary QPS ≥ 2 × grpcgo with p99 ≤
// 0.5 × grpcgo's and at most maxGRPCAllocs allocations per call per side;
// streaming QPS ≥ 1.3 × grpcgo-stream with p99 ≤ its; idle server RSS per
// connection ≤ half of grpcgo's. The goals are listed once any gRPC
// system has been measured (in the matrix or idle); a goal whose systems
// have no run that succeeded is listed as not measured, saying which.
func (s summary) grpcTargets(idle []*idleResult) []target {
	idleOf := map[string]*idleResult{}
	measured := false
	for _, r := range idle {
		idleOf[r.system] = r
		measured = measured || isGRPC(r.system)
	}
	for _, r := range s.rows {
		measured = measured || (r.runs > 0 && r.c == 100 && isGRPC(r.system))
	}
	if !measured {
		return nil
	}
	var ts []target
	// add adds the goal name, not measured if any of systems has no run
	// at c=100 that succeeded, else checked by check.
	add := func(name string, systems []string, check func() (bool, string)) {
		var missing []string
		for _, sys := range systems {
			if _, ok := s.find(sys, 100); !ok {
				missing = append(missing, sys)
			}
		}
		if len(missing) > 0 {
			ts = append(ts, target{name: name, unmeasured: true, detail: "no run of " + strings.Join(missing, " and ") + " at c=100"})
			return
		}
		met, detail := check()
		ts = append(ts, target{name: name, met: met, detail: detail})
	}
	// atLeast checks a's QPS over b's, atMost a's p99 over b's (medians of
	// the ratios within rounds), against a bound.
	atLeast := func(a, b string, bound float64) func() (bool, string) {
		return func() (bool, string) {
			r := s.ratio(a, b, 100, qpsOf)
			return r >= bound, fmtRatio(r) + " × " + b
		}
	}
	atMost := func(a, b string, bound float64) func() (bool, string) {
		return func() (bool, string) {
			r := s.ratio(a, b, 100, p99Of)
			return r > 0 && r <= bound, fmtRatio(r) + " × " + b + " p99"
		}
	}
	unary, stream := []string{ospreyGRPC, grpcGo}, []string{ospreyGRPCStream, grpcGoStream}
	add(ospreyGRPC+" QPS ≥ 2 × grpcgo", unary, atLeast(ospreyGRPC, grpcGo, 2))
	add(ospreyGRPC+" p99 ≤ 0.5 × grpcgo p99", unary, atMost(ospreyGRPC, grpcGo, 0.5))
	add(fmt.Sprintf("%s client allocs/call ≤ %d beyond the caller's own context", ospreyGRPC, maxGRPCAllocs), unary[:1], func() (bool, string) {
		o, _ := s.find(ospreyGRPC, 100)
		return roundTenth(o.allocs-o.ctxAllocs) <= maxGRPCAllocs, fmt.Sprintf("%.1f of %.1f", o.allocs-o.ctxAllocs, o.allocs)
	})
	add(fmt.Sprintf("%s server allocs/call ≤ %d beyond the handler's reply", ospreyGRPC, maxGRPCAllocs), unary[:1], func() (bool, string) {
		o, _ := s.find(ospreyGRPC, 100)
		return roundTenth(o.serverAllocs-handlerAllocs) <= maxGRPCAllocs, fmt.Sprintf("%.1f of %.1f", o.serverAllocs-handlerAllocs, o.serverAllocs)
	})
	add(ospreyGRPCStream+" QPS ≥ 1.3 × grpcgo-stream", stream, atLeast(ospreyGRPCStream, grpcGoStream, 1.3))
	add(ospreyGRPCStream+" p99 ≤ grpcgo-stream p99", stream, atMost(ospreyGRPCStream, grpcGoStream, 1))

	o, g := idleOf[ospreyGRPC], idleOf[grpcGo]
	for _, st := range []struct {
		when string
		kb   func(*idleResult) float64
	}{
		{"after connect", func(r *idleResult) float64 { return r.connectKB }},
		{"after one call each", func(r *idleResult) float64 { return r.oneCallKB }},
	} {
		name := "idle gRPC connections, " + ospreyGRPC + " server RSS per connection " + st.when + " ≤ 0.5 × grpcgo's"
		if o == nil || g == nil {
			var missing []string
			if o == nil {
				missing = append(missing, ospreyGRPC)
			}
			if g == nil {
				missing = append(missing, grpcGo)
			}
			ts = append(ts, target{name: name, unmeasured: true, detail: "no idle measurement of " + strings.Join(missing, " and ")})
			continue
		}
		ts = append(ts, target{name: fmt.Sprintf("%d %s", o.n, name), met: st.kb(o) <= 0.5*st.kb(g),
			detail: fmt.Sprintf("%.1f KiB against %.1f", st.kb(o), st.kb(g))})
	}
	return ts
}

// isGRPC says whether the system called name speaks gRPC.
func isGRPC(name string) bool {
	sys, err := system.Lookup(name)
	return err == nil && sys.GRPC
}
