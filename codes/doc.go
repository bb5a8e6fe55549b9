// Package codes defines the status codes every Osprey error carries.
//
// The numbering is gRPC's, so a code means the same thing whichever protocol
// carried the call: Thrift, gRPC or HTTP. The zero value is OK.
package codes
