package thriftidl

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ospreyrpc/osprey/idl"
)

// resolveServices resolves what every service extends, breaking (and
// reporting) inheritance cycles, then checks every function: unique names,
// also against inherited functions; the oneway rules; exception types in
// throws lists.
func (r *resolver) resolveServices(files []*fileAST) {
	decls := map[*idl.Service]*serviceDecl{}
	var all []*serviceDecl
	for _, f := range files {
		for _, d := range f.services {
			decls[d.def] = d
			all = append(all, d)
			r.resolveExtends(f, d)
		}
	}
	r.breakCycles(all, decls)
	r.checkInherited(all, decls)
	for _, f := range files {
		for _, d := range f.services {
			r.checkFunctions(f, d)
		}
	}
}

func (r *resolver) resolveExtends(f *fileAST, d *serviceDecl) {
	if d.extends == "" {
		return
	}
	switch s := r.lookup(f, d.extends); {
	case s == nil:
		r.unknown(f, d.extendsPos, "service", d.extends)
	case s.svc == nil:
		r.sink.errorf(d.extendsPos, "%q is a %s, not a service", d.extends, s.kindName())
	default:
		d.def.Extends = s.svc.def
	}
}

// breakCycles reports each inheritance cycle at its first service and cuts
// it there, in time linear in the number of services.
func (r *resolver) breakCycles(all []*serviceDecl, decls map[*idl.Service]*serviceDecl) {
	done := map[*idl.Service]bool{}
	for _, d := range all {
		var path []*idl.Service
		onPath := map[*idl.Service]bool{}
		for s := d.def; s != nil && !done[s]; s = s.Extends {
			if onPath[s] {
				cycle := path[slices.Index(path, s):]
				names := make([]string, 0, len(cycle)+1)
				for _, c := range cycle {
					names = append(names, c.Name)
				}
				names = append(names, s.Name)
				r.sink.errorf(decls[s].extendsPos, "service inheritance cycle: %s", strings.Join(names, " -> "))
				s.Extends = nil
				break
			}
			onPath[s] = true
			path = append(path, s)
		}
		for _, s := range path {
			done[s] = true
		}
	}
}

// checkInherited reports functions that repeat the name of an inherited
// one. It walks the inheritance forest depth first, keeping for each
// function name the services on the current path that define it, so the
// time is linear.
func (r *resolver) checkInherited(all []*serviceDecl, decls map[*idl.Service]*serviceDecl) {
	children := map[*idl.Service][]*serviceDecl{}
	for _, d := range all {
		if d.def.Extends != nil {
			children[d.def.Extends] = append(children[d.def.Extends], d)
		}
	}
	defining := map[string][]*funcDecl{}
	var visit func(d *serviceDecl)
	visit = func(d *serviceDecl) {
		var pushed []string
		seen := map[string]bool{}
		for _, fd := range d.funcs {
			name := fd.def.Name
			if seen[name] {
				continue // a duplicate within the service, reported by checkFunctions
			}
			seen[name] = true
			if stack := defining[name]; len(stack) > 0 {
				base := stack[len(stack)-1]
				r.sink.errorf(fd.namePos, "function %q of service %q is already defined in base service %q (at %s)",
					name, d.def.Name, base.def.Service.Name, base.def.Pos)
			}
			defining[name] = append(defining[name], fd)
			pushed = append(pushed, name)
		}
		for _, c := range children[d.def] {
			visit(c)
		}
		for _, name := range pushed {
			defining[name] = defining[name][:len(defining[name])-1]
		}
	}
	for _, d := range all {
		if d.def.Extends == nil {
			visit(d)
		}
	}
}

// checkFunctions checks the functions of one service.
func (r *resolver) checkFunctions(f *fileAST, d *serviceDecl) {
	own := map[string]*funcDecl{}
	for _, fd := range d.funcs {
		fn := fd.def
		if prev := own[fn.Name]; prev != nil {
			r.sink.errorf(fd.namePos, "duplicate function %q in service %q (first at %s)", fn.Name, d.def.Name, prev.namePos)
		} else {
			own[fn.Name] = fd
		}
		if fn.Oneway && fd.result != nil {
			r.sink.errorf(fd.result.pos, "oneway function %q must return void", fn.Name)
		}
		if fn.Oneway && len(fd.throws) > 0 {
			r.sink.errorf(fd.throwsPos, "oneway function %q cannot throw exceptions", fn.Name)
		}
		r.checkFields(fd.args, fmt.Sprintf("arguments of function %q", fn.Name))
		r.checkFields(fd.throws, fmt.Sprintf("throws of function %q", fn.Name))
		r.checkThrows(f, fd)
	}
}
