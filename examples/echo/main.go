package main

import (
	"context"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"time"

	"github.com/ospreyrpc/osprey/client"
	"github.com/ospreyrpc/osprey/endpoint"
	"github.com/ospreyrpc/osprey/examples/echo/gen/echo"
	"github.com/ospreyrpc/osprey/rpcinfo"
	"github.com/ospreyrpc/osprey/server"
)

// handler implements the EchoServer service.
type handler struct{}

func (handler) Echo(ctx context.Context, req *echo.Request) (*echo.Response, error) {
	return &echo.Response{Action: req.Action, Msg: req.Msg}, nil
}

func main() {
	if err := run(os.Stdout); err != nil {
		log.Fatal(err)
	}
}

func run(out io.Writer) error {
	s, err := server.New()
	if err != nil {
		return err
	}
	if err := echo.RegisterEchoServer(s, handler{}); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	go s.Serve(ln)
	defer s.Stop(context.Background())
	fmt.Fprintln(out, "server listening on", ln.Addr())

	// The middleware reports what rpcinfo recorded once the call is done.
	var info *rpcinfo.Info
	c, err := echo.NewEchoServerClient(ln.Addr().String(), client.WithMiddleware(
		func(next endpoint.Endpoint) endpoint.Endpoint {
			return func(ctx context.Context, req, resp any) error {
				info = rpcinfo.FromContext(ctx)
				return next(ctx, req, resp)
			}
		}))
	if err != nil {
		return err
	}
	defer c.Close()

	req := &echo.Request{Action: "echo", Msg: "hello, osprey"}
	fmt.Fprintln(out, "request: ", req)
	resp, err := c.Echo(context.Background(), req)
	if err != nil {
		return err
	}
	fmt.Fprintln(out, "reply:   ", resp)
	fmt.Fprintf(out, "call:     %s.%s over %s, seq %d, %d bytes out, %d bytes in, %v\n",
		info.Service, info.Method, info.Protocol, info.SeqID, info.BytesOut, info.BytesIn,
		info.Duration().Round(time.Microsecond))
	return nil
}
