package system

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
)

// Raw is the physical limit of this path: plain TCP, no framework. Each
// caller owns a connection and writes a 4-byte big-endian length and the
// message; the server, a goroutine per connection, reads it and writes
// the same back.
var Raw = System{
	Name:      "raw",
	Doc:       "plain TCP ping-pong: 4-byte length + message, a connection per caller, a goroutine per connection",
	Serve:     serveRaw,
	NewClient: func(addr string, _ int) (Client, error) { return &rawClient{addr: addr}, nil },
}

func serveRaw(ln net.Listener) (func(), error) { return serveRawWith(ln, rawEcho) }

// serveRawWith serves each connection accepted on ln with echo, in a
// goroutine of its own, until the returned stop function is called.
func serveRawWith(ln net.Listener, echo func(net.Conn)) (func(), error) {
	var wg sync.WaitGroup
	var mu sync.Mutex
	conns := map[net.Conn]bool{}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns[c] = true
			mu.Unlock()
			wg.Add(1)
			go func() {
				defer wg.Done()
				echo(c)
				mu.Lock()
				delete(conns, c)
				mu.Unlock()
			}()
		}
	}()
	return func() {
		ln.Close()
		mu.Lock()
		for c := range conns {
			c.Close()
		}
		mu.Unlock()
		wg.Wait()
	}, nil
}

// rawEcho echoes framed messages on c until it closes.
func rawEcho(c net.Conn) {
	defer c.Close()
	r := bufio.NewReader(c)
	var buf []byte
	for {
		var err error
		if buf, err = readFrame(r, buf); err != nil {
			return
		}
		if _, err := c.Write(buf); err != nil {
			return
		}
	}
}

// maxFrame bounds what readFrame accepts.
const maxFrame = 64 << 20

// readFrame reads one frame from r: a 4-byte big-endian length and that
// many bytes. It returns the whole frame, length included, in buf if it
// fits there, or else in a new, larger buffer.
func readFrame(r *bufio.Reader, buf []byte) ([]byte, error) {
	hdr, err := r.Peek(4)
	if err != nil {
		return buf, err
	}
	n := 4 + int(binary.BigEndian.Uint32(hdr))
	if n > maxFrame {
		return buf, fmt.Errorf("raw: %d-byte frame", n)
	}
	if cap(buf) < n {
		buf = make([]byte, n)
	}
	buf = buf[:n]
	_, err = io.ReadFull(r, buf)
	return buf, err
}

type rawClient struct {
	addr  string
	mu    sync.Mutex
	conns []net.Conn
}

// dial opens a connection the client closes on Close.
func (c *rawClient) dial() (net.Conn, error) {
	conn, err := net.Dial("tcp", c.addr)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.conns = append(c.conns, conn)
	c.mu.Unlock()
	return conn, nil
}

func (c *rawClient) Caller() (Caller, error) {
	conn, err := c.dial()
	if err != nil {
		return nil, err
	}
	r := bufio.NewReader(conn)
	var out, in []byte
	return func(msg string) error {
		out = binary.BigEndian.AppendUint32(out[:0], uint32(len(msg)))
		out = append(out, msg...)
		if _, err := conn.Write(out); err != nil {
			return err
		}
		var err error
		if in, err = readFrame(r, in); err != nil {
			return err
		}
		if len(in) != len(out) {
			return fmt.Errorf("raw: %d bytes back, sent %d", len(in)-4, len(msg))
		}
		if !bytes.Equal(in, out) {
			return fmt.Errorf("raw: bad reply: differs from the message sent at byte %d", firstDiff(in, out)-4)
		}
		return nil
	}, nil
}

func (c *rawClient) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	var errs []error
	for _, conn := range c.conns {
		errs = append(errs, conn.Close())
	}
	c.conns = nil
	return errors.Join(errs...)
}
