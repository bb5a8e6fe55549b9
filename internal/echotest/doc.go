// Package echotest is a test fixture: an Echo service whose behaviour each
// request picks through its action, and a helper that serves it.
//
// Actions: "echo" (or empty) replies with the request; "throw" returns the
// declared EchoError with code 7; "error" returns a plain error; "status:X"
// returns a status error with code X (a codes name); "panic" panics;
// "sleep:D" waits for duration D (or the context) and then echoes; "block"
// waits for the context and returns its error; "hold" signals Held and
// echoes once the test sends on or closes Release; "big:N" replies with a
// message of N bytes; "info" replies with the server's rpcinfo.
package echotest
