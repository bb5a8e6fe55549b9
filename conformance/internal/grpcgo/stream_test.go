package grpcgo_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"testing"
	"time"

	grpcgo "google.golang.org/grpc"
	gcodes "google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	gstatus "google.golang.org/grpc/status"

	"github.com/ospreyrpc/osprey/codes"
	"github.com/ospreyrpc/osprey/endpoint"
	"github.com/ospreyrpc/osprey/server"
	"github.com/ospreyrpc/osprey/service"
	"github.com/ospreyrpc/osprey/status"
)

// streamDesc is a service "raw.Stream" with the three streaming kinds:
// Count sends back n messages for a request "n" (server streaming), Sum
// answers the number of messages received (client streaming), Chat echoes
// each message (bidirectional) and fails with Aborted on "abort".
var streamDesc = service.Desc{Name: "raw.Stream", Methods: []service.Method{
	{Name: "Count", Kind: service.ServerStreaming, NewCall: noStorage, StreamHandler: func(ctx context.Context, _ any, st endpoint.Stream) error {
		var req raw
		if err := st.Recv(&req); err != nil {
			return err
		}
		n, err := strconv.Atoi(string(req.b))
		if err != nil {
			return status.New(codes.InvalidArgument, "want a number")
		}
		for i := range n {
			if err := st.Send(&raw{[]byte(fmt.Sprint(i))}); err != nil {
				return err
			}
		}
		return nil
	}},
	{Name: "Sum", Kind: service.ClientStreaming, NewCall: noStorage, StreamHandler: func(ctx context.Context, _ any, st endpoint.Stream) error {
		n := 0
		for {
			var m raw
			err := st.Recv(&m)
			if errors.Is(err, io.EOF) {
				return st.Send(&raw{[]byte(fmt.Sprint(n))})
			}
			if err != nil {
				return err
			}
			n++
		}
	}},
	{Name: "Chat", Kind: service.BidiStreaming, NewCall: noStorage, StreamHandler: func(ctx context.Context, _ any, st endpoint.Stream) error {
		for {
			var m raw
			err := st.Recv(&m)
			if errors.Is(err, io.EOF) {
				return nil
			}
			if err != nil {
				return err
			}
			if string(m.b) == "abort" {
				return status.New(codes.Aborted, "aborted on request")
			}
			if err := st.Send(&m); err != nil {
				return err
			}
		}
	}},
}}

func noStorage() service.Call { return service.Call{} }

func TestGRPCGoClientStreaming(t *testing.T) {
	s, err := server.New()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Register(&streamDesc, struct{}{}); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go s.Serve(ln)
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := s.Stop(ctx); err != nil {
			t.Errorf("Stop: %v", err)
		}
	}()
	cc, err := grpcgo.NewClient("passthrough:///"+ln.Addr().String(),
		grpcgo.WithTransportCredentials(insecure.NewCredentials()),
		grpcgo.WithDefaultCallOptions(grpcgo.ForceCodec(rawCodec{})))
	if err != nil {
		t.Fatal(err)
	}
	defer cc.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	open := func(method string, client, server bool) grpcgo.ClientStream {
		st, err := cc.NewStream(ctx, &grpcgo.StreamDesc{ClientStreams: client, ServerStreams: server}, method)
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	send := func(st grpcgo.ClientStream, s string) {
		b := []byte(s)
		if err := st.SendMsg(&b); err != nil {
			t.Fatalf("send %q: %v", s, err)
		}
	}
	recv := func(st grpcgo.ClientStream) (string, error) {
		var b []byte
		err := st.RecvMsg(&b)
		return string(b), err
	}

	t.Run("server streaming", func(t *testing.T) {
		st := open("/raw.Stream/Count", false, true)
		send(st, "5")
		st.CloseSend()
		for i := range 5 {
			if got, err := recv(st); err != nil || got != fmt.Sprint(i) {
				t.Fatalf("message %d: %q %v", i, got, err)
			}
		}
		if _, err := recv(st); err != io.EOF {
			t.Fatalf("end: %v, want io.EOF", err)
		}
	})
	t.Run("client streaming", func(t *testing.T) {
		st := open("/raw.Stream/Sum", true, false)
		for range 7 {
			send(st, "x")
		}
		st.CloseSend()
		if got, err := recv(st); err != nil || got != "7" {
			t.Fatalf("sum: %q %v", got, err)
		}
	})
	t.Run("bidirectional", func(t *testing.T) {
		st := open("/raw.Stream/Chat", true, true)
		for i := range 20 {
			msg := fmt.Sprint("ping ", i)
			send(st, msg)
			if got, err := recv(st); err != nil || got != msg {
				t.Fatalf("echo %d: %q %v", i, got, err)
			}
		}
		send(st, "abort")
		_, err := recv(st)
		if s, _ := gstatus.FromError(err); s.Code() != gcodes.Aborted || s.Message() != "aborted on request" {
			t.Fatalf("abort: %v", err)
		}
	})
	t.Run("empty stream", func(t *testing.T) {
		st := open("/raw.Stream/Chat", true, true)
		st.CloseSend()
		if _, err := recv(st); err != io.EOF {
			t.Fatalf("empty stream: %v, want io.EOF", err)
		}
	})
}
