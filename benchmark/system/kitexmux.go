package system

import (
	"net"
	"sync"

	"github.com/cloudwego/kitex/client"
	"github.com/cloudwego/kitex/server"
	"github.com/cloudwego/kitex/transport"

	kitexecho "github.com/ospreyrpc/osprey/benchmark/gen/kitex/echo"
	"github.com/ospreyrpc/osprey/benchmark/gen/kitex/echo/echoserver"
)

// KitexMux is Kitex's multiplexed transport, set up as kitex-benchmark's
// kitex-mux: a client with WithMuxConnection(MuxConns) (2, the count
// kitex-benchmark passes; one per core here), which needs TTHeader
// (WithMuxConnection sets it; it is also passed explicitly), and a server
// with WithMuxTransport. Kitex marks both deprecated ("no longer being
// maintained") in v0.16.3, but they are still its multiplexed Thrift path.
var KitexMux = System{
	Name:      "kitex-mux",
	Doc:       "CloudWeGo Kitex v0.16.3 multiplexed: TTHeader framed binary Thrift over 2 connections (kitex-benchmark's kitex-mux count; one per core here), WithMuxTransport server",
	Serve:     serveKitexMux,
	NewClient: newKitexMuxClient,
}

func serveKitexMux(ln net.Listener) (func(), error) {
	return serveKitexHandler(ln, &kitexHandler{}, server.WithMuxTransport())
}

// newKitexMuxClient returns one multiplexed Kitex client for every caller.
func newKitexMuxClient(addr string, _ int) (Client, error) {
	c, err := echoserver.NewClient("test.echo.kitex",
		client.WithTransportProtocol(transport.TTHeader),
		client.WithHostPorts(addr),
		client.WithMuxConnection(MuxConns),
	)
	if err != nil {
		return nil, err
	}
	return &kitexClient{
		c:    c,
		reqs: sync.Pool{New: func() any { return &kitexecho.Request{} }},
	}, nil
}
