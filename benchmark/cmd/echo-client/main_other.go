//go:build !unix

package main

import "log"

// main fails: echo-client signals or is signalled with SIGUSR1 and reads
// getrusage, which only Unix systems have.
func main() { log.Fatal("echo-client runs on Unix systems only") }
