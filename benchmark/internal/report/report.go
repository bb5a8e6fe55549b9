package report

import (
	"encoding/json"
	"os"
)

// Result is one run of one system at one concurrency and message size.
type Result struct {
	System      string  `json:"system"`
	Run         int     `json:"run"` // which round of the matrix, from 1
	Concurrency int     `json:"concurrency"`
	Bytes       int     `json:"bytes"`
	Seconds     float64 `json:"seconds"` // length of the measured window
	Calls       uint64  `json:"calls"`   // calls completed in the window
	Errors      uint64  `json:"errors"`
	QPS         float64 `json:"qps"`
	P50         float64 `json:"p50_ms"`
	P99         float64 `json:"p99_ms"`
	P999        float64 `json:"p999_ms"`
	// ClientAllocs is heap allocations per call in the client process,
	// benchmark loop included.
	ClientAllocs float64 `json:"client_allocs_per_call"`
	// ContextAllocs is how many of ClientAllocs the caller's own per-call
	// context (context.WithTimeout and its cancel) makes, measured alone.
	ContextAllocs float64 `json:"context_allocs_per_call"`
	// ClientCPU is the client process's CPU time per call in microseconds
	// over the window, benchmark loop included.
	ClientCPU float64 `json:"client_cpu_us_per_call"`
	// ServerCPU is the server's CPU time per call in microseconds over the
	// window, ServerAllocs its heap allocations per call over the window,
	// and ServerMaxRSS its peak resident memory; the runner fills them in
	// from what echo-server reports.
	ServerCPU    float64 `json:"server_cpu_us_per_call,omitempty"`
	ServerAllocs float64 `json:"server_allocs_per_call,omitempty"`
	ServerMaxRSS float64 `json:"server_max_rss_mb,omitempty"`
	// ServerSyscalls and ClientSyscalls are each process's system calls
	// per call, counted by perf over a window inside the measured one;
	// only the runner's syscall runs fill them in (main runs go without
	// perf).
	ServerSyscalls float64 `json:"server_syscalls_per_call,omitempty"`
	ClientSyscalls float64 `json:"client_syscalls_per_call,omitempty"`
}

// Write writes r as JSON to path.
func (r *Result) Write(path string) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

// Read reads a Result written by Write.
func Read(path string) (*Result, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var r Result
	return &r, json.Unmarshal(b, &r)
}
