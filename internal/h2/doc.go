// Package h2 is Osprey's HTTP/2 connection, server side (Conn) and client
// side (ClientConn, docs/spec/grpc.md §15). The server side handles the
// connection preface, SETTINGS, stream states, flow control in both directions, PING keepalive
// with a ping-flood policy, GOAWAY and header limits, with frame code of
// its own and the HPACK decoder of golang.org/x/net/http2 rather than on
// net/http's server (docs/spec/grpc.md §10).
//
// NewConn wraps an accepted connection; Serve runs it, calling
// Handler.ServeStream on a goroutine of its own for every stream the peer
// opens, and returns when the connection has closed and every handler has
// returned. Start does the same but returns once the connection first
// waits for bytes, and calls a function at the end: an idle connection
// then holds just one goroutine with the smallest stack, started afresh
// for each wait. GracefulClose sends GOAWAY, lets the streams in flight finish
// and refuses new ones; Close closes at once. A Handler that is also a
// StreamAllocator allocates each Stream inside state of its own; a Stream
// is its own context.
//
// The server reads and writes every frame itself, payloads in pooled
// buffers, header fields reused, and encodes headers with a small HPACK
// encoder of its own: a unary request costs the connection one
// allocation, the Stream (docs/spec/grpc.md §10.9). Keepalive runs on a
// timer.
//
// Defaults are finite (Config, DefaultConfig): at most 1000 concurrent
// streams, 256 KiB stream and 1 MiB connection receive windows, 16 KiB
// frames, 64 KiB header lists. Memory a connection buffers for slow
// readers is bounded by its connection receive window: every received
// DATA byte counts against it until the handler has read it.
//
// Frames are queued by the goroutines that make them and written by one
// flusher goroutine per connection, which yields once before each write so
// that the frames of the goroutines already runnable go out in the same
// syscall (as in internal/wqueue).
//
// NewClientConn starts a client connection over a dialed net.Conn (plain
// or TLS with ALPN h2); Open sends a request's headers and, in the same
// write when the windows allow, its body, and returns a ClientStream whose
// response the connection's one reader goroutine fills. The client reads
// frames itself, without allocating per frame, and shares the server's
// write batching.
//
// A Conn's methods and a Stream's methods are safe for concurrent use,
// except that a Stream's reads and its writes each belong to one goroutine
// at a time; the same holds for ClientConn and ClientStream.
package h2
