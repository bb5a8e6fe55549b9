package system

import (
	"encoding/binary"

	"google.golang.org/protobuf/encoding/protowire"
)

// GRPCEchoMessage returns echo.Echo's Request{Action: "echo", Msg: msg} as
// one gRPC length-prefixed message (uncompressed flag, 4-byte big-endian
// length, protobuf encoding): the DATA a gRPC client sends to call Echo.
// The Response has the same fields, so a gRPC system's reply message is
// the same bytes.
func GRPCEchoMessage(msg string) []byte {
	b := make([]byte, 5, 5+16+len(msg))
	b = protowire.AppendTag(b, 1, protowire.BytesType)
	b = protowire.AppendString(b, "echo")
	if msg != "" { // proto3 leaves out fields holding their zero value
		b = protowire.AppendTag(b, 2, protowire.BytesType)
		b = protowire.AppendString(b, msg)
	}
	binary.BigEndian.PutUint32(b[1:5], uint32(len(b)-5))
	return b
}
