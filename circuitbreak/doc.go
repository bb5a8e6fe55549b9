// Package circuitbreak stops calls to something that keeps failing, and
// lets a few through later to see whether it has recovered.
//
// A Breaker is closed at first: every call goes ahead (Allow returns true)
// and its outcome is recorded (Done). It opens when either rule of its
// Policy fires:
//
//   - ConsecutiveFailures calls in a row failed (default 5), or
//   - at least MinCalls calls (default 20) ended in the sliding Window
//     (default 10 s, kept in 10 buckets, so it slides by a tenth) and the
//     share of them that failed is at least ErrorRate (default 0.5).
//
// While open, Allow returns false: callers fail fast. After OpenFor
// (default 5 s) the breaker is half-open: Allow admits HalfOpenProbes calls
// (default 1) at a time; when that many have succeeded it closes with an
// empty window, and one failure reopens it. Each reopening that follows
// closely on the last (from half-open, or within a Window of closing)
// doubles the open period, up to MaxOpenFor (default 1 minute); a breaker
// that stays closed for a Window starts again from OpenFor.
//
// Every call Allow admits must be followed by exactly one Done. A call
// admitted while the breaker was closed that ends after it opened is not
// counted; one that ends while it is half-open counts as a probe.
//
// A Breaker is safe for concurrent use. Allow and Done allocate nothing;
// in closed state they take no lock (a compare-and-swap on the current
// bucket); changes of state take a mutex.
package circuitbreak
