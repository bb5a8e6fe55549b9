// Package status is Osprey's error model.
//
// Every framework error is an *Error: a code from package codes (gRPC's
// numbering), a message, whether the peer reported it (Remote), and whether it
// is a business error: one that a handler returned on purpose as part of its
// API, as opposed to a transport, protocol or framework failure.
//
// Declared exceptions (Thrift "throws") are business errors too: generated
// exception types implement BusinessError and reach the caller as their own
// typed errors, so errors.As and type switches work on them directly.
//
// An *Error may also carry details (typed messages that explain it, which
// gRPC sends in grpc-status-details-bin) and a mark that the request was
// certainly not sent (IsNotSent), which makes any call safe to retry.
//
// Code, IsRemote, IsBusiness and IsNotSent answer the common questions about any error,
// including errors that are not an *Error.
package status
