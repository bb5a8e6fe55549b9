package thrift

import "strconv"

// Type is a Thrift type code as the binary protocol writes it (spec §2.1).
// The compact protocol maps these to its own codes on the wire.
type Type uint8

// The type codes.
const (
	STOP   Type = 0
	VOID   Type = 1
	BOOL   Type = 2
	I8     Type = 3 // also called BYTE
	DOUBLE Type = 4
	I16    Type = 6
	I32    Type = 8
	I64    Type = 10
	STRING Type = 11 // strings and binary
	STRUCT Type = 12 // structs, unions and exceptions
	MAP    Type = 13
	SET    Type = 14
	LIST   Type = 15
	UUID   Type = 16
)

var typeNames = [...]string{
	STOP: "STOP", VOID: "VOID", BOOL: "BOOL", I8: "I8", DOUBLE: "DOUBLE",
	I16: "I16", I32: "I32", I64: "I64", STRING: "STRING", STRUCT: "STRUCT",
	MAP: "MAP", SET: "SET", LIST: "LIST", UUID: "UUID",
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
	case BOOL, I8, DOUBLE, I16, I32, I64, STRING, STRUCT, MAP, SET, LIST, UUID:
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
