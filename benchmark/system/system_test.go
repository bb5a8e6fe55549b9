package system

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	kitexserver "github.com/cloudwego/kitex/server"

	"github.com/ospreyrpc/osprey/examples/echo/gen/echo"
	"github.com/ospreyrpc/osprey/server"

	apacheecho "github.com/ospreyrpc/osprey/benchmark/gen/apache/echo"
	kitexecho "github.com/ospreyrpc/osprey/benchmark/gen/kitex/echo"
)

func listen(t *testing.T) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return ln
}

// TestEcho serves each system and calls it from several goroutines, each
// with its own caller, with messages of several sizes.
func TestEcho(t *testing.T) {
	const callers = 4
	sizes := []int{0, 1, 1024, 65536}
	for _, sys := range All() {
		t.Run(sys.Name, func(t *testing.T) {
			skipKitexMuxRace(t, sys)
			ln := listen(t)
			stop, err := sys.Serve(ln)
			if err != nil {
				t.Fatal(err)
			}
			c, err := sys.NewClient(ln.Addr().String(), callers)
			if err != nil {
				stop()
				t.Fatal(err)
			}
			var wg sync.WaitGroup
			errs := make(chan error, callers)
			for i := range callers {
				call, err := c.Caller()
				if err != nil {
					t.Fatalf("caller %d: %v", i, err)
				}
				wg.Add(1)
				go func() {
					defer wg.Done()
					for range 3 {
						for _, n := range sizes {
							if err := call(strings.Repeat("x", n)); err != nil {
								errs <- err
								return
							}
						}
					}
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Error(err)
			}
			if err := c.Close(); err != nil {
				t.Errorf("close client: %v", err)
			}
			stop()
		})
	}
}

// skipKitexMuxRace skips kitex-mux under the race detector: Kitex v0.16.3's
// own (deprecated) netpollmux pool has a data race in MuxPool.Get
// (mux_pool.go:130, conns.put against concurrent readers), which fails any
// test that uses it. The tests without -race still run it.
func skipKitexMuxRace(t *testing.T, sys System) {
	t.Helper()
	if raceEnabled && sys.Name == KitexMux.Name {
		t.Skip("Kitex v0.16.3 netpollmux.MuxPool has a data race of its own")
	}
}

// lie is what a misbehaving server answers to action and msg.
type lie func(action, msg string) (string, string)

var lies = map[string]lie{
	"longer message": func(action, msg string) (string, string) { return action, msg + "!" },
	"wrong action":   func(_, msg string) (string, string) { return "ohce", msg },
	// Same length, one byte changed: a check of lengths alone passes it.
	"changed byte": func(action, msg string) (string, string) { return action, msg[:len(msg)-1] + "!" },
}

// ospreyLiar lies with lie; if deadline is set, it also fails calls
// whose context lacks the caller's deadline (TTHeader carries it).
type ospreyLiar struct {
	lie      lie
	deadline bool
}

func (h ospreyLiar) Echo(ctx context.Context, req *echo.Request) (*echo.Response, error) {
	if h.deadline {
		if err := checkDeadline(ctx); err != nil {
			return nil, err
		}
	}
	a, m := h.lie(req.Action, req.Msg)
	return &echo.Response{Action: a, Msg: m}, nil
}

type kitexLiar struct{ lie lie }

func (h *kitexLiar) Echo(_ context.Context, req *kitexecho.Request) (*kitexecho.Response, error) {
	a, m := h.lie(req.Action, req.Msg)
	return &kitexecho.Response{Action: a, Msg: m}, nil
}

// checkDeadline returns an error unless ctx, a server handler's context,
// carries a deadline within callTimeout: the caller passed its deadline
// and the protocol carried it. Framed binary Thrift carries none.
func checkDeadline(ctx context.Context) error {
	d, ok := ctx.Deadline()
	if !ok {
		return errors.New("handler's context has no deadline")
	}
	if left := time.Until(d); left <= 0 || left > callTimeout {
		return fmt.Errorf("handler's deadline is %v away, want within %v", left, callTimeout)
	}
	return nil
}

type apacheLiar struct{ lie lie }

func (h apacheLiar) Echo(_ context.Context, req *apacheecho.Request) (*apacheecho.Response, error) {
	a, m := h.lie(req.Action, req.Msg)
	return &apacheecho.Response{Action: a, Msg: m}, nil
}

func serveOspreyLiar(ln net.Listener, l lie) (func(), error) {
	return serveOspreyHandler(ln, ospreyLiar{lie: l})
}

// serveOspreyDeadlineLiar is serveOspreyLiar whose handler also wants the
// caller's deadline.
func serveOspreyDeadlineLiar(ln net.Listener, l lie) (func(), error) {
	return serveOspreyHandler(ln, ospreyLiar{lie: l, deadline: true})
}

func serveOspreyHandler(ln net.Listener, h echo.EchoServer) (func(), error) {
	s, err := server.New()
	if err != nil {
		return nil, err
	}
	if err := echo.RegisterEchoServer(s, h); err != nil {
		return nil, err
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.Serve(ln)
	}()
	return func() {
		s.Stop(context.Background())
		<-done
	}, nil
}

// serveRawLiar answers each raw message with one byte more, or with its
// last byte changed.
func serveRawLiar(ln net.Listener, longer bool) (func(), error) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		r := bufio.NewReader(c)
		for {
			var hdr [4]byte
			if _, err := io.ReadFull(r, hdr[:]); err != nil {
				return
			}
			n := binary.BigEndian.Uint32(hdr[:])
			msg := make([]byte, 4+n+1)
			if _, err := io.ReadFull(r, msg[4:4+n]); err != nil {
				return
			}
			if longer {
				n++
			} else {
				msg = msg[:4+n]
				msg[3+n] ^= 1
			}
			binary.BigEndian.PutUint32(msg, n)
			if _, err := c.Write(msg); err != nil {
				return
			}
		}
	}()
	return func() {
		ln.Close()
		<-done
	}, nil
}

// TestWrongReply checks that each system's caller reports a reply that
// arrives intact but does not echo the request as an error: servers of the
// same framework whose handler lies get a "bad reply" error, not a
// transport error, so the reply was decoded and then rejected.
func TestWrongReply(t *testing.T) {
	type liar struct {
		sys   System
		serve func(net.Listener, lie) (func(), error)
	}
	liars := []liar{
		{Osprey, serveOspreyLiar},
		{Kitex, func(ln net.Listener, l lie) (func(), error) { return serveKitexHandler(ln, &kitexLiar{l}) }},
		{Apache, func(ln net.Listener, l lie) (func(), error) { return serveApacheHandler(ln, apacheLiar{l}) }},
		{RawClientOsprey, serveOspreyLiar},
		{OspreyTTHeader, serveOspreyDeadlineLiar},
		{OspreyMux, serveOspreyDeadlineLiar},
		{KitexMux, func(ln net.Listener, l lie) (func(), error) {
			return serveKitexHandler(ln, &kitexLiar{l}, kitexserver.WithMuxTransport())
		}},
		{GRPCGo, serveGRPCGoLiar},
		{GRPCGoStream, serveGRPCGoLiar},
		{KitexGRPC, serveKitexGRPCLiar},
		{KitexGRPCStream, serveKitexGRPCLiar},
		{Connect, serveConnectLiar},
		{ConnectStream, serveConnectLiar},
		{OspreyGRPC, serveOspreyGRPCLiar},
		{OspreyGRPCStream, serveOspreyGRPCLiar},
		{GRPCGoClientOsprey, serveOspreyGRPCLiar},
	}
	for _, lr := range liars {
		for name, l := range lies {
			t.Run(lr.sys.Name+"/"+name, func(t *testing.T) {
				skipKitexMuxRace(t, lr.sys)
				ln := listen(t)
				stop, err := lr.serve(ln, l)
				if err != nil {
					t.Fatal(err)
				}
				defer stop()
				wantWrong(t, lr.sys, ln.Addr().String(), "bad reply")
			})
		}
	}
	for name, want := range map[string]string{
		"longer message": "6 bytes back, sent 5",
		"changed byte":   "bad reply: differs from the message sent at byte 4",
	} {
		t.Run("raw/"+name, func(t *testing.T) {
			ln := listen(t)
			stop, err := serveRawLiar(ln, name == "longer message")
			if err != nil {
				t.Fatal(err)
			}
			defer stop()
			wantWrong(t, Raw, ln.Addr().String(), want)
		})
	}
}

// wantWrong calls sys's server at addr and wants an error containing want.
func wantWrong(t *testing.T, sys System, addr, want string) {
	t.Helper()
	c, err := sys.NewClient(addr, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	call, err := c.Caller()
	if err != nil {
		t.Fatal(err)
	}
	err = call("hello")
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("call got error %v, want one containing %q", err, want)
	}
}
