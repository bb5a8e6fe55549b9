// Package loadbalance chooses which instance of a service each attempt of a
// call goes to, and keeps instances that fail out of the way.
//
// A client tracks every instance its resolver reports as a Node, which
// counts the node's calls in flight, keeps a moving average of its latency
// and tracks its health. On every change of the instance set the client
// asks its Balancer for a new Picker over the current nodes; each attempt
// asks the Picker for a node, calls Node.Start, and Node.End when it is
// over, saying whether it failed for a reason that speaks of the instance.
// Pickers are built once per change and used by many goroutines at once:
// Pick is safe for concurrent use and allocates nothing.
//
// # Pickers
//
//   - WeightedRoundRobin (the client's default): smooth weighted round
//     robin, in proportion to discovery.Instance.Weight.
//   - WeightedRandom: at random, in proportion to the weights.
//   - ConsistentHash: the same key (from the call's metadata, HashMetadata,
//     or its context, HashContext) to the same node; adding or removing one
//     of N nodes moves about 1/N of the keys.
//   - P2C: the less loaded of two random nodes, by calls in flight times
//     latency.
//   - RoundRobin: in turn, ignoring weights.
//
// # Health
//
// Every built-in balancer tracks each node's health with the default
// HealthPolicy; WithHealth sets another. A node is ejected after
// consecutive failures, an error rate over a threshold, or an error rate
// far above its peers' (outlier ejection); it stays out for a while that
// grows with repeated ejections, then takes a probe call, and comes back
// when the probe succeeds. At most half the nodes (MaxEjectedPercent) are
// out at once. Node.Available says whether a node may be picked; pickers
// skip the nodes that are not, and when no node is available they use
// them all (as Envoy's panic mode does), since a call to a doubtful
// instance beats no call.
//
// # Warm-up
//
// WithWarmUp ramps a new node's weight from 10% to 100% over a window.
// Nodes of a build in which every node is new (the client's first
// resolver update) start at full weight.
//
// Balancers are values given to a client (client.WithBalancer); there is
// no registry. A Balancer may be given to several clients: what it learns
// lives in the nodes, which belong to one client each.
package loadbalance
