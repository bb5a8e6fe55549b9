package main

import (
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ospreyrpc/osprey/benchmark/system"
)

// idleResult is the server's resident memory per connection with n idle
// connections open: after they connected, and after each made one call.
type idleResult struct {
	system                string
	n                     int
	baseKB                int64
	connectKB, oneCallKB  float64 // per connection, over the baseline
	afterConnect, afterKB int64
}

// measureIdle starts the server of system name, opens n connections to
// it, and reads its RSS after they connect and after one call on each.
// The connections of a gRPC system count as connected once their HTTP/2
// handshake (preface and SETTINGS both ways, acknowledged) is done.
func measureIdle(cfg *config, name string, n int, settle time.Duration) (*idleResult, error) {
	sys, err := system.Lookup(name)
	if err != nil {
		return nil, err
	}
	srv, err := startServer(cfg, name)
	if err != nil {
		return nil, err
	}
	defer srv.stop()
	pid := srv.cmd.Process.Pid // taskset execs the server: the pid is the server's
	time.Sleep(settle)
	r := &idleResult{system: name, n: n}
	if r.baseKB, err = rssKB(pid); err != nil {
		return nil, err
	}
	conns := make([]net.Conn, 0, n)
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	for i := 0; i < n; i++ {
		c, err := net.Dial("tcp", srv.addr)
		if err != nil {
			return nil, fmt.Errorf("connection %d: %w", i, err)
		}
		conns = append(conns, c)
	}
	if sys.GRPC {
		if err := eachConn(conns, h2Handshake); err != nil {
			return nil, err
		}
	}
	time.Sleep(settle)
	if r.afterConnect, err = rssKB(pid); err != nil {
		return nil, err
	}
	if err := oneCallEach(sys, srv.addr, conns, cfg.bytes); err != nil {
		return nil, err
	}
	time.Sleep(settle)
	if r.afterKB, err = rssKB(pid); err != nil {
		return nil, err
	}
	r.connectKB = float64(r.afterConnect-r.baseKB) / float64(n)
	r.oneCallKB = float64(r.afterKB-r.baseKB) / float64(n)
	return r, nil
}

// rssKB reads a process's resident set size.
func rssKB(pid int) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			return strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
		}
	}
	return 0, fmt.Errorf("no VmRSS for pid %d", pid)
}

// oneCallEach makes one echo call on every connection to addr, in the
// system's wire format: raw frames for raw, a unary gRPC call on stream 1
// for gRPC systems, framed binary Thrift for the others.
func oneCallEach(sys system.System, addr string, conns []net.Conn, size int) error {
	msg := strings.Repeat("x", size)
	if sys.GRPC {
		req := system.GRPCEchoMessage(msg)
		return eachConn(conns, func(c net.Conn) error { return grpcRoundTrip(c, addr, req) })
	}
	var req []byte
	if sys.Name == "raw" {
		req = append(binary.BigEndian.AppendUint32(nil, uint32(size)), msg...)
	} else {
		req = system.EchoCallFrame(msg)
	}
	return eachConn(conns, func(c net.Conn) error { return roundTrip(c, req, make([]byte, 4+size+256)) })
}

// eachConn calls f on every connection, from 64 goroutines, and returns
// one of the errors, if any.
func eachConn(conns []net.Conn, f func(net.Conn) error) error {
	var wg sync.WaitGroup
	errs := make(chan error, 1)
	work := make(chan net.Conn)
	for w := 0; w < 64; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for c := range work {
				if err := f(c); err != nil {
					select {
					case errs <- err:
					default:
					}
				}
			}
		}()
	}
	for _, c := range conns {
		work <- c
	}
	close(work)
	wg.Wait()
	select {
	case err := <-errs:
		return err
	default:
		return nil
	}
}

// roundTrip writes req and reads one length-prefixed reply.
func roundTrip(c net.Conn, req, buf []byte) error {
	c.SetDeadline(time.Now().Add(10 * time.Second))
	defer c.SetDeadline(time.Time{})
	if _, err := c.Write(req); err != nil {
		return err
	}
	if _, err := io.ReadFull(c, buf[:4]); err != nil {
		return err
	}
	n := int(binary.BigEndian.Uint32(buf))
	if n > len(buf)-4 {
		return fmt.Errorf("reply of %d bytes", n)
	}
	_, err := io.ReadFull(c, buf[4:4+n])
	return err
}

// idleTable renders idle results as markdown.
func idleTable(rs []*idleResult) string {
	var b strings.Builder
	b.WriteString("| system | connections | server RSS per connection, after connect | after one call each |\n")
	b.WriteString("| --- | ---: | ---: | ---: |\n")
	for _, r := range rs {
		fmt.Fprintf(&b, "| %s | %d | %.1f KiB | %.1f KiB |\n", r.system, r.n, r.connectKB, r.oneCallKB)
	}
	return b.String()
}
