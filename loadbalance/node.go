package loadbalance

import (
	"sync/atomic"
	"time"

	"github.com/ospreyrpc/osprey/discovery"
)

// Node is an instance as a client tracks it: its description and its live
// load. The client owns it; pickers read it.
type Node struct {
	// Instance is what the resolver reported.
	Instance *discovery.Instance
	// Transport is the client's own state for the node, such as its
	// connection pool. Pickers leave it alone.
	Transport any

	inflight atomic.Int64
	latency  atomic.Int64 // moving average, nanoseconds; 0 until a call ends
}

// NewNode returns a node for inst.
func NewNode(inst *discovery.Instance, transport any) *Node {
	return &Node{Instance: inst, Transport: transport}
}

// InFlight returns the number of attempts sent to the node that have not
// ended.
func (n *Node) InFlight() int64 { return n.inflight.Load() }

// Latency returns the node's moving average latency, or 0 before any call
// to it has ended.
func (n *Node) Latency() time.Duration { return time.Duration(n.latency.Load()) }

// Start records that an attempt goes to the node.
func (n *Node) Start() { n.inflight.Add(1) }

// End records that an attempt to the node ended after d.
func (n *Node) End(d time.Duration) {
	n.inflight.Add(-1)
	// An exponentially weighted moving average with weight 1/8: racing
	// updates may lose one sample, which an average can afford.
	old := n.latency.Load()
	if old == 0 {
		n.latency.Store(int64(d))
		return
	}
	n.latency.Store(old + (int64(d)-old)/8)
}
