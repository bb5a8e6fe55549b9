package system

import (
	"fmt"
	"net"
	"sort"
	"strings"

	"github.com/ospreyrpc/osprey/client"
	"github.com/ospreyrpc/osprey/server"
)

// System is one RPC stack under test.
type System struct {
	// Name is what --system selects, such as "osprey".
	Name string
	// Doc says in one line what the system is and how it is set up.
	Doc string
	// Serve serves echo on ln until the returned stop function is called;
	// stop returns once the server has stopped.
	Serve func(ln net.Listener) (stop func(), err error)
	// NewClient returns a client of the server at addr for a closed loop of
	// the given number of concurrent callers.
	NewClient func(addr string, callers int) (Client, error)
	// GRPC says the server speaks gRPC over cleartext HTTP/2 (h2c) and
	// serves echo.Echo of gen/pb/echo.proto; the others speak framed
	// Thrift (raw: its own frames).
	GRPC bool
	// Stream says a call is one Send and one Recv on a bidirectional
	// stream that each caller opens once and keeps; such callers pass no
	// per-call context. The others make unary calls, each with its own
	// deadline (callContext).
	Stream bool
	// ServeOsprey, set when the server is Osprey's, is Serve with more
	// server options (such as server.WithRegistry).
	ServeOsprey func(ln net.Listener, opts ...server.Option) (stop func(), err error)
	// DialOsprey, set when the client is Osprey's, is NewClient for any
	// client.New target (a list, dns:///, etcd:// with its builder given
	// in opts) with more client options (balancer, method policies).
	DialOsprey func(target string, callers int, opts ...client.Option) (Client, error)
}

// Client calls an echo server.
type Client interface {
	// Caller returns what one goroutine of the closed loop calls. Callers
	// may share connections or own one each, as the system is set up.
	Caller() (Caller, error)
	// Close releases the client's connections.
	Close() error
}

// Caller makes one echo call with action "echo" and message msg. It
// returns an error if the call failed or the reply did not echo msg.
type Caller func(msg string) error

// All returns every system, in the order reports list them.
func All() []System {
	return []System{Raw, Osprey, OspreyGoverned, OspreyTTHeader, OspreyMux, Kitex, KitexMux, Apache,
		OspreyGRPC, OspreyGRPCGoverned, OspreyGRPCStream, GRPCGo, GRPCGoStream, KitexGRPC, KitexGRPCStream, Connect, ConnectStream,
		RawClientOsprey, OspreyRawServer, GRPCGoClientOsprey}
}

// Lookup returns the system called name.
func Lookup(name string) (System, error) {
	var names []string
	for _, s := range All() {
		if s.Name == name {
			return s, nil
		}
		names = append(names, s.Name)
	}
	sort.Strings(names)
	return System{}, fmt.Errorf("unknown system %q (have %s)", name, strings.Join(names, ", "))
}

// checkReply returns an error unless a reply echoes action "echo" and msg,
// byte for byte.
func checkReply(action, got, msg string) error {
	if action != "echo" || got != msg {
		return fmt.Errorf("bad reply: action %q, %d bytes of message differing from the %d sent at byte %d", action, len(got), len(msg), firstDiff(got, msg))
	}
	return nil
}

// firstDiff returns the index of the first byte where a and b differ, or
// the shorter one's length.
func firstDiff[S ~string | ~[]byte](a, b S) int {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	return i
}
