package main

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
)

// TestRun runs the example, smaller: every call succeeds, before, during
// and after the kill, and the calls spread over the instances.
func TestRun(t *testing.T) {
	var out bytes.Buffer
	err := run(&out, config{callers: 4, warmCalls: 60, beforeKill: 60, afterExpiry: 60})
	t.Logf("\n%s", out.String())
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"killed s2 under load", "etcd dropped s2", "failed: 0 ("} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q", want)
		}
	}
	// Round robin over three instances: 20 calls each before the kill.
	m := regexp.MustCompile(`\n60 calls: s1 (\d+), s2 (\d+), s3 (\d+)\n`).FindStringSubmatch(out.String())
	if m == nil || m[1] != "20" || m[2] != "20" || m[3] != "20" {
		t.Errorf("spread before the kill %q, want 20 each", m)
	}
}
