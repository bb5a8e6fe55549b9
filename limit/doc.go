// Package limit protects a server from more calls than it can serve: a
// token bucket bounds calls per second (QPS with a burst), a gate bounds
// calls in flight, and an adaptive gate, opt-in, finds the in-flight bound
// from latency.
//
// A Policy says which of them apply; New builds a Limiter from it. A server
// asks its Limiter with Acquire before it decodes a call's request, and
// gives the Ticket back with Release once the call's reply is written, or
// with Abort when it admitted the call but will not serve it after all.
// A Limiter's policy never changes: to change limits at run time, build a
// new Limiter and swap it in (package server's SetLimits does that
// atomically), and release each call to the Limiter that admitted it.
//
// # QPS
//
// The token bucket holds Burst tokens and gains QPS tokens a second; each
// call takes one, and a call that finds none is refused. From a full
// bucket, Burst calls pass at once and then QPS a second. It is kept as
// one timestamp (the generic cell rate algorithm), so a call costs one
// compare-and-swap.
//
// # Concurrency
//
// MaxInFlight bounds the calls admitted and not yet released. The count is
// exact: with N calls in flight the (N+1)-th is refused until one is
// released.
//
// # Adaptive concurrency
//
// With Policy.Adaptive set, the in-flight bound moves between
// AdaptivePolicy.MinLimit and Policy.MaxInFlight, following latency, in
// the manner of TCP Vegas and Netflix's gradient limiter. A server that
// queues work shows it as latency before it shows it as errors: while
// calls in flight fit the server's real capacity, latency stays near its
// no-load value, and past it every extra call waits, so latency grows with
// the queue. The limiter measures each call from Acquire to Release and,
// once a Window (at least 10 calls), compares:
//
//   - rtt, the mean latency of the window's calls, with
//   - baseline, a smoothed minimum: the lowest window mean seen, taken at
//     once when a window is faster, and drifting up by 1% of the
//     difference per window when windows are slower, so that a service
//     that really became slower (a new dependency, say) is not limited
//     for ever.
//
// The new limit is limit × gradient + √limit, where gradient =
// Tolerance × baseline / rtt, clamped to [0.5, 1]. While rtt stays within
// Tolerance × baseline the gradient is 1 and the limit grows by √limit a
// window (a queue allowance: room to find out whether more fits); as rtt
// rises past that, the gradient falls below 1 and the limit shrinks, by
// at most half a window. The limit only grows while it is in use (the
// window's peak in flight is at least half the limit), so an idle server
// does not drift to MaxInFlight, which stays the ceiling. Calls over the
// limit are refused at once, not queued: a queue would hide the latency
// the limiter steers by.
//
// # Cost and safety
//
// Acquire and Release allocate nothing and take no lock (one window close
// in Window takes a mutex that releases skip if it is held). A Limiter is
// safe for concurrent use.
package limit
