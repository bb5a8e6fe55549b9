package codegen

import (
	"strconv"
	"strings"

	"github.com/ospreyrpc/osprey/idl"
)

// service writes everything generated for one service.
func (fg *fileGen) service(s *idl.Service) {
	n := fg.planService(s)
	for _, fn := range s.Functions {
		fnn := n.fns[fn]
		fg.structDecl(fnn.argsStruct, fnn.args, fnn.args+" holds the arguments of "+s.Name+"."+fn.Name+".", false)
		fg.codec(fnn.argsStruct, fnn.args)
		if fnn.resultStruct != nil {
			fg.results[fnn.resultStruct] = true
			fg.structDecl(fnn.resultStruct, fnn.result, fnn.result+" holds the reply of "+s.Name+"."+fn.Name+": its return value or a declared exception.", false)
			fg.codec(fnn.resultStruct, fnn.result)
			fg.resultMethods(fnn)
		}
		fg.callStorage(s, fn, fnn)
	}
	fg.serviceInterface(s, n)
	fg.unimplemented(s, n)
	fg.descriptor(s, n)
	fg.client(s, n)
}

// parentNames returns the generated names of s's parent, qualified for
// this file, or nil.
func (fg *fileGen) parent(s *idl.Service) (names *svcNames, qual func(string) string) {
	if s.Extends == nil {
		return nil, nil
	}
	path := fg.pkgs[s.Extends.File].path
	return fg.svcs[s.Extends], func(ident string) string { return fg.Q(path, ident) }
}

// signature returns a function's Go parameter list and result list.
func (fg *fileGen) signature(fn *idl.Function, fnn *fnNames) (params, results string) {
	ps := []string{"ctx " + fg.Q("context", "Context")}
	for i, a := range fn.Args {
		ps = append(ps, fnn.params[i]+" "+fg.fieldType(a))
	}
	results = "error"
	if fn.Result != nil {
		results = "(" + fg.goType(fn.Result) + ", error)"
	}
	return strings.Join(ps, ", "), results
}

func (fg *fileGen) serviceInterface(s *idl.Service, n *svcNames) {
	fg.Doc(s.Doc, n.iface+" is the Thrift service "+s.Name+". Implement it and pass it to "+n.register+".")
	fg.P("type ", n.iface, " interface {")
	if pn, q := fg.parent(s); pn != nil {
		fg.P(q(pn.iface))
	}
	for _, fn := range s.Functions {
		fnn := n.fns[fn]
		fg.Doc(fn.Doc, fnn.method+" implements "+s.Name+"."+fn.Name+".")
		params, results := fg.signature(fn, fnn)
		fg.P(fnn.method, "(", params, ") ", results)
	}
	fg.P("}")
	fg.P()
}

func (fg *fileGen) unimplemented(s *idl.Service, n *svcNames) {
	fg.P("// ", n.unimpl, " answers every method of ", n.iface, " with codes.Unimplemented.")
	fg.P("// Embed it in an implementation to keep compiling when the IDL gains methods.")
	fg.P("type ", n.unimpl, " struct {")
	if pn, q := fg.parent(s); pn != nil {
		fg.P(q(pn.unimpl))
	}
	fg.P("}")
	fg.P()
	for _, fn := range s.Functions {
		fnn := n.fns[fn]
		params, results := fg.signature(fn, fnn)
		fg.P("// ", fnn.method, " returns an Unimplemented error.")
		fg.P("func (", n.unimpl, ") ", fnn.method, "(", params, ") ", results, " {")
		err := fg.Q(pkgStatus, "New") + "(" + fg.Q(pkgCodes, "Unimplemented") + ", " +
			strconv.Quote(s.Name+"."+fn.Name+" is not implemented") + ")"
		if fn.Result != nil {
			fg.P("return ", fg.zero(fn.Result), ", ", err)
		} else {
			fg.P("return ", err)
		}
		fg.P("}")
		fg.P()
	}
}

// zero returns the zero value of t's Go type as an expression.
func (fg *fileGen) zero(t *idl.Type) string {
	switch t.True().Kind {
	case idl.KindBool:
		return "false"
	case idl.KindString:
		return `""`
	case idl.KindUUID:
		return fg.goType(t) + "{}"
	case idl.KindBinary, idl.KindList, idl.KindSet, idl.KindMap, idl.KindStruct:
		return "nil"
	}
	return "0"
}

func (fg *fileGen) resultMethods(fnn *fnNames) {
	s, name := fnn.resultStruct, fnn.result
	var excs []*idl.Field
	for _, f := range s.Fields {
		if f.ID != 0 || f.Name != "success" {
			excs = append(excs, f)
		}
	}
	fg.P("// ThriftException implements thrift.Result.")
	fg.P("func (p *", name, ") ThriftException() error {")
	for _, f := range excs {
		fg.P("if p.", fg.fieldName(s, f), " != nil {")
		fg.P("return p.", fg.fieldName(s, f))
		fg.P("}")
	}
	fg.P("return nil")
	fg.P("}")
	fg.P()
	fg.P("// SetThriftException implements thrift.Result.")
	if len(excs) == 0 {
		fg.P("func (p *", name, ") SetThriftException(error) bool { return false }")
		fg.P()
		return
	}
	fg.P("func (p *", name, ") SetThriftException(err error) bool {")
	for _, f := range excs {
		fg.P("if e, ok := ", fg.Q("errors", "AsType"), "[", fg.goType(f.Type), "](err); ok && e != nil {")
		fg.P("p.", fg.fieldName(s, f), " = e")
		fg.P("return true")
		fg.P("}")
	}
	fg.P("return false")
	fg.P("}")
	fg.P()
}

// callStorage writes the type that holds everything one call of fn needs,
// so a call costs the framework one allocation, and its constructor.
func (fg *fileGen) callStorage(s *idl.Service, fn *idl.Function, fnn *fnNames) {
	fg.P("// ", fnn.call, " is the storage of one call of ", s.Name, ".", fn.Name, ".")
	fg.P("type ", fnn.call, " struct {")
	fg.P("info ", fg.Q("github.com/ospreyrpc/osprey/rpcinfo", "Holder"))
	fg.P("args ", fnn.args)
	if !fn.Oneway {
		fg.P("result ", fnn.result)
	}
	// The values decoding produces for struct-typed arguments and the
	// return value live here, beside the structs that point to them, so a
	// copy of an argument or result struct never points into itself.
	var stores []string
	store := func(prefix string, s *idl.Struct, fields []*idl.Field) {
		for _, f := range fields {
			if st, ok := fg.storage[f]; ok {
				name := prefix + fg.fieldName(s, f)
				fg.P(name, " ", fg.valueType(f.Type))
				stores = append(stores, "c."+prefix+"."+st+" = &c."+name)
			}
		}
	}
	store("args", fnn.argsStruct, fnn.argsStruct.Fields)
	if fnn.resultStruct != nil {
		store("result", fnn.resultStruct, fnn.resultStruct.Fields)
	}
	fg.P("}")
	fg.P()
	fg.P("func new", exported(fnn.call), "() (*", fnn.call, ", ", fg.Q(pkgService, "Call"), ") {")
	fg.P("c := &", fnn.call, "{args: ", fg.initialized(fnn.argsStruct, fnn.args), "}")
	for _, st := range stores {
		fg.P(st)
	}
	result := "nil"
	if !fn.Oneway {
		result = "&c.result"
	}
	fg.P("return c, ", fg.Q(pkgService, "Call"), "{Info: &c.info, Args: &c.args, Result: ", result, "}")
	fg.P("}")
	fg.P()
}
