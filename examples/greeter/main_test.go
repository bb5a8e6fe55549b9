package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/ospreyrpc/osprey/internal/leakcheck"
)

func TestRun(t *testing.T) {
	leakcheck.Check(t)
	var out bytes.Buffer
	if err := run(&out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"server listening on 127.0.0.1:",
		"unary:    hello, osprey (x-client [example], tenant acme)",
		"trailer:  x-greeted = [osprey]",
		"stream:   hello, ada",
		"stream:   hello, grace",
		"stream:   ended with OK",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}
