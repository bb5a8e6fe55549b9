package pbgen_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/ospreyrpc/osprey/internal/echotest"
	"github.com/ospreyrpc/osprey/internal/gen/pb/common"
	greet "github.com/ospreyrpc/osprey/internal/gen/pb/greet/v1"
	"github.com/ospreyrpc/osprey/internal/leakcheck"
	"github.com/ospreyrpc/osprey/server"
)

// greeter implements the generated Greeter; Ping stays unimplemented.
type greeter struct {
	greet.UnimplementedGreeter
}

var at = timestamppb.New(time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC))

func reply(req *greet.HelloRequest, n int) *greet.HelloReply {
	return &greet.HelloReply{
		Message: "hello " + req.GetName() + " #" + strconv.Itoa(n),
		At:      at,
		Tags:    []string{req.GetSender().GetName(), req.GetSender().GetMood().String()},
	}
}

func (greeter) SayHello(ctx context.Context, req *greet.HelloRequest) (*greet.HelloReply, error) {
	return reply(req, 0), nil
}

func (greeter) LotsOfReplies(ctx context.Context, req *greet.HelloRequest, stream greet.Greeter_LotsOfRepliesServer) error {
	for i := range int(req.GetTimes()) {
		if err := stream.Send(reply(req, i)); err != nil {
			return err
		}
	}
	return nil
}

func (greeter) LotsOfGreetings(ctx context.Context, stream greet.Greeter_LotsOfGreetingsServer) error {
	var names []string
	for {
		req, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		names = append(names, req.GetName())
	}
	return stream.SendAndClose(&greet.HelloReply{Message: "hello " + strings.Join(names, ", ")})
}

func (greeter) BidiHello(ctx context.Context, stream greet.Greeter_BidiHelloServer) error {
	for i := 0; ; i++ {
		req, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if err := stream.Send(reply(req, i)); err != nil {
			return err
		}
	}
}

// admin answers Shutdown with neither a reply nor an error.
type admin struct{}

func (admin) Shutdown(ctx context.Context, req *emptypb.Empty) (*emptypb.Empty, error) {
	return nil, nil
}

// TestGeneratedServiceOverGRPC serves the generated Greeter on an Osprey
// server and calls each kind of method with net/http's HTTP/2 client
// (h2c), checking the replies by value.
func TestGeneratedServiceOverGRPC(t *testing.T) {
	leakcheck.Check(t)
	srv := echotest.ServeWith(t, "tcp", func(s *server.Server) error {
		if err := greet.RegisterAdmin(s, admin{}); err != nil {
			return err
		}
		return greet.RegisterGreeter(s, greeter{})
	})
	hc := h2cClient(t)
	ann := &greet.HelloRequest{Name: "ann", Times: 3, Sender: &common.Sender{Name: "bob", Mood: common.Mood_MOOD_CHEERFUL}}
	bob := &greet.HelloRequest{Name: "bob"}
	tags := []string{"bob", "MOOD_CHEERFUL"}
	for _, c := range []struct {
		method  string
		reqs    []proto.Message
		replies []*greet.HelloReply
		status  string
	}{
		{"SayHello", []proto.Message{ann}, []*greet.HelloReply{{Message: "hello ann #0", At: at, Tags: tags}}, "0"},
		{"LotsOfReplies", []proto.Message{ann}, []*greet.HelloReply{
			{Message: "hello ann #0", At: at, Tags: tags},
			{Message: "hello ann #1", At: at, Tags: tags},
			{Message: "hello ann #2", At: at, Tags: tags},
		}, "0"},
		{"LotsOfReplies", nil, nil, "13"},                       // no request
		{"LotsOfReplies", []proto.Message{ann, bob}, nil, "13"}, // two requests
		{"LotsOfGreetings", []proto.Message{ann, bob}, []*greet.HelloReply{{Message: "hello ann, bob"}}, "0"},
		{"LotsOfGreetings", nil, []*greet.HelloReply{{Message: "hello "}}, "0"},
		{"BidiHello", []proto.Message{bob, ann}, []*greet.HelloReply{
			{Message: "hello bob #0", At: at, Tags: []string{"", "MOOD_UNSPECIFIED"}},
			{Message: "hello ann #1", At: at, Tags: tags},
		}, "0"},
		{"Ping", []proto.Message{&emptypb.Empty{}}, nil, "12"},
	} {
		got, st, msg := callH2C(t, hc, "http://"+srv.Target+"/greet.v1.Greeter/"+c.method, c.reqs)
		if st != c.status {
			t.Errorf("%s: grpc-status %s (%s), want %s", c.method, st, msg, c.status)
			continue
		}
		if len(got) != len(c.replies) {
			t.Errorf("%s: %d replies, want %d", c.method, len(got), len(c.replies))
			continue
		}
		for i, b := range got {
			var r greet.HelloReply
			if err := proto.Unmarshal(b, &r); err != nil {
				t.Fatalf("%s: reply %d: %v", c.method, i, err)
			}
			if !proto.Equal(&r, c.replies[i]) {
				t.Errorf("%s: reply %d = %v, want %v", c.method, i, &r, c.replies[i])
			}
		}
	}
	if _, _, msg := callH2C(t, hc, "http://"+srv.Target+"/greet.v1.Greeter/Ping", []proto.Message{&emptypb.Empty{}}); msg != "greet.v1.Greeter.Ping is not implemented" {
		t.Errorf("Ping: grpc-message %q", msg)
	}
	// A nil reply without an error is Internal, as in grpc-go.
	if got, st, msg := callH2C(t, hc, "http://"+srv.Target+"/greet.v1.Admin/Shutdown", []proto.Message{&emptypb.Empty{}}); st != "13" || len(got) != 0 {
		t.Errorf("Shutdown returning nil, nil: grpc-status %s (%s), %d replies; want 13 and none", st, msg, len(got))
	}
}

// h2cClient is net/http's client speaking HTTP/2 without TLS, with prior
// knowledge, as gRPC clients do.
func h2cClient(t *testing.T) *http.Client {
	t.Helper()
	var p http.Protocols
	p.SetUnencryptedHTTP2(true)
	tr := &http.Transport{Protocols: &p}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr, Timeout: 5 * time.Second}
}

// callH2C sends reqs as one gRPC request stream and returns the reply
// messages' bodies, grpc-status and grpc-message.
func callH2C(t *testing.T, hc *http.Client, url string, reqs []proto.Message) (replies [][]byte, st, msg string) {
	t.Helper()
	var body []byte
	for _, m := range reqs {
		b, err := proto.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		body = append(body, 0)
		body = binary.BigEndian.AppendUint32(body, uint32(len(b)))
		body = append(body, b...)
	}
	req, err := http.NewRequest("POST", url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("content-type", "application/grpc")
	req.Header.Set("te", "trailers")
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	for len(data) >= 5 {
		n := int(binary.BigEndian.Uint32(data[1:5]))
		if data[0] != 0 || len(data) < 5+n {
			t.Fatalf("%s: bad response framing % x", url, data)
		}
		replies = append(replies, data[5:5+n])
		data = data[5+n:]
	}
	if len(data) != 0 {
		t.Fatalf("%s: %d trailing bytes", url, len(data))
	}
	st, msg = resp.Trailer.Get("grpc-status"), resp.Trailer.Get("grpc-message")
	if st == "" { // trailers-only
		st, msg = resp.Header.Get("grpc-status"), resp.Header.Get("grpc-message")
	}
	msg = strings.ReplaceAll(msg, "%20", " ")
	return replies, st, msg
}
