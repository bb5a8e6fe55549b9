package testcert

import (
	"bytes"
	"crypto/tls"
	"net"
	"testing"
	"time"
)

// TestSameCertificate: the certificate is a pure function of the seed, so
// separate processes present and trust the same one.
func TestSameCertificate(t *testing.T) {
	a, err := build()
	if err != nil {
		t.Fatal(err)
	}
	b, err := build()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Certificate[0], b.Certificate[0]) {
		t.Error("two builds made different certificates")
	}
}

// TestHandshake: a client trusting the certificate accepts it for every
// name it lists and rejects another name.
func TestHandshake(t *testing.T) {
	for _, tc := range []struct {
		name string
		ok   bool
	}{
		{"localhost", true}, {"127.0.0.1", true}, {"::1", true}, {HostOverride, true},
		{"example.com", false}, {"10.0.0.1", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := handshake(t, tc.name)
			if (err == nil) != tc.ok {
				t.Errorf("handshake as %q: %v, want success %v", tc.name, err, tc.ok)
			}
		})
	}
}

// handshake runs a TLS handshake over loopback TCP, the client claiming
// serverName, and returns the client's error.
func handshake(t *testing.T, serverName string) error {
	t.Helper()
	sc, err := ServerConfig()
	if err != nil {
		t.Fatal(err)
	}
	cc, err := ClientConfig(serverName)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := tls.Listen("tcp", "127.0.0.1:0", sc)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	done := make(chan string, 1)
	go func() {
		defer close(done)
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		s := c.(*tls.Conn)
		if s.Handshake() == nil {
			done <- s.ConnectionState().NegotiatedProtocol
		}
	}()
	c, err := tls.DialWithDialer(&net.Dialer{Timeout: 10 * time.Second}, "tcp", ln.Addr().String(), cc)
	if err != nil {
		<-done
		return err
	}
	defer c.Close()
	if proto := c.ConnectionState().NegotiatedProtocol; proto != "h2" {
		t.Errorf("negotiated %q, want h2", proto)
	}
	<-done
	return nil
}
