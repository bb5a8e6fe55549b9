package thrift

// Struct is a value that encodes itself in both protocols. Generated
// structs, unions, exceptions, and method argument and result structs
// implement it, and so does ApplicationException.
//
// BinarySize and CompactSize return the exact number of bytes the Encode
// methods append. Decode methods read one struct (fields up to and including
// the stop field), skip fields they do not know, and return the reader's
// error.
type Struct interface {
	BinarySize() int
	EncodeBinary(w *BinaryWriter)
	DecodeBinary(r *BinaryReader) error
	CompactSize() int
	EncodeCompact(w *CompactWriter)
	DecodeCompact(r *CompactReader) error
}

// Result is implemented by the generated result struct of a method that has
// a reply. Besides the return value (field 0, "success"), a result holds at
// most one of the method's declared exceptions.
type Result interface {
	Struct
	// ThriftException returns the declared exception the result holds, or
	// nil.
	ThriftException() error
	// SetThriftException stores err in the result if err is, or wraps, one
	// of the method's declared exceptions, and reports whether it did.
	SetThriftException(err error) bool
}
