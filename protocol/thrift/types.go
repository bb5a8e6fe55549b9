package thrift

import "strconv"

// Type is a Thrift type code as the binary protocol writes it (spec §2.1).
// The compact protocol maps these to its own codes on the wire.
type Type uint8

// The type codes.
const (
	TypeStop   Type = 0
	TypeVoid   Type = 1
	TypeBool   Type = 2
	TypeI8     Type = 3 // also called BYTE
	TypeDouble Type = 4
	TypeI16    Type = 6
	TypeI32    Type = 8
	TypeI64    Type = 10
	TypeString Type = 11 // strings and binary
	TypeStruct Type = 12 // structs, unions and exceptions
	TypeMap    Type = 13
	TypeSet    Type = 14
	TypeList   Type = 15
	TypeUUID   Type = 16
)

var typeNames = [...]string{
	TypeStop: "STOP", TypeVoid: "VOID", TypeBool: "BOOL", TypeI8: "I8", TypeDouble: "DOUBLE",
	TypeI16: "I16", TypeI32: "I32", TypeI64: "I64", TypeString: "STRING", TypeStruct: "STRUCT",
	TypeMap: "MAP", TypeSet: "SET", TypeList: "LIST", TypeUUID: "UUID",
}

// String returns the type's name, such as "I32".
func (t Type) String() string {
	if int(t) < len(typeNames) && typeNames[t] != "" {
		return typeNames[t]
	}
	return "Type(" + strconv.Itoa(int(t)) + ")"
}

// valid reports whether t may appear as the type of a value on the wire.
func (t Type) valid() bool {
	switch t {
	case TypeBool, TypeI8, TypeDouble, TypeI16, TypeI32, TypeI64, TypeString, TypeStruct, TypeMap, TypeSet, TypeList, TypeUUID:
		return true
	}
	return false
}

// MessageType is the kind of a message (spec §3).
type MessageType uint8

// The message types.
const (
	MessageCall      MessageType = 1
	MessageReply     MessageType = 2
	MessageException MessageType = 3
	MessageOneway    MessageType = 4
)

// String returns "CALL", "REPLY", "EXCEPTION" or "ONEWAY".
func (m MessageType) String() string {
	switch m {
	case MessageCall:
		return "CALL"
	case MessageReply:
		return "REPLY"
	case MessageException:
		return "EXCEPTION"
	case MessageOneway:
		return "ONEWAY"
	}
	return "MessageType(" + strconv.Itoa(int(m)) + ")"
}

// MaxDepth is how deeply structs and containers may nest in a message that a
// reader accepts. It matches Apache Thrift's default.
const MaxDepth = 64

// Encoding selects the Thrift protocol: how values become bytes.
type Encoding uint8

// The encodings.
const (
	// Binary is the binary protocol. Osprey writes it strict and reads both
	// strict and non-strict messages.
	Binary Encoding = iota + 1
	// Compact is the compact protocol.
	Compact
)

// String returns "binary" or "compact".
func (e Encoding) String() string {
	switch e {
	case Binary:
		return "binary"
	case Compact:
		return "compact"
	}
	return "Encoding(" + strconv.Itoa(int(e)) + ")"
}

// Framing selects how messages are delimited on a connection.
type Framing uint8

// The framings.
const (
	// Framed puts a 4-byte big-endian length before each message.
	Framed Framing = iota + 1
	// Buffered (unframed) writes messages back to back; a reader finds the
	// end of a message by walking its structure.
	Buffered
)

// String returns "framed" or "buffered".
func (f Framing) String() string {
	switch f {
	case Framed:
		return "framed"
	case Buffered:
		return "buffered"
	}
	return "Framing(" + strconv.Itoa(int(f)) + ")"
}
