// Package rpcinfo holds the information about one call (service, method,
// caller and callee names, instance and attempt, addresses, protocol,
// sequence id, deadline, metadata, timestamps, bytes moved) and makes it
// reachable from the call's context on both sides.
//
// The framework allocates a fresh Info for every call and never reuses it, so
// an Info stays valid and keeps its values when user code holds on to it
// after the call has returned. The framework writes an Info's fields while
// the call runs; middleware and handlers read them. On a client every field
// is final when the outermost middleware returns. On a server End and
// BytesOut are set after the reply is written, which is after the handler
// and its middleware return; reading them from another goroutine while the
// call is still running is a data race.
package rpcinfo
