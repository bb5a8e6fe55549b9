// Package etcd keeps Osprey services in etcd v3: a Registry that servers
// register with (server.WithRegistry) and a discovery.Builder that clients
// resolve "etcd://host:port/service" targets with
// (client.WithResolverBuilder).
//
// # Layout
//
// An instance of a service is one key, Prefix + service + "/" + address
// (Prefix is DefaultPrefix, "/osprey/services/", unless WithPrefix), whose
// value is JSON:
//
//	{"network":"tcp","addr":"10.0.0.1:9090","weight":100,"tags":{"zone":"a"}}
//
// The key is attached to a lease of the registry's TTL (DefaultTTL, 10 s),
// which the registry keeps alive; a server that dies without deregistering
// disappears once its lease expires.
//
// # Faults
//
// The registry re-grants a lease and writes its keys again by itself when a
// lease is lost: expired during a partition, revoked, or unknown to an etcd
// that restarted without its data; a key deleted by someone else while its
// lease lives is written again under it. The resolver lists the prefix, then
// watches it from the list's revision + 1, so no change between the two is
// missed; when the watch fails or its revision was compacted it lists
// again and resumes. While etcd is unreachable the resolver reports
// nothing, so clients keep the last instances they were given; it never
// reports an empty set because of an outage, only because the service has
// no instances. Values that fail to decode (see MaxValueSize) are skipped
// and logged.
//
// # Clients of etcd
//
// NewRegistry and NewBuilder take a *clientv3.Client the caller made and
// closes; neither closes it. DialRegistry("etcd://host:port") and
// URLBuilder() need none: the registry dials its own and Registry.Close
// closes it; the builder dials the host:port of each target
// ("etcd://host:port/service") and closes that client when the Osprey
// client closes. docs/spec/targets.md has the target grammar.
package etcd
