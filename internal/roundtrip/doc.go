// Package roundtrip compares a value decoded from Thrift with the value
// that decoding its re-encoding gives, for the fuzz targets' round trips.
//
// Diff is reflect.DeepEqual with three differences, each one the codec's
// documented behaviour rather than a loss:
//
//   - A nil slice or map equals an empty one: a container field of default
//     requiredness is always written, so a nil one is encoded empty and
//     decodes as an empty, non-nil container. A struct field whose thrift
//     tag says optional is the exception: nil means unset there, so nil
//     and empty differ.
//   - Floats compare by their bits: both protocols carry a double's eight
//     bytes unchanged, so a NaN must come back as the same NaN (DeepEqual
//     calls NaN unequal to itself), and -0 must not come back as +0.
//   - Map keys that are pointers (a struct-keyed Thrift map decodes to
//     pointer keys) match by what they point to; each entry of one map
//     pairs with one entry of the other.
//
// Everything else, including every field and every element's position,
// must be the same.
package roundtrip
