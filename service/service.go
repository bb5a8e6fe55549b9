package service

import "context"

// Desc describes one service.
type Desc struct {
	// Name is the service name as the IDL spells it.
	Name string
	// Methods are the service's methods, inherited ones (Thrift "extends")
	// included. Names are unique.
	Methods []Method
}

// Method describes one method of a service.
type Method struct {
	// Name is the method name as the IDL spells it and the wire carries it.
	Name string
	// Oneway is true for a method whose caller does not wait for a reply.
	Oneway bool
	// NewArgs returns a new, empty request value, such as a pointer to the
	// generated argument struct.
	NewArgs func() any
	// NewResult returns a new, empty response value, such as a pointer to the
	// generated result struct.
	NewResult func() any
	// Handler calls the method on impl, the value registered for the
	// service, with args from NewArgs, and fills result, from NewResult. A
	// declared exception is returned as the error.
	Handler func(ctx context.Context, impl any, args, result any) error
}

// Method returns the method called name, or nil.
func (d *Desc) Method(name string) *Method {
	for i := range d.Methods {
		if d.Methods[i].Name == name {
			return &d.Methods[i]
		}
	}
	return nil
}
