package codegen

import (
	"strings"
	"unicode"

	"github.com/ospreyrpc/osprey/idl"
)

// svcNames are the Go names generated for one service.
type svcNames struct {
	iface, unimpl, client, newClient, newClientFrom, register, descFunc, descVar string
	// closer is the typed client's Close method: "Close", unless an IDL
	// method already takes that name.
	closer string
	fns    map[*idl.Function]*fnNames
}

// fnNames are the Go names generated for one function.
type fnNames struct {
	method, args, result, handler string
	call                          string // per-call storage type: Holder, args, result
	index                         int    // position in the service's own methods
	argsStruct, resultStruct      *idl.Struct
	params                        []string // Go parameter names, one per argument
}

// planServices names every service of the program.
func (g *gen) planServices() {
	for _, f := range g.prog.Files {
		for _, s := range f.Services {
			g.planService(s)
		}
	}
}

// planService names a service, its functions, and the argument and result
// structs of each, after its ancestors so inherited names are kept.
func (g *gen) planService(s *idl.Service) *svcNames {
	if n := g.svcs[s]; n != nil {
		return n
	}
	methods := nameSet{}
	if s.Extends != nil {
		g.planService(s.Extends)
		for _, fn := range s.Extends.AllFunctions() {
			methods[g.svcs[fnService(s.Extends, fn)].fns[fn].method] = true
		}
	}
	taken := g.pkgs[s.File].taken
	name := g.name(s)
	lower := lowerFirst(name)
	n := &svcNames{
		iface:         name,
		unimpl:        taken.claim("Unimplemented" + name),
		client:        taken.claim(name + "Client"),
		newClient:     taken.claim("New" + name + "Client"),
		newClientFrom: taken.claim("New" + name + "ClientFrom"),
		register:      taken.claim("Register" + name),
		descFunc:      taken.claim(name + "Desc"),
		descVar:       taken.claim(lower + "Desc"),
		fns:           map[*idl.Function]*fnNames{},
	}
	for i, fn := range s.Functions {
		method := methods.claim(exported(fn.Name))
		fnn := &fnNames{
			method:  method,
			index:   i,
			args:    taken.claim(name + method + "Args"),
			handler: taken.claim(lower + method + "Handler"),
			call:    taken.claim(lower + method + "Call"),
		}
		fnn.argsStruct = &idl.Struct{Name: fn.Name + "_args", Fields: fn.Args, File: s.File}
		g.names[fnn.argsStruct] = fnn.args
		g.names[ctorOf{fnn.argsStruct}] = taken.claim("New" + fnn.args)
		g.planStruct(fnn.argsStruct)
		g.planStorage(fnn.argsStruct.Fields)
		if !fn.Oneway {
			fnn.result = taken.claim(name + method + "Result")
			fields := []*idl.Field{}
			if fn.Result != nil {
				fields = append(fields, &idl.Field{ID: 0, Name: "success", Type: fn.Result, Requiredness: idl.Optional})
			}
			for _, t := range fn.Throws {
				c := *t
				c.Requiredness = idl.Optional
				c.Default = nil
				fields = append(fields, &c)
			}
			fnn.resultStruct = &idl.Struct{Name: fn.Name + "_result", Fields: fields, File: s.File}
			g.names[fnn.resultStruct] = fnn.result
			g.names[ctorOf{fnn.resultStruct}] = taken.claim("New" + fnn.result)
			g.planStruct(fnn.resultStruct, "ThriftException", "SetThriftException")
			if fn.Result != nil {
				g.planStorage(fields[:1])
			}
		}
		params := nameSet{}
		for _, a := range fn.Args {
			fnn.params = append(fnn.params, params.claim(unexported(a.Name)))
		}
		n.fns[fn] = fnn
	}
	n.closer = "Close"
	if methods["Close"] {
		n.closer = "CloseClient"
	}
	g.svcs[s] = n
	return n
}

// fnService returns the service among s and its ancestors that declares fn.
func fnService(s *idl.Service, fn *idl.Function) *idl.Service {
	for ; s != nil; s = s.Extends {
		for _, f := range s.Functions {
			if f == fn {
				return s
			}
		}
	}
	panic("codegen: function " + fn.Name + " not in service")
}

func lowerFirst(s string) string {
	r := []rune(s)
	r[0] = unicode.ToLower(r[0])
	out := string(r)
	if isGoKeyword(out) || strings.HasPrefix(out, "_") {
		out = "x" + out
	}
	return out
}

// planStorage gives each struct-typed field of fields inline storage.
func (g *gen) planStorage(fields []*idl.Field) {
	for _, f := range fields {
		if f.Type.True().Kind == idl.KindStruct {
			g.storage[f] = "x" + g.names[f]
		}
	}
}
