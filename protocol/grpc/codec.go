package grpc

// Marshaler is a response or request value the gRPC layer can send:
// generated code implements it (with its fast path, or the protobuf
// library), and so can hand-written messages.
type Marshaler interface {
	// MarshalGRPC appends the message's encoding to dst.
	MarshalGRPC(dst []byte) ([]byte, error)
}

// Unmarshaler is a request or response value the gRPC layer can receive.
type Unmarshaler interface {
	// UnmarshalGRPC decodes b into the value. b is valid only during the
	// call: the value must copy what it keeps.
	UnmarshalGRPC(b []byte) error
}
