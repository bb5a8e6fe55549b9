// Package testcert is the TLS identity the interop peers share: one
// self-signed Ed25519 certificate, the same in every process because its key
// comes from a fixed seed, so a server and a client started as separate
// programs trust each other without certificate files.
//
// It is for tests only: the private key is public. The certificate names
// localhost, 127.0.0.1, ::1 and foo.test.google.fr (the name gRPC's interop
// clients pass as --server_host_override) and is valid from 2020 to 2100.
// It imports no RPC library, so Osprey and grpc-go peers can both use it.
package testcert
