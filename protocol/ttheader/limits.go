package ttheader

// Default limits (spec §8).
const (
	// DefaultMaxHeaderSize is the default for Limits.MaxHeaderSize: 64 KiB.
	DefaultMaxHeaderSize = 64 << 10
	// DefaultMaxPairs is the default for Limits.MaxPairs.
	DefaultMaxPairs = 1024
)

// Limits bound what Decode accepts (spec §8). A field that is zero or
// negative means its default, so Limits{} is DefaultLimits().
type Limits struct {
	// MaxHeaderSize is the largest header Decode accepts, in bytes from the
	// protocol ID to the end of the padding (the header size field times
	// 4). Default DefaultMaxHeaderSize (64 KiB); the format's own maximum
	// is 4 × 65535 bytes.
	MaxHeaderSize int
	// MaxPairs is the most key/value pairs Decode accepts in one header,
	// integer- and string-keyed together (the ACL token is not counted).
	// Default DefaultMaxPairs (1024).
	MaxPairs int
}

// DefaultLimits returns the limits a server and client use unless
// configured otherwise: a 64 KiB header with at most 1024 pairs.
func DefaultLimits() Limits {
	return Limits{MaxHeaderSize: DefaultMaxHeaderSize, MaxPairs: DefaultMaxPairs}
}

// orDefault replaces unset fields with their defaults.
func (l Limits) orDefault() Limits {
	if l.MaxHeaderSize <= 0 {
		l.MaxHeaderSize = DefaultMaxHeaderSize
	}
	if l.MaxPairs <= 0 {
		l.MaxPairs = DefaultMaxPairs
	}
	return l
}
