package server

import (
	"fmt"
	"strings"

	"sync/atomic"

	"github.com/ospreyrpc/osprey/endpoint"
	"github.com/ospreyrpc/osprey/limit"
	"github.com/ospreyrpc/osprey/service"
)

// method is a registered method with its middleware chain built.
type method struct {
	name    string // as the IDL spells it; what replies carry
	service string
	desc    *service.Method
	ep      endpoint.Endpoint             // unary methods
	sep     endpoint.StreamEndpoint       // streaming methods
	limiter atomic.Pointer[limit.Limiter] // WithMethodLimits, SetLimits; nil: none
}

// methodTable finds registered methods by service and method name, for
// every protocol. It is written by Register before serving starts and only
// read afterwards.
type methodTable struct {
	services map[string]map[string]*method // service name → method name → method
	// bare maps a method name to its method when one service has it, and
	// to nil when several do: protocols that name only the method (plain
	// Thrift) reach it while it is unambiguous.
	bare map[string]*method
}

func newMethodTable() methodTable {
	return methodTable{services: map[string]map[string]*method{}, bare: map[string]*method{}}
}

// add adds a service's methods.
func (t *methodTable) add(serviceName string, ms []*method) {
	byName := make(map[string]*method, len(ms))
	for _, m := range ms {
		byName[m.name] = m
		if _, ok := t.bare[m.name]; ok {
			t.bare[m.name] = nil // ambiguous from now on
		} else {
			t.bare[m.name] = m
		}
	}
	t.services[serviceName] = byName
}

// lookup finds a method. serviceName may be empty, and name may be a Thrift
// multiplexed name "Service:method". It returns an error saying why when
// there is no such method, or when a bare name is ambiguous.
func (t *methodTable) lookup(serviceName, name string) (*method, error) {
	if svc, m, ok := strings.Cut(name, ":"); ok {
		serviceName, name = svc, m
	}
	if serviceName != "" {
		if byName, ok := t.services[serviceName]; ok {
			if m := byName[name]; m != nil {
				return m, nil
			}
			return nil, fmt.Errorf("unknown method %s of service %s", name, serviceName)
		}
		// A name the protocol carried that is not an IDL service name
		// (a deployment name, say) falls back to the bare method name.
	}
	m, ok := t.bare[name]
	switch {
	case !ok:
		return nil, fmt.Errorf("unknown method %s", name)
	case m == nil:
		return nil, fmt.Errorf("method %s is in several services; call it as Service:%s", name, name)
	}
	return m, nil
}

// lookupBytes is lookup for a name the decoder returned, allocating
// nothing on the common path: a bare name one service has.
func (t *methodTable) lookupBytes(serviceName string, name []byte) (*method, error) {
	if serviceName == "" {
		if m := t.bare[string(name)]; m != nil {
			return m, nil
		}
	} else if m := t.services[serviceName][string(name)]; m != nil {
		return m, nil
	}
	return t.lookup(serviceName, string(name))
}

// validateDesc checks that desc is complete: every method has a name, once,
// and what its kind needs to be served.
func validateDesc(desc *service.Desc) error {
	if desc.Name == "" || len(desc.Methods) == 0 {
		return fmt.Errorf("server: service description %q has no name or no methods", desc.Name)
	}
	seen := map[string]bool{}
	for i := range desc.Methods {
		m := &desc.Methods[i]
		if m.Name == "" || seen[m.Name] {
			return fmt.Errorf("server: service %s: empty or repeated method name %q", desc.Name, m.Name)
		}
		seen[m.Name] = true
		switch {
		case m.NewCall == nil:
			return fmt.Errorf("server: service %s method %s: incomplete description (no NewCall)", desc.Name, m.Name)
		case m.Kind == service.Unary && m.Handler == nil:
			return fmt.Errorf("server: service %s method %s: incomplete description (no Handler)", desc.Name, m.Name)
		case m.Kind != service.Unary && m.StreamHandler == nil:
			return fmt.Errorf("server: service %s method %s: %s streaming method without a StreamHandler", desc.Name, m.Name, m.Kind)
		}
	}
	return nil
}
