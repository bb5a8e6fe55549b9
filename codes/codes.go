package codes

import "strconv"

// Code is a status code, numbered as in gRPC.
type Code uint32

// The codes, with gRPC's numbers and meanings.
const (
	// OK means the call succeeded.
	OK Code = 0
	// Canceled means the caller canceled the call.
	Canceled Code = 1
	// Unknown is an error with no better code, such as an uncoded error
	// returned by a handler.
	Unknown Code = 2
	// InvalidArgument means the caller sent an argument that is wrong
	// whatever the state of the system.
	InvalidArgument Code = 3
	// DeadlineExceeded means the deadline passed before the call completed.
	DeadlineExceeded Code = 4
	// NotFound means a requested entity was not found.
	NotFound Code = 5
	// AlreadyExists means the entity the call tried to create exists.
	AlreadyExists Code = 6
	// PermissionDenied means the caller may not do this.
	PermissionDenied Code = 7
	// ResourceExhausted means a quota, limit or resource ran out.
	ResourceExhausted Code = 8
	// FailedPrecondition means the system is not in a state the call needs.
	FailedPrecondition Code = 9
	// Aborted means the call was aborted, typically by a concurrency conflict.
	Aborted Code = 10
	// OutOfRange means an argument is past the valid range.
	OutOfRange Code = 11
	// Unimplemented means the method is not implemented or not known.
	Unimplemented Code = 12
	// Internal means an invariant of the system broke.
	Internal Code = 13
	// Unavailable means the service cannot be reached now; retrying may help.
	Unavailable Code = 14
	// DataLoss means data was lost or corrupted beyond recovery.
	DataLoss Code = 15
	// Unauthenticated means the caller has no valid credentials.
	Unauthenticated Code = 16
)

var names = [...]string{
	OK:                 "OK",
	Canceled:           "Canceled",
	Unknown:            "Unknown",
	InvalidArgument:    "InvalidArgument",
	DeadlineExceeded:   "DeadlineExceeded",
	NotFound:           "NotFound",
	AlreadyExists:      "AlreadyExists",
	PermissionDenied:   "PermissionDenied",
	ResourceExhausted:  "ResourceExhausted",
	FailedPrecondition: "FailedPrecondition",
	Aborted:            "Aborted",
	OutOfRange:         "OutOfRange",
	Unimplemented:      "Unimplemented",
	Internal:           "Internal",
	Unavailable:        "Unavailable",
	DataLoss:           "DataLoss",
	Unauthenticated:    "Unauthenticated",
}

// String returns the code's name, such as "NotFound", or "Code(N)" for a
// number outside the table.
func (c Code) String() string {
	if int(c) < len(names) {
		return names[c]
	}
	return "Code(" + strconv.FormatUint(uint64(c), 10) + ")"
}

// Parse returns the code named s, as String spells it.
func Parse(s string) (Code, bool) {
	for i, n := range names {
		if n == s {
			return Code(i), true
		}
	}
	return 0, false
}
