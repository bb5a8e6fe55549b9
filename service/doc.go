// Package service describes services the way clients and servers need them:
// a Desc names a service and lists its Methods, and each Method knows how to
// allocate its request and response and how to invoke a handler.
//
// Generated code builds one Desc per IDL service as a package-level value and
// hands it to client.New and server.Register; generic calls build them at run
// time. A Desc is read-only once built and safe for concurrent use.
package service
