package ttheader

// Integer keys of info block 0x10 (spec §7.1), numbered as Kitex's
// pkg/remote/transmeta/metakey.go and gopkg's protocol/ttheader/metakey.go.
// Every value is a string. Osprey reads and writes the ones spec §7.3 and
// §7.4 list; the others are named so that logs and tests can print them.
const (
	// KeyMeshVersion is the service mesh's version.
	KeyMeshVersion uint16 = 0
	// KeyTransportType is "framed" or "unframed": whether the payload is
	// TTHeader framed (spec §5).
	KeyTransportType uint16 = 1
	// KeyLogID is the caller's log (trace) ID.
	KeyLogID uint16 = 2
	// KeyFromService is the caller's service name.
	KeyFromService uint16 = 3
	// KeyFromCluster is the caller's cluster.
	KeyFromCluster uint16 = 4
	// KeyFromIDC is the caller's data center.
	KeyFromIDC uint16 = 5
	// KeyToService is the callee's service name.
	KeyToService uint16 = 6
	// KeyToCluster is the callee's cluster.
	KeyToCluster uint16 = 7
	// KeyToIDC is the callee's data center.
	KeyToIDC uint16 = 8
	// KeyToMethod is the method called.
	KeyToMethod uint16 = 9
	// KeyEnv is the environment (e.g. a test lane).
	KeyEnv uint16 = 10
	// KeyDestAddress is the destination address chosen by a mesh.
	KeyDestAddress uint16 = 11
	// KeyRPCTimeout is the call's timeout in decimal milliseconds.
	KeyRPCTimeout uint16 = 12
	// KeyReadTimeout is a read timeout in milliseconds.
	KeyReadTimeout uint16 = 13
	// KeyRingHashKey is a consistent-hashing key.
	KeyRingHashKey uint16 = 14
	// KeyDDPTag is a traffic-dyeing tag.
	KeyDDPTag uint16 = 15
	// KeyWithMeshHeader says a mesh header was present.
	KeyWithMeshHeader uint16 = 16
	// KeyConnectTimeout is the caller's connect timeout in milliseconds.
	KeyConnectTimeout uint16 = 17
	// KeySpanContext is a serialized tracing span context.
	KeySpanContext uint16 = 18
	// KeyShortConnection asks for the connection to be closed after the call.
	KeyShortConnection uint16 = 19
	// KeyFromMethod is the method of the caller's handler making the call.
	KeyFromMethod uint16 = 20
	// KeyStressTag marks stress-test traffic.
	KeyStressTag uint16 = 21
	// KeyMsgType is the Thrift message type in decimal ("1" call, "2" reply).
	KeyMsgType uint16 = 22
	// KeyHTTPContentType is an HTTP content type, for HTTP gateways.
	KeyHTTPContentType uint16 = 23
	// KeyRawRingHashKey is the unhashed consistent-hashing key.
	KeyRawRingHashKey uint16 = 24
	// KeyLBType is the load-balancer type.
	KeyLBType uint16 = 25
	// KeyClusterShardID is a cluster shard ID.
	KeyClusterShardID uint16 = 26
	// KeyFrameType is the frame type of TTHeader Streaming.
	KeyFrameType uint16 = 27
)

// String keys of info block 0x01 (spec §7.2).
const (
	// KeyIDLServiceName is the IDL service name of the method called.
	KeyIDLServiceName = "isn"
	// KeyConnReset, in a reply, says the server will close the connection;
	// Kitex sends the value "1".
	KeyConnReset = "crrst"
	// KeyBizStatus is a business error's status code, a decimal int32.
	KeyBizStatus = "biz-status"
	// KeyBizMessage is a business error's message.
	KeyBizMessage = "biz-message"
	// KeyBizExtra is a business error's extra data, a JSON object of
	// strings.
	KeyBizExtra = "biz-extra"
)

// Metainfo key prefixes (spec §7.2). Prefixes are case-sensitive.
const (
	// PrefixPersistent starts a persistent metadata key, passed on at every
	// hop.
	PrefixPersistent = "RPC_PERSIST_"
	// PrefixTransient starts a transient metadata key, passed one hop.
	PrefixTransient = "RPC_TRANSIT_"
	// PrefixTransientUpstream starts a transient key that a receiver sees
	// but never passes on. Kitex reads it and never writes it.
	PrefixTransientUpstream = "RPC_TRANSIT_UPSTREAM_"
)

// GDPRTokenKey is the metadata key whose value Kitex carries in the ACL
// token block 0x11 instead of the string block; Header.Token holds it
// (spec §4.3).
const GDPRTokenKey = PrefixTransient + "gdpr-token"
