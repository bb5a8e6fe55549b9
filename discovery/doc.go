// Package discovery describes where a service runs: an Instance is one
// address serving it, and a Resolver watches the set of instances of a
// target and reports every change.
//
// A client resolves its target once and keeps watching it: the picker that
// chooses an instance for each attempt always sees the latest set, and a
// change never drops calls in flight (connections to a removed instance
// close once their calls finish). The core ships a static list, DNS
// (A/AAAA) and DNS SRV (targets, ports and weights of the best priority),
// both re-resolved on an interval; registries such as etcd live in contrib
// modules and implement the same interface.
package discovery
