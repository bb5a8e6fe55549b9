package codegen

import (
	"fmt"
	"strings"

	"github.com/ospreyrpc/osprey/idl"
)

// warnUnimplemented reports, through Options.Warn, each annotation Osprey
// recognizes but does not implement yet, once per occurrence: Kitex's
// "streaming.mode" on a function, which is generated as a unary method,
// and the "api.*" HTTP annotations of Kitex and Hertz on services,
// functions, structs and fields, which generate nothing.
func (g *gen) warnUnimplemented() {
	if g.opts.Warn == nil {
		return
	}
	api := func(what string, as idl.Annotations) {
		for _, a := range as {
			if strings.HasPrefix(a.Key, "api.") {
				g.opts.Warn(a.Pos, fmt.Sprintf("annotation %q on %s is not implemented by osprey and is ignored", a.Key, what))
			}
		}
	}
	fields := func(owner string, fs []*idl.Field) {
		for _, f := range fs {
			api("field "+owner+"."+f.Name, f.Annotations)
		}
	}
	for _, f := range g.prog.Files {
		for _, s := range f.Structs {
			api(s.Kind.String()+" "+s.Name, s.Annotations)
			fields(s.Name, s.Fields)
		}
		for _, s := range f.Services {
			api("service "+s.Name, s.Annotations)
			for _, fn := range s.Functions {
				name := s.Name + "." + fn.Name
				for _, a := range fn.Annotations {
					if a.Key == "streaming.mode" {
						g.opts.Warn(a.Pos, fmt.Sprintf("annotation %q on method %s is not implemented by osprey: %s is generated as a unary method", a.Key, name, name))
					}
				}
				api("method "+name, fn.Annotations)
				fields(name, fn.Args)
			}
		}
	}
}
