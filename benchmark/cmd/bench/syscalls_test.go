package main

import (
	"strings"
	"testing"
)

func TestParsePerfCount(t *testing.T) {
	for _, tc := range []struct {
		name, out string
		want      uint64
		err       string // part of the error wanted, if any
	}{
		{"count", "229,,raw_syscalls:sys_enter,482321,100.00,,\n", 229, ""},
		{"comments and blank lines", "# started on Tue Dec  1\n\n1234567,,raw_syscalls:sys_enter,2001234567,100.00,,\n", 1234567, ""},
		{"modifier", "42,,raw_syscalls:sys_enter:u,1000,100.00,,\n", 42, ""},
		{"other events first", "7,,cycles,1000,100.00,,\n8,,raw_syscalls:sys_enter,1000,100.00,,\n", 8, ""},
		{"not supported", "<not supported>,,raw_syscalls:sys_enter,0,100.00,,\n", 0, `counted raw_syscalls:sys_enter as "<not supported>"`},
		{"not counted", "<not counted>,,raw_syscalls:sys_enter,0,100.00,,\n", 0, `as "<not counted>"`},
		{"unknown event", "event syntax error: 'raw_syscalls:sys_enter'\n  \\___ unknown tracepoint\n", 0, "no count of raw_syscalls:sys_enter in perf's output \"event syntax error"},
		{"prefix of another event", "9,,raw_syscalls:sys_enter_x,1000,100.00,,\n", 0, "no count"},
		{"empty", "", 0, "no count"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parsePerfCount(tc.out, syscallEvent)
			if tc.err == "" {
				if err != nil || got != tc.want {
					t.Errorf("got %d, %v; want %d", got, err, tc.want)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("got %d, %v; want an error containing %q", got, err, tc.err)
			}
		})
	}
}

func TestTailLast(t *testing.T) {
	var sink strings.Builder
	tl := &tail{w: &sink}
	for _, p := range []string{"2026/12/01 13:00:00 first error: x\n", "2026/12/01 13:00:01 first call: dial", " tcp: i/o timeout\n", "\n"} {
		if _, err := tl.Write([]byte(p)); err != nil {
			t.Fatal(err)
		}
	}
	if got, want := tl.last(), "first call: dial tcp: i/o timeout"; got != want {
		t.Errorf("last line %q, want %q", got, want)
	}
	if !strings.HasPrefix(sink.String(), "2026/12/01 13:00:00 first error") {
		t.Errorf("passed on %q", sink.String())
	}
}
