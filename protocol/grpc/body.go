package grpc

import (
	"google.golang.org/protobuf/proto"

	"github.com/ospreyrpc/osprey/codes"
	"github.com/ospreyrpc/osprey/status"
)

// AppendBody appends the protobuf encoding of m (a message's body, without
// the length prefix) to dst: through m's MarshalGRPC when it has one, as
// messages with Osprey's generated fast paths do, else through
// proto.MarshalOptions.MarshalAppend for any other proto.Message. A nil
// message or another type is Internal.
func AppendBody(dst []byte, m any) ([]byte, error) {
	switch v := m.(type) {
	case Marshaler:
		return v.MarshalGRPC(dst)
	case proto.Message:
		if v == nil {
			break
		}
		b, err := proto.MarshalOptions{}.MarshalAppend(dst, v)
		if err != nil {
			return dst, status.Errorf(codes.Internal, "grpc: marshal %T: %v", m, err)
		}
		return b, nil
	}
	return dst, status.Errorf(codes.Internal, "grpc: cannot marshal %T: not a protobuf message", m)
}

// UnmarshalBody decodes the message body b into m: through m's
// UnmarshalGRPC when it has one, else proto.Unmarshal for a proto.Message.
// m keeps nothing of b (both copy), so b may be reused once it returns.
func UnmarshalBody(b []byte, m any) error {
	switch v := m.(type) {
	case Unmarshaler:
		return v.UnmarshalGRPC(b)
	case proto.Message:
		if v == nil {
			break
		}
		if err := proto.Unmarshal(b, v); err != nil {
			return status.Errorf(codes.Internal, "grpc: unmarshal %T: %v", m, err)
		}
		return nil
	}
	return status.Errorf(codes.Internal, "grpc: cannot unmarshal into %T: not a protobuf message", m)
}

// Reply is where a generated unary handler puts its response for the
// server to send: service.Call.Result of a gRPC method. A nil Msg (a
// handler that returned neither a response nor an error) is Internal, as
// in grpc-go.
type Reply struct {
	// Msg is the response message: a proto.Message, or any Marshaler.
	Msg any
}

// MarshalGRPC appends the encoding of r.Msg to dst.
func (r *Reply) MarshalGRPC(dst []byte) ([]byte, error) {
	if r.Msg == nil {
		return dst, status.New(codes.Internal, "grpc: the handler returned a nil response")
	}
	return AppendBody(dst, r.Msg)
}

// Body reports whether m can be sent or received as a gRPC message body:
// it has Osprey's fast paths or is a proto.Message.
func Body(m any) bool {
	switch m.(type) {
	case Marshaler, Unmarshaler, proto.Message:
		return true
	}
	return false
}
