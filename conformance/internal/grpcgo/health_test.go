package grpcgo_test

import (
	"context"
	"net"
	"testing"
	"time"

	grpcgo "google.golang.org/grpc"
	gcodes "google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	gstatus "google.golang.org/grpc/status"

	"github.com/ospreyrpc/osprey/health"
	"github.com/ospreyrpc/osprey/server"
)

// TestGRPCGoHealthClient asks an Osprey server's health service with
// grpc-go's own health client: Check for the server and a service, an
// unknown service, and Watch following a change.
func TestGRPCGoHealthClient(t *testing.T) {
	s, err := server.New()
	if err != nil {
		t.Fatal(err)
	}
	h := health.New()
	if err := health.Register(s, h); err != nil {
		t.Fatal(err)
	}
	h.SetServingStatus("echo.Echo", health.NotServing)
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
	cc, err := grpcgo.NewClient("passthrough:///"+ln.Addr().String(), grpcgo.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	defer cc.Close()
	hc := healthpb.NewHealthClient(cc)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	for _, c := range []struct {
		service string
		want    healthpb.HealthCheckResponse_ServingStatus
	}{{"", healthpb.HealthCheckResponse_SERVING}, {"echo.Echo", healthpb.HealthCheckResponse_NOT_SERVING}} {
		resp, err := hc.Check(ctx, &healthpb.HealthCheckRequest{Service: c.service})
		if err != nil || resp.GetStatus() != c.want {
			t.Errorf("Check(%q) = %v, %v; want %v", c.service, resp.GetStatus(), err, c.want)
		}
	}
	if _, err := hc.Check(ctx, &healthpb.HealthCheckRequest{Service: "nope"}); gstatus.Code(err) != gcodes.NotFound {
		t.Errorf("Check(unknown) = %v, want NotFound", err)
	}

	w, err := hc.Watch(ctx, &healthpb.HealthCheckRequest{Service: "echo.Echo"})
	if err != nil {
		t.Fatal(err)
	}
	first, err := w.Recv()
	if err != nil || first.GetStatus() != healthpb.HealthCheckResponse_NOT_SERVING {
		t.Fatalf("Watch first = %v, %v", first.GetStatus(), err)
	}
	h.SetServingStatus("echo.Echo", health.Serving)
	next, err := w.Recv()
	if err != nil || next.GetStatus() != healthpb.HealthCheckResponse_SERVING {
		t.Fatalf("Watch after the change = %v, %v", next.GetStatus(), err)
	}
	h.Shutdown()
	last, err := w.Recv()
	if err != nil || last.GetStatus() != healthpb.HealthCheckResponse_NOT_SERVING {
		t.Fatalf("Watch after Shutdown = %v, %v", last.GetStatus(), err)
	}
	unknown, err := hc.Watch(ctx, &healthpb.HealthCheckRequest{Service: "nope"})
	if err != nil {
		t.Fatal(err)
	}
	if r, err := unknown.Recv(); err != nil || r.GetStatus() != healthpb.HealthCheckResponse_SERVICE_UNKNOWN {
		t.Fatalf("Watch(unknown) = %v, %v", r.GetStatus(), err)
	}
}
