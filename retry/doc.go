// Package retry describes how a client makes more than one attempt of a
// call: failure retries, backup requests, and the budget that bounds both.
//
// A Policy is plain data; the client applies it per method (see
// client.Policy). Failure retries start a new attempt after one failed,
// waiting an exponential, jittered backoff; backup requests start a second
// attempt while the first is still waiting for its reply, after a fixed
// delay or the method's recent latency percentile, and the first reply
// wins. Both go to another instance when there is one, and neither starts
// an attempt the call's deadline leaves no time for.
//
// Only an error that was certainly not sent (status.IsNotSent) is retried
// on any method: the server never saw the request. A method marked
// Idempotent may run twice, so failures that may have reached the server
// (by default Unavailable, ResourceExhausted and Aborted) are retried too.
// Business errors and the caller's own cancellation never are.
//
// A Budget keeps retries and backups to a ratio of the calls, so a failing
// dependency receives at most (1 + ratio) times the calls its callers make
// instead of MaxAttempts times.
package retry
