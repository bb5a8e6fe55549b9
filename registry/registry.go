package registry

import (
	"context"

	"github.com/ospreyrpc/osprey/discovery"
)

// Registry records which instances serve which services. Its methods are
// safe for concurrent use.
type Registry interface {
	// Register records that inst serves service, and keeps it recorded
	// (renewing leases, writing it again after the store lost it) until
	// Deregister. It returns once the record is written; an error means
	// nothing is kept and the caller may try again. Registering the same
	// service and address again replaces the record.
	Register(ctx context.Context, service string, inst *discovery.Instance) error
	// Deregister removes the record of service and inst.Addr and stops
	// keeping it. Deregistering what is not registered is not an error.
	Deregister(ctx context.Context, service string, inst *discovery.Instance) error
}

// Tag keys with a shared meaning, for discovery.Instance.Tags. A registry
// stores every tag; these are the ones pickers and routers may look for.
const (
	// TagZone is the zone or data centre an instance runs in.
	TagZone = "zone"
	// TagVersion is the version of the service the instance runs.
	TagVersion = "version"
	// TagProtocol names the protocols an instance serves, comma-separated
	// ("thrift", "ttheader", "grpc"); absent means every protocol the
	// Osprey server speaks on that port.
	TagProtocol = "protocol"
)
