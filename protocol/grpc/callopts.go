package grpc

import "context"

// sendCompressorKey is the context key of a call's send compressor name.
type sendCompressorKey struct{}

// WithSendCompressor returns ctx asking the gRPC calls made with it to
// compress their request messages with the compressor named name, which
// the client must have been given (client.WithCompressors); "identity"
// sends them uncompressed. It overrides client.WithSendCompression.
func WithSendCompressor(ctx context.Context, name string) context.Context {
	return context.WithValue(ctx, sendCompressorKey{}, name)
}

// SendCompressorFromContext returns the name given to WithSendCompressor,
// and whether one was. Transports use it.
func SendCompressorFromContext(ctx context.Context) (string, bool) {
	name, ok := ctx.Value(sendCompressorKey{}).(string)
	return name, ok
}
