package grpcgopeer

import (
	"context"
	"sync/atomic"

	"google.golang.org/grpc/stats"
)

// compressionStats is a stats.Handler that records, per call, whether the
// last message received was compressed. The call's context must carry a
// *received from withReceived (clients) or from TagRPC (servers).
type compressionStats struct {
	server bool // TagRPC adds a record
}

// received records the messages of one call.
type received struct {
	compressed atomic.Bool // the last message received was compressed
	count      atomic.Int32
}

type receivedKey struct{}

// withReceived returns ctx carrying a new record of received messages.
func withReceived(ctx context.Context) (context.Context, *received) {
	r := new(received)
	return context.WithValue(ctx, receivedKey{}, r), r
}

// receivedFrom returns the record ctx carries, or nil.
func receivedFrom(ctx context.Context) *received {
	r, _ := ctx.Value(receivedKey{}).(*received)
	return r
}

// lastCompressed reports whether the last message received on the call of
// ctx was compressed.
func lastCompressed(ctx context.Context) bool {
	r := receivedFrom(ctx)
	return r != nil && r.compressed.Load()
}

func (h compressionStats) TagRPC(ctx context.Context, _ *stats.RPCTagInfo) context.Context {
	if h.server {
		ctx, _ = withReceived(ctx)
	}
	return ctx
}

func (compressionStats) HandleRPC(ctx context.Context, s stats.RPCStats) {
	in, ok := s.(*stats.InPayload)
	if !ok {
		return
	}
	if r := receivedFrom(ctx); r != nil {
		// The wire length is the compressed one; without compression
		// the two are equal.
		r.compressed.Store(in.CompressedLength != in.Length)
		r.count.Add(1)
	}
}

func (compressionStats) TagConn(ctx context.Context, _ *stats.ConnTagInfo) context.Context {
	return ctx
}

func (compressionStats) HandleConn(context.Context, stats.ConnStats) {}
