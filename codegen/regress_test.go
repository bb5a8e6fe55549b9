package codegen_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net"
	"reflect"
	"strings"
	"testing"
	"time"
	"unsafe"

	"github.com/ospreyrpc/osprey/codes"
	"github.com/ospreyrpc/osprey/internal/gen/echo"
	"github.com/ospreyrpc/osprey/internal/gen/regress"
	"github.com/ospreyrpc/osprey/internal/gen/regress/AliasedPkg"
	"github.com/ospreyrpc/osprey/internal/gen/types"
	"github.com/ospreyrpc/osprey/internal/thriftio"
	"github.com/ospreyrpc/osprey/protocol/thrift"
	"github.com/ospreyrpc/osprey/server"
	"github.com/ospreyrpc/osprey/status"
)

// The names of testdata/regress keep an underscore before a capital or a
// digit, as Apache Thrift's and Kitex's generators do; this fails to
// compile if they do not.
var _ = []any{regress.TYPE_ORDER_AES_GCM_V1, regress.TYPE_ORDER_FIRST_ONE, regress.AES_GCM_V1_KEY_SIZE,
	regress.Named{}.Field_1, regress.Named{}.My_HTTPThing}

func validNamed() *regress.Named {
	n := regress.NewNamed()
	n.Inner = &types.Inner{X: "in"}
	return n
}

func TestTypedefOfUUIDRoundTrips(t *testing.T) {
	n := validNamed()
	if n.MyId != regress.DEFAULT_ID || n.MyId != regress.MyUUID(thrift.UUID{0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff}) {
		t.Fatalf("default my_id = %x, want DEFAULT_ID", n.MyId)
	}
	n.OtherId = &regress.MyUUID{1}
	n.Ids = []regress.MyUUID{{2}, {3}}
	n.More = []*regress.IDs{{Pairs: map[regress.MyUUID]regress.MyUUID{{4}: {5}}}}
	n.Trace = types.TraceID{6}
	for _, c := range bothProtocols {
		t.Run(c.name, func(t *testing.T) {
			b := c.encode(n)
			if len(b) != c.size(n) {
				t.Errorf("size %d, encoded %d bytes", c.size(n), len(b))
			}
			got := regress.NewNamed()
			if err := c.decode(b, got); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, n) {
				t.Errorf("got %v, want %v", got, n)
			}
		})
	}
}

func TestCapitalisedIncludeIsOneName(t *testing.T) {
	files := generate(t, "testdata/regress/regress.thrift")
	byPath := map[string][]byte{}
	for _, f := range files {
		byPath[f.Path] = f.Content
	}
	if !bytes.Contains(byPath["types/types_types.go"], []byte("\npackage types\n")) {
		t.Errorf("Types.thrift: no types/types_types.go declaring package types; files: %v", reflect.ValueOf(byPath).MapKeys())
	}
	src := byPath["regress/regress_types.go"]
	for _, want := range []string{
		"\t\"github.com/ospreyrpc/osprey/internal/gen/types\"\n",
		"*types.Inner",
		"\taliasedpkg \"github.com/ospreyrpc/osprey/internal/gen/regress/AliasedPkg\"\n",
		"*aliasedpkg.Tag",
	} {
		if !bytes.Contains(src, []byte(want)) {
			t.Errorf("regress_types.go lacks %q", want)
		}
	}
	_ = aliasedpkg.Tag{} // and it compiles under that name
}

func TestGoTagReplacesGeneratedTag(t *testing.T) {
	f, _ := reflect.TypeFor[regress.Tagged]().FieldByName("IntThing")
	if f.Tag != `json:"custom_thing"` {
		t.Errorf("IntThing tag %q, want the go.tag annotation's value alone", f.Tag)
	}
	b, err := json.Marshal(&regress.Tagged{IntThing: 7, Plain: "p"})
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"custom_thing":7,"plain":"p"}`; string(b) != want || bytes.Contains(b, []byte("int_thing")) {
		t.Errorf("encoding/json wrote %s, want custom_thing and no int_thing", b)
	}
}

func TestNilRequiredStructFieldFailsEncoding(t *testing.T) {
	tests := []struct {
		name string
		body thrift.Struct
		want string // "" for valid
	}{
		{"top level", &regress.Holder{}, "Holder.named (id 1)"},
		{"nested", &regress.Holder{Named: regress.NewNamed()}, "Named.inner (id 10)"},
		{"in list", &regress.Holder{Named: validNamed(), ListOf: []*regress.Named{validNamed(), {}}}, "Named.inner (id 10)"},
		{"in map", &regress.Holder{Named: validNamed(), ByName: map[string]*regress.Named{"x": {}}}, "Named.inner (id 10)"},
		{"in args", &regress.RegressGetArgs{H: &regress.Holder{}}, "Holder.named (id 1)"},
		{"in result", &regress.RegressGetResult{Success: &regress.Named{}}, "Named.inner (id 10)"},
		{"valid", &regress.Holder{Named: validNamed(), ListOf: []*regress.Named{validNamed(), nil}}, ""},
		{"nil optional args", &regress.RegressGetArgs{}, ""},
	}
	for _, enc := range []thrift.Encoding{thrift.Binary, thrift.Compact} {
		for _, tt := range tests {
			t.Run(enc.String()+"/"+tt.name, func(t *testing.T) {
				var c thrift.Codec
				c.Init(enc)
				p, err := thriftio.Encode(&c, thrift.Framed, "Get", thrift.MessageCall, 1, tt.body)
				if tt.want == "" {
					if err != nil || p == nil {
						t.Fatalf("Encode: %v", err)
					}
					return
				}
				if p != nil {
					t.Errorf("Encode returned %d bytes, want none", len(*p))
				}
				if !errors.Is(err, thrift.ErrMissingField) || !strings.Contains(fmtErr(err), tt.want) {
					t.Errorf("Encode error %v, want ErrMissingField naming %s", err, tt.want)
				}
			})
		}
	}
}

func fmtErr(err error) string {
	if err == nil {
		return "<nil>"
	}
	return err.Error()
}

// regressImpl answers Get with the named value of its argument, which
// may lack a required field.
type regressImpl struct{ regress.UnimplementedRegress }

func (regressImpl) Get(_ context.Context, h *regress.Holder, _ regress.MyUUID) (*regress.Named, error) {
	if h.Named.IntThing == 1 {
		return &regress.Named{}, nil
	}
	return h.Named, nil
}

func TestNilRequiredStructFieldFailsCall(t *testing.T) {
	s, err := server.New()
	if err != nil {
		t.Fatal(err)
	}
	if err := regress.RegisterRegress(s, regressImpl{}); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- s.Serve(ln) }()
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		s.Stop(ctx)
		<-done
	}()
	c, err := regress.NewRegressClient(ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx := context.Background()

	// The sending side refuses; the connection stays usable.
	_, err = c.Get(ctx, &regress.Holder{}, regress.MyUUID{})
	if status.Code(err) != codes.Internal || !errors.Is(err, thrift.ErrMissingField) || !strings.Contains(err.Error(), "Holder.named") {
		t.Errorf("call with a nil required field: %v, want Internal naming Holder.named", err)
	}
	// The server's reply lacks Named.inner: it answers with an exception.
	bad := validNamed()
	bad.IntThing = 1
	_, err = c.Get(ctx, &regress.Holder{Named: bad}, regress.MyUUID{})
	if status.Code(err) != codes.Internal || !status.IsRemote(err) {
		t.Errorf("reply with a nil required field: %v, want a remote Internal error", err)
	}
	want := validNamed()
	want.Ids, want.More = []regress.MyUUID{}, []*regress.IDs{}
	got, err := c.Get(ctx, &regress.Holder{Named: want}, regress.MyUUID{})
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("valid call: %v, %v; want %v", got, err, want)
	}
}

// TestCallStructsDoNotPointIntoThemselves decodes a call's arguments and
// result and checks that the struct values they point to are not inside
// them, so copying an argument or result struct does not alias it.
func TestCallStructsDoNotPointIntoThemselves(t *testing.T) {
	call := regress.RegressDesc().Methods[0].NewCall()
	args, result := call.Args.(*regress.RegressGetArgs), call.Result.(*regress.RegressGetResult)
	for _, c := range bothProtocols {
		if err := c.decode(c.encode(&regress.RegressGetArgs{H: &regress.Holder{Named: validNamed()}}), args); err != nil {
			t.Fatal(err)
		}
		if err := c.decode(c.encode(&regress.RegressGetResult{Success: validNamed()}), result); err != nil {
			t.Fatal(err)
		}
		if args.H == nil || result.Success == nil {
			t.Fatalf("%s: decoding set no value", c.name)
		}
		if inside(unsafe.Pointer(args.H), unsafe.Pointer(args), unsafe.Sizeof(*args)) {
			t.Errorf("%s: args.H points into the args struct", c.name)
		}
		if inside(unsafe.Pointer(result.Success), unsafe.Pointer(result), unsafe.Sizeof(*result)) {
			t.Errorf("%s: result.Success points into the result struct", c.name)
		}
		cp := *args
		cp.H.Named.IntThing = 99
		if args.H.Named.IntThing != 99 {
			t.Errorf("%s: a copy's pointer differs from the original's", c.name)
		}
	}
}

func inside(p, base unsafe.Pointer, size uintptr) bool {
	return uintptr(p) >= uintptr(base) && uintptr(p) < uintptr(base)+size
}

// TestResultDecodeStartsEmpty decodes a reply carrying a declared
// exception and then a successful one into the same result, as a retry
// would: nothing of the first may stay.
func TestResultDecodeStartsEmpty(t *testing.T) {
	for _, enc := range []thrift.Encoding{thrift.Binary, thrift.Compact} {
		var c thrift.Codec
		c.Init(enc)
		failed := c.AppendMessage(nil, "echo", thrift.MessageReply, 1, &echo.EchoEchoResult{Err: &echo.EchoError{Code: 7}})
		ok := c.AppendMessage(nil, "echo", thrift.MessageReply, 2, &echo.EchoEchoResult{Success: &echo.Response{Msg: "ok"}})
		var res echo.EchoEchoResult
		for _, msg := range [][]byte{failed, ok} {
			if _, _, _, err := c.ReadMessageBegin(msg); err != nil {
				t.Fatal(err)
			}
			if err := c.ReadBody(&res); err != nil {
				t.Fatal(err)
			}
		}
		if res.Err != nil || res.Success == nil || res.Success.Msg != "ok" {
			t.Errorf("%v: after an exception and a success the result is %+v", enc, res)
		}
	}
}
