// Package loadbalance chooses which instance of a service each attempt of a
// call goes to.
//
// A client tracks every instance its resolver reports as a Node, which
// counts the node's calls in flight and keeps a moving average of its
// latency. On every change of the instance set the client asks its Balancer
// for a new Picker over the current nodes; each attempt asks the Picker for
// a node. Pickers are built once per change and used by many goroutines at
// once, so Pick must be safe for concurrent use and cheap.
//
// RoundRobin is the default. Weighted, hashing and least-loaded pickers come
// with the governance work and fit the same two interfaces.
package loadbalance
