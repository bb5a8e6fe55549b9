package reflection

import (
	"unicode/utf8"

	"google.golang.org/protobuf/encoding/protowire"

	"github.com/ospreyrpc/osprey/codes"
	"github.com/ospreyrpc/osprey/status"
)

// MaxRequestSize bounds a ServerReflectionRequest, in bytes: its names are
// file paths and symbols.
const MaxRequestSize = 16 << 10

// The message_request field numbers of ServerReflectionRequest, which say
// what is asked.
const (
	kindNone          = 0
	kindFileByName    = 3 // file_by_filename
	kindSymbol        = 4 // file_containing_symbol
	kindExtension     = 5 // file_containing_extension (an ExtensionRequest)
	kindAllExtensions = 6 // all_extension_numbers_of_type
	kindListServices  = 7 // list_services
)

// request is a ServerReflectionRequest.
type request struct {
	host string // field 1
	kind int    // which message_request field was set last
	// name is the string of the field kind: a file name, a symbol, a
	// message type (also the containing_type of an ExtensionRequest), or
	// list_services' content.
	name      string
	extNumber int32 // ExtensionRequest.extension_number
	raw       []byte
}

var errBadRequest = status.New(codes.InvalidArgument, "reflection: malformed ServerReflectionRequest")

// UnmarshalGRPC decodes a request, keeping a copy of b for the response's
// original_request.
func (r *request) UnmarshalGRPC(b []byte) error {
	if len(b) > MaxRequestSize {
		return status.Errorf(codes.ResourceExhausted, "reflection: request of %d bytes, over the limit of %d", len(b), MaxRequestSize)
	}
	*r = request{raw: append([]byte(nil), b...)}
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return errBadRequest
		}
		b = b[n:]
		if typ != protowire.BytesType || num < 1 || num > kindListServices || num == 2 {
			if n = protowire.ConsumeFieldValue(num, typ, b); n < 0 {
				return errBadRequest
			}
			b = b[n:]
			continue
		}
		v, n := protowire.ConsumeBytes(b)
		if n < 0 {
			return errBadRequest
		}
		b = b[n:]
		if num == kindExtension {
			if err := r.unmarshalExtension(v); err != nil {
				return err
			}
			r.kind = kindExtension
			continue
		}
		if !utf8.Valid(v) {
			return errBadRequest
		}
		if num == 1 {
			r.host = string(v)
		} else {
			r.kind, r.name, r.extNumber = int(num), string(v), 0
		}
	}
	return nil
}

// unmarshalExtension decodes an ExtensionRequest: containing_type (1) and
// extension_number (2).
func (r *request) unmarshalExtension(b []byte) error {
	r.name, r.extNumber = "", 0
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return errBadRequest
		}
		b = b[n:]
		switch {
		case num == 1 && typ == protowire.BytesType:
			v, n := protowire.ConsumeBytes(b)
			if n < 0 || !utf8.Valid(v) {
				return errBadRequest
			}
			r.name, b = string(v), b[n:]
		case num == 2 && typ == protowire.VarintType:
			v, n := protowire.ConsumeVarint(b)
			if n < 0 {
				return errBadRequest
			}
			r.extNumber, b = int32(v), b[n:]
		default:
			if n = protowire.ConsumeFieldValue(num, typ, b); n < 0 {
				return errBadRequest
			}
			b = b[n:]
		}
	}
	return nil
}

// marshal encodes the request (what a client sends; for tests).
func (r *request) marshal(b []byte) []byte {
	if r.host != "" {
		b = protowire.AppendTag(b, 1, protowire.BytesType)
		b = protowire.AppendString(b, r.host)
	}
	switch r.kind {
	case kindNone:
	case kindExtension:
		var x []byte
		if r.name != "" {
			x = protowire.AppendTag(x, 1, protowire.BytesType)
			x = protowire.AppendString(x, r.name)
		}
		if r.extNumber != 0 {
			x = protowire.AppendTag(x, 2, protowire.VarintType)
			x = protowire.AppendVarint(x, uint64(int64(r.extNumber)))
		}
		b = protowire.AppendTag(b, kindExtension, protowire.BytesType)
		b = protowire.AppendBytes(b, x)
	default:
		b = protowire.AppendTag(b, protowire.Number(r.kind), protowire.BytesType)
		b = protowire.AppendString(b, r.name)
	}
	return b
}

// The message_response field numbers of ServerReflectionResponse.
const (
	answerFiles      = 4 // file_descriptor_response
	answerExtensions = 5 // all_extension_numbers_response
	answerServices   = 6 // list_services_response
	answerError      = 7 // error_response
)

// response is a ServerReflectionResponse; kind says which answer it holds.
type response struct {
	host     string // valid_host (1)
	original []byte // original_request (2), encoded
	kind     protowire.Number
	files    [][]byte // serialized FileDescriptorProtos
	services []string
	// extBase and extNumbers answer all_extension_numbers_of_type.
	extBase    string
	extNumbers []int32
	err        *status.Error
}

// MarshalGRPC encodes the response.
func (r *response) MarshalGRPC(b []byte) ([]byte, error) {
	if r.kind < answerFiles || r.kind > answerError {
		return b, status.New(codes.Internal, "reflection: response without an answer")
	}
	if r.host != "" {
		b = protowire.AppendTag(b, 1, protowire.BytesType)
		b = protowire.AppendString(b, r.host)
	}
	b = protowire.AppendTag(b, 2, protowire.BytesType)
	b = protowire.AppendBytes(b, r.original)
	var m []byte
	switch r.kind {
	case answerError: // ErrorResponse
		m = protowire.AppendTag(m, 1, protowire.VarintType)
		m = protowire.AppendVarint(m, uint64(r.err.Code()))
		if msg := r.err.Message(); msg != "" {
			m = protowire.AppendTag(m, 2, protowire.BytesType)
			m = protowire.AppendString(m, msg)
		}
	case answerExtensions: // ExtensionNumberResponse
		m = protowire.AppendTag(m, 1, protowire.BytesType)
		m = protowire.AppendString(m, r.extBase)
		if len(r.extNumbers) > 0 {
			var packed []byte
			for _, n := range r.extNumbers {
				packed = protowire.AppendVarint(packed, uint64(int64(n)))
			}
			m = protowire.AppendTag(m, 2, protowire.BytesType)
			m = protowire.AppendBytes(m, packed)
		}
	case answerServices: // ListServiceResponse
		for _, s := range r.services {
			var sr []byte
			sr = protowire.AppendTag(sr, 1, protowire.BytesType)
			sr = protowire.AppendString(sr, s)
			m = protowire.AppendTag(m, 1, protowire.BytesType)
			m = protowire.AppendBytes(m, sr)
		}
	case answerFiles: // FileDescriptorResponse
		for _, f := range r.files {
			m = protowire.AppendTag(m, 1, protowire.BytesType)
			m = protowire.AppendBytes(m, f)
		}
	}
	b = protowire.AppendTag(b, r.kind, protowire.BytesType)
	return protowire.AppendBytes(b, m), nil
}
