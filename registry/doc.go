// Package registry is how a server announces itself: a Registry records
// that an instance (address, weight, tags) serves a service, for the
// resolvers of package discovery to find.
//
// A server given a registry (server.WithRegistry) registers once it is
// serving and deregisters before it drains. The core ships no registry;
// registries such as etcd live in contrib modules (contrib/etcd) and pair
// with a discovery.Builder for the same store.
package registry
