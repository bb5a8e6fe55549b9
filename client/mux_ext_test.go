package client_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/ospreyrpc/osprey/client"
	"github.com/ospreyrpc/osprey/codes"
	"github.com/ospreyrpc/osprey/internal/echotest"
	"github.com/ospreyrpc/osprey/internal/gen/echo"
	"github.com/ospreyrpc/osprey/internal/leakcheck"
	"github.com/ospreyrpc/osprey/status"
)

// TestMuxManyCallsFewConnections makes many concurrent calls over two
// multiplexed connections and checks every reply belongs to its call.
func TestMuxManyCallsFewConnections(t *testing.T) {
	leakcheck.Check(t)
	srv := echotest.Serve(t, "tcp")
	cli, _ := dial(t, srv.Target, client.WithMultiplex(2))
	var wg sync.WaitGroup
	for g := range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 20 {
				msg := fmt.Sprintf("g%d-%d", g, i)
				resp, err := cli.Echo(context.Background(), &echo.Request{Msg: msg})
				if err != nil || resp.Msg != msg {
					t.Errorf("call %s: %v %v", msg, resp, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if n := srv.Accepted(); n != 2 {
		t.Errorf("1000 calls used %d connections, want 2", n)
	}
}

// TestMuxSlowCallDoesNotBlockOthers holds one call in its handler and
// checks that calls on the same connection go on meanwhile.
func TestMuxSlowCallDoesNotBlockOthers(t *testing.T) {
	leakcheck.Check(t)
	srv := echotest.Serve(t, "tcp")
	cli, _ := dial(t, srv.Target, client.WithMultiplex(1))
	held := make(chan error, 1)
	go func() {
		_, err := cli.Echo(context.Background(), &echo.Request{Action: "hold"})
		held <- err
	}()
	<-srv.Handler.Held
	for i := range 5 {
		msg := fmt.Sprint(i)
		if resp, err := cli.Echo(context.Background(), &echo.Request{Msg: msg}); err != nil || resp.Msg != msg {
			t.Fatalf("call behind a held one: %v %v", resp, err)
		}
	}
	close(srv.Handler.Release)
	if err := <-held; err != nil {
		t.Fatalf("held call: %v", err)
	}
	if n := srv.Accepted(); n != 1 {
		t.Errorf("used %d connections, want 1", n)
	}
}

// TestMuxTimeoutKeepsTheConnection times a call out and checks that the
// connection stays, its late reply is dropped, and the next calls get
// their own replies.
func TestMuxTimeoutKeepsTheConnection(t *testing.T) {
	leakcheck.Check(t)
	srv := echotest.Serve(t, "tcp")
	cli, _ := dial(t, srv.Target, client.WithMultiplex(1))
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	first := make(chan error, 1)
	go func() {
		_, err := cli.Echo(ctx, &echo.Request{Action: "hold", Msg: "late"})
		first <- err
	}()
	<-srv.Handler.Held // the call is in the handler, which holds it
	if err := <-first; status.Code(err) != codes.DeadlineExceeded {
		t.Fatalf("err = %v, want DeadlineExceeded", err)
	}
	ctx2, cancel2 := context.WithCancel(context.Background())
	go func() {
		<-srv.Handler.Held // the second held call is in the handler
		cancel2()
	}()
	var err error
	_, err = cli.Echo(ctx2, &echo.Request{Action: "hold", Msg: "late"})
	if status.Code(err) != codes.Canceled {
		t.Fatalf("err = %v, want Canceled", err)
	}
	// A context with a deadline, cancelled before it: the cancel watch
	// ends the call.
	ctx3, cancel3 := context.WithTimeout(context.Background(), time.Hour)
	go func() {
		<-srv.Handler.Held
		cancel3()
	}()
	start := time.Now()
	_, err = cli.Echo(ctx3, &echo.Request{Action: "hold", Msg: "late"})
	if status.Code(err) != codes.Canceled {
		t.Fatalf("err = %v, want Canceled", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("cancelled call returned after %v", d)
	}
	close(srv.Handler.Release) // the late replies are sent now
	for i := range 5 {
		msg := fmt.Sprint(i)
		if resp, err := cli.Echo(context.Background(), &echo.Request{Msg: msg}); err != nil || resp.Msg != msg {
			t.Fatalf("call after a timeout: %v %v", resp, err)
		}
	}
	if n := srv.Accepted(); n != 1 {
		t.Errorf("used %d connections, want 1", n)
	}
}

// TestMuxConnectionLossFailsOnlyItsCalls kills the server's connections
// with calls in flight: they fail with Unavailable, and later calls dial
// again, never more connections than the pool's size.
func TestMuxConnectionLossFailsOnlyItsCalls(t *testing.T) {
	leakcheck.Check(t)
	srv := echotest.Serve(t, "tcp")
	cli, _ := dial(t, srv.Target, client.WithMultiplex(2))
	for round := 1; round <= 3; round++ {
		var wg sync.WaitGroup
		errs := make(chan error, 4)
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := cli.Echo(context.Background(), &echo.Request{Action: "hold"})
				errs <- err
			}()
		}
		for range 4 {
			<-srv.Handler.Held // all four calls are in their handlers
		}
		srv.CloseConns() // abrupt: no replies
		wg.Wait()
		for range 4 {
			srv.Handler.Release <- struct{}{} // let the orphaned handlers end
		}
		close(errs)
		for err := range errs {
			if status.Code(err) != codes.Unavailable {
				t.Fatalf("round %d: call on a lost connection: %v, want Unavailable", round, err)
			}
		}
		for i := range 10 {
			msg := fmt.Sprint(i)
			if resp, err := cli.Echo(context.Background(), &echo.Request{Msg: msg}); err != nil || resp.Msg != msg {
				t.Fatalf("round %d: call after the loss: %v %v", round, resp, err)
			}
		}
		if n := srv.Accepted(); n != int64(2*(round+1)) {
			t.Fatalf("round %d: %d connections accepted, want %d", round, n, 2*(round+1))
		}
	}
}

func TestMuxOptionErrors(t *testing.T) {
	for _, opts := range [][]client.Option{
		{client.WithMultiplex(0)},
		{client.WithMultiplex(65)},
		{client.WithMultiplex(2), client.WithMultiplex(2)},
	} {
		if _, err := client.New("127.0.0.1:1", echo.EchoDesc(), opts...); err == nil {
			t.Errorf("New with %d options succeeded", len(opts))
		}
	}
}

// TestMuxChurnDialsNoExtraConnections kills the server's connections again
// and again under concurrent load: each loss costs at most one new dial
// per slot, never a pile of connections.
func TestMuxChurnDialsNoExtraConnections(t *testing.T) {
	leakcheck.Check(t)
	srv := echotest.Serve(t, "tcp")
	cli, _ := dial(t, srv.Target, client.WithMultiplex(2))
	const kills = 5
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				resp, err := cli.Echo(context.Background(), &echo.Request{Msg: "m"})
				if err == nil && resp.Msg != "m" {
					t.Errorf("wrong reply %q", resp.Msg)
				}
				if err != nil && status.Code(err) != codes.Unavailable {
					t.Errorf("call during churn: %v, want success or Unavailable", err)
				}
			}
		}()
	}
	bothUp := func(round int) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for srv.OpenConns() != 2 {
			if time.Now().After(deadline) {
				t.Fatalf("round %d: not both connections up within 10s: %d open, %d accepted", round, srv.OpenConns(), srv.Accepted())
			}
			time.Sleep(2 * time.Millisecond) // polls an observed state
		}
	}
	for round := range kills {
		bothUp(round)
		srv.CloseConns()
	}
	bothUp(kills)
	close(stop)
	wg.Wait()
	if n := srv.Accepted(); n > 2*(kills+1) {
		t.Errorf("%d connections accepted for %d losses of 2, want at most %d", n, kills, 2*(kills+1))
	}
}
