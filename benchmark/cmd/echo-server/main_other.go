//go:build !unix

package main

import "log"

// main fails: echo-server signals or is signalled with SIGUSR1 and reads
// getrusage, which only Unix systems have.
func main() { log.Fatal("echo-server runs on Unix systems only") }
