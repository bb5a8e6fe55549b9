package grpc

import "strings"

// validKeyByte reports whether c may appear in a metadata key: 0-9, a-z,
// '-', '_' and '.' (spec §7.1).
func validKeyByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.'
}

// ValidKey reports whether k may be sent as a custom metadata key (spec
// §7.1): not empty, only 0-9, a-z, '-', '_' and '.', and not starting with
// "grpc-", which the spec reserves for gRPC itself. Pseudo-headers
// (":path") fail the character rule.
func ValidKey(k string) bool {
	if k == "" || strings.HasPrefix(k, "grpc-") {
		return false
	}
	for i := 0; i < len(k); i++ {
		if !validKeyByte(k[i]) {
			return false
		}
	}
	return true
}

// ValidValue reports whether v may be the value of a non-binary metadata
// key (spec §7.1): printable ASCII, 0x20 to 0x7E. Values of "-bin" keys
// are base64 (EncodeBinaryHeader) and always valid.
func ValidValue(v string) bool {
	for i := 0; i < len(v); i++ {
		if v[i] < 0x20 || v[i] > 0x7e {
			return false
		}
	}
	return true
}

// IsBinaryKey reports whether k names a binary header, whose value is
// base64 on the wire: it ends with "-bin" (spec §7.2).
func IsBinaryKey(k string) bool {
	return strings.HasSuffix(k, "-bin")
}

// IsReservedHeader reports whether the header name h belongs to HTTP/2 or
// gRPC and is never user metadata (spec §7.3): pseudo-headers (":path"
// and the rest), content-type, te, user-agent, and the grpc- headers the
// spec defines. Received headers for which it is true are not handed to
// the user as metadata; grpc-go filters the same set.
func IsReservedHeader(h string) bool {
	if h != "" && h[0] == ':' {
		return true
	}
	switch h {
	case "content-type", "te", "user-agent",
		"grpc-timeout", "grpc-encoding", "grpc-accept-encoding",
		"grpc-message-type", "grpc-status", "grpc-message",
		"grpc-status-details-bin":
		return true
	}
	return false
}

// Kind is the lifetime of a metainfo value, as it is named on the wire
// (spec §8).
type Kind uint8

// The lifetimes of package metainfo.
const (
	// Persistent values go to every later hop.
	Persistent Kind = iota + 1
	// Transient values go to the next hop only.
	Transient
	// Backward values go from the callee back to its caller.
	Backward
)

// Metadata key prefixes of the metainfo lifetimes (spec §8): those of
// bytedance/gopkg cloud/metainfo (HTTPPrefixPersistent,
// HTTPPrefixTransient, HTTPPrefixBackward), which Kitex's gRPC transport
// uses for the first two.
const (
	PrefixPersistent = "rpc-persist-"
	PrefixTransient  = "rpc-transit-"
	PrefixBackward   = "rpc-backward-"
)

func (k Kind) prefix() string {
	switch k {
	case Persistent:
		return PrefixPersistent
	case Transient:
		return PrefixTransient
	case Backward:
		return PrefixBackward
	}
	return ""
}

// MetadataKey returns the gRPC metadata key that carries the metainfo key
// of the given kind (spec §8): the kind's prefix, then key in lower case
// with '_' turned into '-', as gopkg's CGIVariableToHTTPHeader does, so
// "TRACE_ID" persistent is "rpc-persist-trace-id". ok is false for an
// unknown kind, an empty key, a key with a byte outside A-Z, a-z, 0-9,
// '_', '-' and '.', and a key whose header would end in "-bin" (peers would
// read its value as base64).
func MetadataKey(kind Kind, key string) (h string, ok bool) {
	p := kind.prefix()
	if p == "" || key == "" {
		return "", false
	}
	b := make([]byte, len(p)+len(key))
	n := copy(b, p)
	for i := 0; i < len(key); i++ {
		c := key[i]
		switch {
		case c >= 'A' && c <= 'Z':
			c += 'a' - 'A'
		case c == '_':
			c = '-'
		case !validKeyByte(c):
			return "", false
		}
		b[n+i] = c
	}
	h = string(b)
	if IsBinaryKey(h) {
		return "", false
	}
	return h, true
}

// ParseMetadataKey reports whether the metadata key h carries a metainfo
// value, and of which kind and key (spec §8): h starts with a prefix (in
// any case, as gopkg's FromHTTPHeader matches) and has at least one byte
// after it. The key is the rest in upper case with '-' turned into '_', as
// gopkg's HTTPHeaderToCGIVariable does, so "rpc-transit-trace-id" is the
// transient key "TRACE_ID". Keys therefore cross a gRPC hop unchanged only
// when written in that form (A-Z, 0-9, '_', '.').
func ParseMetadataKey(h string) (kind Kind, key string, ok bool) {
	for _, k := range [...]Kind{Persistent, Transient, Backward} {
		p := k.prefix()
		if len(h) > len(p) && strings.EqualFold(h[:len(p)], p) {
			return k, cgiKey(h[len(p):]), true
		}
	}
	return 0, "", false
}

// cgiKey returns s in upper case with '-' turned into '_', byte by byte.
func cgiKey(s string) string {
	b := []byte(s)
	for i, c := range b {
		switch {
		case c >= 'a' && c <= 'z':
			b[i] = c - ('a' - 'A')
		case c == '-':
			b[i] = '_'
		}
	}
	return string(b)
}
