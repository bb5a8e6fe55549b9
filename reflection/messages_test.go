package reflection

import (
	"strconv"
	"strings"
	"testing"

	"google.golang.org/protobuf/encoding/protowire"

	"github.com/ospreyrpc/osprey/codes"
	"github.com/ospreyrpc/osprey/status"
)

// sameRequest compares requests by value, raw bytes aside.
func sameRequest(a, b *request) bool {
	return a.host == b.host && a.kind == b.kind && a.name == b.name && a.extNumber == b.extNumber
}

var seedRequests = []request{
	{},
	{host: "localhost:50051", kind: kindListServices, name: "*"},
	{kind: kindFileByName, name: "grpc/health/v1/health.proto"},
	{kind: kindSymbol, name: "grpc.health.v1.Health"},
	{kind: kindExtension, name: "google.protobuf.FeatureSet", extNumber: 1002},
	{kind: kindExtension, name: "a.B", extNumber: -1},
	{kind: kindAllExtensions, name: "google.protobuf.FeatureSet"},
}

func TestRequestRoundTrip(t *testing.T) {
	for _, want := range seedRequests {
		b := want.marshal(nil)
		var got request
		if err := got.UnmarshalGRPC(b); err != nil || !sameRequest(&got, &want) || string(got.raw) != string(b) {
			t.Errorf("%+v: got %+v, %v", want, got, err)
		}
	}
	// Unknown fields are skipped; the last message_request wins.
	b := protowire.AppendTag(nil, 15, protowire.VarintType)
	b = protowire.AppendVarint(b, 7)
	b = (&request{kind: kindSymbol, name: "x.Y"}).marshal(b)
	b = (&request{kind: kindFileByName, name: "f.proto"}).marshal(b)
	var got request
	if err := got.UnmarshalGRPC(b); err != nil || got.kind != kindFileByName || got.name != "f.proto" {
		t.Errorf("unknown field and two requests: %+v %v", got, err)
	}
}

func TestRequestBadInput(t *testing.T) {
	for name, b := range map[string][]byte{
		"truncated tag":    {0x80},
		"truncated string": {0x22, 5, 'a'},
		"bad utf-8":        {0x22, 1, 0xff},
		"bad extension":    {0x2a, 2, 0x08, 0x80},
		"too large":        make([]byte, MaxRequestSize+1),
	} {
		var r request
		err := r.UnmarshalGRPC(b)
		want := codes.InvalidArgument
		if name == "too large" {
			want = codes.ResourceExhausted
		}
		if status.Code(err) != want {
			t.Errorf("%s: %v, want %v", name, err, want)
		}
	}
}

// TestResponseWire checks each answer's field numbers and nesting.
func TestResponseWire(t *testing.T) {
	for _, c := range []struct {
		resp response
		want string // field numbers in order, nested in brackets
	}{
		{response{kind: answerServices, services: []string{"a.S", "b.T"}}, "2 6[1[1] 1[1]]"},
		{response{host: "h", kind: answerFiles, files: [][]byte{{}, {}}}, "1 2 4[1 1]"},
		{response{kind: answerExtensions, extBase: "a.M", extNumbers: []int32{100, 200}}, "2 5[1 2]"},
		{response{kind: answerError, err: status.New(codes.NotFound, "gone")}, "2 7[1 2]"},
	} {
		b, err := c.resp.MarshalGRPC(nil)
		if err != nil {
			t.Fatal(err)
		}
		if got := fieldTree(b, 0); got != c.want {
			t.Errorf("%+v: %s, want %s", c.resp, got, c.want)
		}
	}
	if _, err := (&response{}).MarshalGRPC(nil); err == nil {
		t.Error("a response without an answer encoded")
	}
}

// fieldTree lists the field numbers of b, descending into the answers
// (fields 4 to 7 of a response) and the services of a list (field 1 of
// answer 6).
func fieldTree(b []byte, parent protowire.Number) string {
	var parts []string
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		b = b[n:]
		s := strconv.Itoa(int(num))
		m := protowire.ConsumeFieldValue(num, typ, b)
		if typ == protowire.BytesType && (parent == 0 && num >= 4 || parent == answerServices) {
			v, _ := protowire.ConsumeBytes(b)
			s += "[" + fieldTree(v, num) + "]"
		}
		b = b[m:]
		parts = append(parts, s)
	}
	return strings.Join(parts, " ")
}

func FuzzRequest(f *testing.F) {
	for _, r := range seedRequests {
		f.Add(r.marshal(nil))
	}
	f.Add([]byte{0x2a, 0x03, 0x10, 0x80, 0x01})
	f.Fuzz(func(t *testing.T, b []byte) {
		var r request
		if err := r.UnmarshalGRPC(b); err != nil {
			return
		}
		// What decodes re-encodes to a form that decodes to the same.
		var again request
		if err := again.UnmarshalGRPC(r.marshal(nil)); err != nil || !sameRequest(&r, &again) {
			t.Fatalf("round trip: %+v then %+v, %v", r, again, err)
		}
	})
}
