package codegen

import (
	"strconv"

	"github.com/ospreyrpc/osprey/idl"
)

// descriptor writes the service.Desc with one handler per own method, the
// parent's methods appended, and the Register function.
func (fg *fileGen) descriptor(s *idl.Service, n *svcNames) {
	svc := fg.Q(pkgService, "Method")
	fg.P("var ", n.descVar, " = ", fg.Q(pkgService, "Desc"), "{")
	fg.P("Name: ", strconv.Quote(s.Name), ",")
	methods := "[]" + svc + "{"
	fg.P("Methods: ", map[bool]string{true: "append(", false: ""}[s.Extends != nil], methods)
	for _, fn := range s.Functions {
		fnn := n.fns[fn]
		fg.P("{")
		fg.P("Name: ", strconv.Quote(fn.Name), ",")
		if fn.Oneway {
			fg.P("Oneway: true,")
		}
		fg.P("NewCall: func() ", fg.Q(pkgService, "Call"), " { _, c := new", exported(fnn.call), "(); return c },")
		fg.P("Handler: ", fnn.handler, ",")
		fg.P("},")
	}
	if pn, q := fg.parent(s); pn != nil {
		fg.P("}, ", q(pn.descFunc), "().Methods...),")
	} else {
		fg.P("},")
	}
	fg.P("}")
	fg.P()
	fg.P("// ", n.descFunc, " describes the ", s.Name, " service, inherited methods included,")
	fg.P("// for client.New and server.Server.Register.")
	fg.P("func ", n.descFunc, "() *", fg.Q(pkgService, "Desc"), " { return &", n.descVar, " }")
	fg.P()
	fg.P("// ", n.register, " registers impl to serve ", s.Name, " on s.")
	fg.P("func ", n.register, "(s *", fg.Q(pkgServer, "Server"), ", impl ", n.iface, ") error {")
	fg.P("return s.Register(&", n.descVar, ", impl)")
	fg.P("}")
	fg.P()
	for _, fn := range s.Functions {
		fg.handler(s, n, fn)
	}
}

// handler writes the function that unpacks a method's arguments, calls
// the implementation and stores its return value.
func (fg *fileGen) handler(s *idl.Service, n *svcNames, fn *idl.Function) {
	fnn := n.fns[fn]
	fg.P("func ", fnn.handler, "(ctx ", fg.Q("context", "Context"), ", impl any, args, result any) error {")
	call := "impl.(" + n.iface + ")." + fnn.method + "(ctx"
	if len(fn.Args) > 0 {
		fg.P("a := args.(*", fnn.args, ")")
		for _, a := range fn.Args {
			call += ", a." + fg.fieldName(fnn.argsStruct, a)
		}
	}
	call += ")"
	if fn.Result == nil {
		fg.P("return ", call)
		fg.P("}")
		fg.P()
		return
	}
	fg.P("v, err := ", call)
	fg.P("if err != nil {")
	fg.P("return err")
	fg.P("}")
	success := fnn.resultStruct.Fields[0]
	target := "result.(*" + fnn.result + ")." + fg.fieldName(fnn.resultStruct, success)
	switch k := fn.Result.True().Kind; {
	case isScalar(fn.Result):
		fg.P(target, " = &v")
	case k == idl.KindStruct:
		fg.P(target, " = v")
	default:
		// A nil slice or map is Go's empty one; send it as empty rather
		// than as a missing result.
		fg.P("if v == nil {")
		fg.P("v = make(", fg.goType(fn.Result), ", 0)")
		fg.P("}")
		fg.P(target, " = v")
	}
	fg.P("return nil")
	fg.P("}")
	fg.P()
}

// client writes the typed client.
func (fg *fileGen) client(s *idl.Service, n *svcNames) {
	cl := fg.Q(pkgClient, "Client")
	pn, q := fg.parent(s)
	fg.P("// ", n.client, " calls the ", s.Name, " service. It implements ", n.iface, " and is safe")
	fg.P("// for concurrent use.")
	fg.P("type ", n.client, " struct {")
	if pn != nil {
		fg.P("*", q(pn.client))
	}
	fg.P("c *", cl)
	fg.P("}")
	fg.P()
	fg.P("var _ ", n.iface, " = (*", n.client, ")(nil)")
	fg.P()
	fg.P("// ", n.newClient, " returns a client for the ", s.Name, " service at target, \"host:port\"")
	fg.P("// or \"unix:/path\"; see client.New for the options.")
	fg.P("func ", n.newClient, "(target string, opts ...", fg.Q(pkgClient, "Option"), ") (*", n.client, ", error) {")
	fg.P("c, err := ", fg.Q(pkgClient, "New"), "(target, &", n.descVar, ", opts...)")
	fg.P("if err != nil {")
	fg.P("return nil, err")
	fg.P("}")
	fg.P("return ", n.newClientFrom, "(c), nil")
	fg.P("}")
	fg.P()
	fg.P("// ", n.newClientFrom, " returns a typed client that calls through c, a client made")
	fg.P("// for ", s.Name, " or for a service that extends it.")
	fg.P("func ", n.newClientFrom, "(c *", cl, ") *", n.client, " {")
	if pn != nil {
		fg.P("return &", n.client, "{", pn.client, ": ", q(pn.newClientFrom), "(c), c: c}")
	} else {
		fg.P("return &", n.client, "{c: c}")
	}
	fg.P("}")
	fg.P()
	fg.P("// ", n.closer, " closes the client's connections.")
	fg.P("func (c *", n.client, ") ", n.closer, "() error { return c.c.Close() }")
	fg.P()
	for _, fn := range s.Functions {
		fg.clientMethod(s, n, fn)
	}
}

func (fg *fileGen) clientMethod(s *idl.Service, n *svcNames, fn *idl.Function) {
	fnn := n.fns[fn]
	params, results := fg.signature(fn, fnn)
	fg.Doc(fn.Doc, fnn.method+" calls "+s.Name+"."+fn.Name+".")
	fg.P("func (c *", n.client, ") ", fnn.method, "(", params, ") ", results, " {")
	var fields []string
	for i, a := range fn.Args {
		fields = append(fields, fg.fieldName(fnn.argsStruct, a)+" = "+fnn.params[i])
	}
	if len(fields) == 0 && fn.Result == nil {
		fg.P("_, storage := new", exported(fnn.call), "()")
	} else {
		fg.P("call, storage := new", exported(fnn.call), "()")
	}
	for _, f := range fields {
		fg.P("call.args.", f)
	}
	method := "&" + n.descVar + ".Methods[" + strconv.Itoa(fnn.index) + "]"
	if fn.Result == nil {
		fg.P("return c.c.Call(ctx, ", method, ", storage)")
		fg.P("}")
		fg.P()
		return
	}
	zero := fg.zero(fn.Result)
	fg.P("if err := c.c.Call(ctx, ", method, ", storage); err != nil {")
	fg.P("return ", zero, ", err")
	fg.P("}")
	success := "call.result." + fg.fieldName(fnn.resultStruct, fnn.resultStruct.Fields[0])
	fg.P("if ", success, " == nil {")
	fg.P("return ", zero, ", ", fg.thrift("MissingResultError"), "(", strconv.Quote(fn.Name), ")")
	fg.P("}")
	if isScalar(fn.Result) {
		fg.P("return *", success, ", nil")
	} else {
		fg.P("return ", success, ", nil")
	}
	fg.P("}")
	fg.P()
}
