// Package report holds the result of one benchmark run, as echo-client
// writes it and the runner reads it.
package report
