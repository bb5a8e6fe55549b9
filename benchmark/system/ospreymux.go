package system

import "github.com/ospreyrpc/osprey/client"

// MuxConns is the number of connections the multiplexed systems,
// osprey-mux and kitex-mux, open to the server: 2, what kitex-benchmark's
// kitex-mux client passes to WithMuxConnection, and one per core of the
// 2-core machine the benchmark runs on.
const MuxConns = 2

// OspreyTTHeader is Osprey's client with TTHeader around framed binary
// Thrift, over the same ping-pong pool as Osprey; Osprey's server detects
// TTHeader by itself.
var OspreyTTHeader = System{
	Name:        "osprey-ttheader",
	Doc:         "Osprey, TTHeader around framed binary Thrift, pooled long connections (as osprey)",
	Serve:       serveOsprey,
	ServeOsprey: serveOspreyWith,
	NewClient: func(addr string, callers int) (Client, error) {
		return newOspreyClient(addr, client.WithTTHeader(), client.WithMaxIdleConns(max(callers, 1)))
	},
	DialOsprey: func(target string, callers int, opts ...client.Option) (Client, error) {
		return newOspreyClient(target, append(opts, client.WithTTHeader(), client.WithMaxIdleConns(max(callers, 1)))...)
	},
}

// OspreyMux is Osprey's client with calls multiplexed over MuxConns
// TTHeader connections (2: as kitex-benchmark's kitex-mux, one per core);
// Osprey's server serves such connections concurrently by itself.
var OspreyMux = System{
	Name:        "osprey-mux",
	Doc:         "Osprey, TTHeader framed binary Thrift, calls multiplexed over 2 connections (kitex-benchmark's kitex-mux count; one per core here)",
	Serve:       serveOsprey,
	ServeOsprey: serveOspreyWith,
	NewClient: func(addr string, _ int) (Client, error) {
		return newOspreyClient(addr, client.WithMultiplex(MuxConns))
	},
	DialOsprey: func(target string, _ int, opts ...client.Option) (Client, error) {
		return newOspreyClient(target, append(opts, client.WithMultiplex(MuxConns))...)
	},
}
