// Package kitex holds the conformance tests against CloudWeGo Kitex
// v0.16.3: its clients in every transport against an Osprey server, and
// Osprey's TTHeader clients, ping-pong and multiplexed, against a Kitex
// server, with metadata, deadlines, caller names and business errors. The
// Kitex code for the echo IDL is in gen/, made by the kitex tool (see
// gen/README.md).
package kitex
