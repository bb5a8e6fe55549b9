package endpoint_test

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"github.com/ospreyrpc/osprey/endpoint"
)

func record(log *[]string, name string) endpoint.Middleware {
	return func(next endpoint.Endpoint) endpoint.Endpoint {
		return func(ctx context.Context, req, resp any) error {
			*log = append(*log, name+">")
			err := next(ctx, req, resp)
			*log = append(*log, "<"+name)
			return err
		}
	}
}

func TestChainOrder(t *testing.T) {
	var log []string
	inner := func(ctx context.Context, req, resp any) error {
		log = append(log, "endpoint")
		return nil
	}
	ep := endpoint.Chain(record(&log, "a"), nil, record(&log, "b"), record(&log, "c"))(inner)
	if err := ep(context.Background(), nil, nil); err != nil {
		t.Fatal(err)
	}
	want := []string{"a>", "b>", "c>", "endpoint", "<c", "<b", "<a"}
	if !reflect.DeepEqual(log, want) {
		t.Errorf("order = %v, want %v", log, want)
	}
}

func TestChainEmptyAndShortCircuit(t *testing.T) {
	called := false
	inner := func(ctx context.Context, req, resp any) error { called = true; return nil }
	if err := endpoint.Chain()(inner)(context.Background(), nil, nil); err != nil || !called {
		t.Fatalf("empty chain: err=%v called=%v", err, called)
	}
	called = false
	errDenied := errors.New("denied")
	deny := func(endpoint.Endpoint) endpoint.Endpoint {
		return func(context.Context, any, any) error { return errDenied }
	}
	if err := endpoint.Chain(deny)(inner)(context.Background(), nil, nil); err != errDenied || called {
		t.Fatalf("short circuit: err=%v called=%v", err, called)
	}
}
