package grpc

// MD is gRPC metadata: lowercase keys to values; the values of "-bin" keys are raw bytes (base64 on the wire).
type MD map[string][]string
