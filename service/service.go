package service

import (
	"context"

	"github.com/ospreyrpc/osprey/endpoint"
	"github.com/ospreyrpc/osprey/rpcinfo"
)

// Desc describes one service.
type Desc struct {
	// Name is the service name as the IDL spells it.
	Name string
	// Methods are the service's methods, inherited ones (Thrift "extends")
	// included. Names are unique.
	Methods []Method
	// Protobuf is true for a service whose messages are protobuf messages
	// (generated from .proto): clients call it over gRPC, and Name is the
	// full name ("package.Service").
	Protobuf bool
}

// Method describes one method of a service.
type Method struct {
	// Name is the method name as the IDL spells it and the wire carries it.
	Name string
	// Oneway is true for a method whose caller does not wait for a reply.
	Oneway bool
	// Kind is the method's streaming kind: Unary for Thrift methods.
	Kind Kind
	// NewCall returns the storage for one call of the method: a new, empty
	// request (such as a pointer to the generated argument struct), a new
	// response (nil for a oneway method), and a Holder for the call's Info,
	// all from one allocation.
	NewCall func() Call
	// Handler calls the method on impl, the value registered for the
	// service, with the request and response of a Call, and fills the
	// response. A declared exception is returned as the error.
	Handler func(ctx context.Context, impl any, args, result any) error
	// StreamHandler runs a streaming method (Kind other than Unary) on
	// impl over the call's stream; Handler and NewCall's Args and Result
	// are unused then. NewCall still gives the Info's storage.
	StreamHandler func(ctx context.Context, impl any, st endpoint.Stream) error
}

// Kind is a method's streaming kind.
type Kind uint8

// The streaming kinds.
const (
	// Unary is one request and one reply.
	Unary Kind = iota
	// ClientStreaming is a stream of requests and one reply.
	ClientStreaming
	// ServerStreaming is one request and a stream of replies.
	ServerStreaming
	// BidiStreaming is a stream each way.
	BidiStreaming
)

// String returns "unary", "client", "server" or "bidirectional".
func (k Kind) String() string {
	switch k {
	case Unary:
		return "unary"
	case ClientStreaming:
		return "client"
	case ServerStreaming:
		return "server"
	case BidiStreaming:
		return "bidirectional"
	}
	return "unknown"
}

// Call is the storage of one call: where its Info lives, its request and
// its response.
type Call struct {
	// Info holds the call's Info; nil means the framework allocates one.
	Info *rpcinfo.Holder
	// Args is the request, such as a pointer to a generated argument struct.
	Args any
	// Result is the response, such as a pointer to a generated result
	// struct; nil for a oneway method.
	Result any
}

// Method returns the method called name, or nil.
func (d *Desc) Method(name string) *Method {
	for i := range d.Methods {
		if d.Methods[i].Name == name {
			return &d.Methods[i]
		}
	}
	return nil
}
