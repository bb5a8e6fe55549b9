package thrift

import (
	"errors"
	"strconv"

	"github.com/ospreyrpc/osprey/codes"
	"github.com/ospreyrpc/osprey/status"
)

// ExceptionType is the kind of an ApplicationException, numbered as in
// Apache Thrift.
type ExceptionType int32

// The application exception types.
const (
	ExceptionUnknown               ExceptionType = 0
	ExceptionUnknownMethod         ExceptionType = 1
	ExceptionInvalidMessageType    ExceptionType = 2
	ExceptionWrongMethodName       ExceptionType = 3
	ExceptionBadSequenceID         ExceptionType = 4
	ExceptionMissingResult         ExceptionType = 5
	ExceptionInternalError         ExceptionType = 6
	ExceptionProtocolError         ExceptionType = 7
	ExceptionInvalidTransform      ExceptionType = 8
	ExceptionInvalidProtocol       ExceptionType = 9
	ExceptionUnsupportedClientType ExceptionType = 10
	ExceptionValidationFailed      ExceptionType = 11
)

var exceptionNames = [...]string{
	"UNKNOWN", "UNKNOWN_METHOD", "INVALID_MESSAGE_TYPE", "WRONG_METHOD_NAME",
	"BAD_SEQUENCE_ID", "MISSING_RESULT", "INTERNAL_ERROR", "PROTOCOL_ERROR",
	"INVALID_TRANSFORM", "INVALID_PROTOCOL", "UNSUPPORTED_CLIENT_TYPE",
	"VALIDATION_FAILED",
}

// String returns the type's Apache Thrift name, such as "UNKNOWN_METHOD".
func (t ExceptionType) String() string {
	if t >= 0 && int(t) < len(exceptionNames) {
		return exceptionNames[t]
	}
	return "ExceptionType(" + strconv.Itoa(int(t)) + ")"
}

// Code returns the status code an exception of this type maps to (spec
// §6): UNKNOWN is Unknown, UNKNOWN_METHOD is Unimplemented,
// VALIDATION_FAILED is InvalidArgument, and every other type is Internal.
func (t ExceptionType) Code() codes.Code {
	switch t {
	case ExceptionUnknown:
		return codes.Unknown
	case ExceptionUnknownMethod:
		return codes.Unimplemented
	case ExceptionValidationFailed:
		return codes.InvalidArgument
	}
	return codes.Internal
}

// ApplicationException is Thrift's TApplicationException: the error a
// server sends in an EXCEPTION message when a call fails for a reason the
// IDL does not declare. On the wire it is a struct with the message as
// field 1 and the type as field 2.
type ApplicationException struct {
	Type    ExceptionType
	Message string
}

// Error returns the message, or the type's name if there is no message.
func (e *ApplicationException) Error() string {
	if e.Message == "" {
		return "thrift: " + e.Type.String()
	}
	return "thrift: " + e.Type.String() + ": " + e.Message
}

// Status returns e as a remote *status.Error whose code is e.Type.Code()
// and whose cause is e.
func (e *ApplicationException) Status() *status.Error {
	return status.Remote(e.Type.Code(), e.Message, e)
}

// ExceptionFor returns the ApplicationException a server sends for err, an
// error that is not a declared exception: err itself if it is (or wraps) an
// ApplicationException; for an *status.Error, UNKNOWN_METHOD for code
// Unimplemented, VALIDATION_FAILED for InvalidArgument, UNKNOWN for Unknown
// and INTERNAL_ERROR for the rest, with the error's message; INTERNAL_ERROR
// with err's text for any other error.
func ExceptionFor(err error) *ApplicationException {
	var ae *ApplicationException
	if errors.As(err, &ae) {
		return ae
	}
	if se, ok := status.FromError(err); ok {
		t := ExceptionInternalError
		switch se.Code() {
		case codes.Unimplemented:
			t = ExceptionUnknownMethod
		case codes.InvalidArgument:
			t = ExceptionValidationFailed
		case codes.Unknown:
			t = ExceptionUnknown
		}
		return &ApplicationException{Type: t, Message: se.Message()}
	}
	return &ApplicationException{Type: ExceptionInternalError, Message: err.Error()}
}

// BinarySize implements Struct.
func (e *ApplicationException) BinarySize() int {
	return BinaryFieldHeaderSize + BinaryLengthSize + len(e.Message) + BinaryFieldHeaderSize + 4 + 1
}

// EncodeBinary implements Struct.
func (e *ApplicationException) EncodeBinary(w *BinaryWriter) {
	prev := w.StructBegin()
	w.WriteFieldBegin(TypeString, 1)
	w.WriteString(e.Message)
	w.WriteFieldBegin(TypeI32, 2)
	w.WriteI32(int32(e.Type))
	w.StructEnd(prev)
}

// DecodeBinary implements Struct.
func (e *ApplicationException) DecodeBinary(r *BinaryReader) error {
	if !r.StructBegin() {
		return r.Err()
	}
	for {
		t, id := r.ReadFieldBegin()
		if t == TypeStop {
			break
		}
		switch {
		case id == 1 && t == TypeString:
			e.Message = r.ReadString()
		case id == 2 && t == TypeI32:
			e.Type = ExceptionType(r.ReadI32())
		default:
			r.Skip(t)
		}
	}
	r.StructEnd()
	return r.Err()
}

// CompactSize implements Struct.
func (e *ApplicationException) CompactSize() int {
	return 1 + CompactStringSize(e.Message) + 1 + CompactI32Size(int32(e.Type)) + 1
}

// EncodeCompact implements Struct.
func (e *ApplicationException) EncodeCompact(w *CompactWriter) {
	prev := w.StructBegin()
	w.WriteFieldBegin(TypeString, 1)
	w.WriteString(e.Message)
	w.WriteFieldBegin(TypeI32, 2)
	w.WriteI32(int32(e.Type))
	w.StructEnd(prev)
}

// DecodeCompact implements Struct.
func (e *ApplicationException) DecodeCompact(r *CompactReader) error {
	if !r.StructBegin() {
		return r.Err()
	}
	for {
		t, id := r.ReadFieldBegin()
		if t == TypeStop {
			break
		}
		switch {
		case id == 1 && t == TypeString:
			e.Message = r.ReadString()
		case id == 2 && t == TypeI32:
			e.Type = ExceptionType(r.ReadI32())
		default:
			r.Skip(t)
		}
	}
	r.StructEnd()
	return r.Err()
}

// MissingResultError returns the error a client reports when the reply to
// method carries neither a return value nor a declared exception: the
// server broke the contract, so the error counts as the peer's.
func MissingResultError(method string) error {
	e := &ApplicationException{Type: ExceptionMissingResult, Message: "reply to " + method + " carries no result"}
	return e.Status()
}
