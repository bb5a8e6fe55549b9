package interop

import (
	"io"
	"testing"
)

func TestParseClient(t *testing.T) {
	f, err := ParseClient("c", []string{"--server_host=127.0.0.1", "--server_port=8080", "--test_case=ping_pong", "--use_tls", "--server_host_override=foo.test.google.fr"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	want := ClientFlags{Host: "127.0.0.1", Port: 8080, HostOverride: "foo.test.google.fr", TestCase: "ping_pong", UseTLS: true}
	if f != want {
		t.Errorf("got %+v, want %+v", f, want)
	}
	if f.Addr() != "127.0.0.1:8080" {
		t.Errorf("Addr %q", f.Addr())
	}
	cfg, err := f.TLSConfig()
	if err != nil || cfg == nil || cfg.ServerName != "foo.test.google.fr" {
		t.Errorf("TLSConfig: %v, %v", cfg, err)
	}
	f, err = ParseClient("c", nil, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if want := (ClientFlags{Host: "localhost", Port: 10000, TestCase: "large_unary"}); f != want {
		t.Errorf("defaults %+v, want %+v", f, want)
	}
	if cfg, err := f.TLSConfig(); cfg != nil || err != nil {
		t.Errorf("TLSConfig without --use_tls: %v, %v", cfg, err)
	}
	for _, args := range [][]string{{"--server_port=0"}, {"--server_port=70000"}, {"--nope"}, {"extra"}, {"--use_tls=maybe"}} {
		if _, err := ParseClient("c", args, io.Discard); err == nil {
			t.Errorf("ParseClient(%q) succeeded", args)
		}
	}
}

func TestParseServer(t *testing.T) {
	f, err := ParseServer("s", []string{"--port=0", "--use_tls"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if want := (ServerFlags{Port: 0, UseTLS: true}); f != want || f.Addr() != ":0" {
		t.Errorf("got %+v (%s), want %+v", f, f.Addr(), want)
	}
	if cfg, err := f.TLSConfig(); err != nil || len(cfg.Certificates) != 1 {
		t.Errorf("TLSConfig: %v, %v", cfg, err)
	}
	for _, args := range [][]string{{"--port=-1"}, {"--port=65536"}, {"--server_port=1"}, {"x"}} {
		if _, err := ParseServer("s", args, io.Discard); err == nil {
			t.Errorf("ParseServer(%q) succeeded", args)
		}
	}
}
