package echotest

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/ospreyrpc/osprey/codes"
	"github.com/ospreyrpc/osprey/internal/gen/echo"
	"github.com/ospreyrpc/osprey/rpcinfo"
	"github.com/ospreyrpc/osprey/status"
)

// Handler implements echo.Echo. Notify delivers messages to Notified.
type Handler struct {
	Notified chan string
	// Held receives a value when a "hold" call has entered the handler (it
	// buffers 16; more are dropped), and each value sent on Release, or
	// closing it, lets held calls return.
	Held    chan struct{}
	Release chan struct{}
	fn      atomic.Pointer[Func]
}

// Func is a handler of a test's own, for the action "func".
type Func func(ctx context.Context, req *echo.Request) (*echo.Response, error)

// SetFunc makes f answer the action "func". It is safe to call while the
// server runs: calls a client makes after it returns see f.
func (h *Handler) SetFunc(f Func) { h.fn.Store(&f) }

// NewHandler returns a Handler whose Notified channel buffers 16 messages.
func NewHandler() *Handler {
	return &Handler{Notified: make(chan string, 16), Held: make(chan struct{}, 16), Release: make(chan struct{})}
}

// Echo behaves as the request's action says.
func (h *Handler) Echo(ctx context.Context, req *echo.Request) (*echo.Response, error) {
	action, arg, _ := strings.Cut(req.GetAction(), ":")
	reply := &echo.Response{Action: req.GetAction(), Msg: req.GetMsg()}
	switch action {
	case "", "echo":
	case "func":
		f := h.fn.Load()
		if f == nil {
			return nil, errors.New("echotest: no SetFunc")
		}
		return (*f)(ctx, req)
	case "business":
		c, err := strconv.Atoi(arg)
		if err != nil {
			return nil, err
		}
		return nil, status.Business(codes.Code(c), req.GetMsg())
	case "throw":
		return nil, &echo.EchoError{Code: 7, Message: req.GetMsg()}
	case "error":
		return nil, errors.New(req.GetMsg())
	case "status":
		c, ok := codes.Parse(arg)
		if !ok {
			return nil, fmt.Errorf("echotest: unknown code %q", arg)
		}
		return nil, status.New(c, req.GetMsg())
	case "panic":
		panic(req.GetMsg())
	case "sleep":
		d, err := time.ParseDuration(arg)
		if err != nil {
			return nil, err
		}
		select {
		case <-time.After(d):
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	case "block":
		<-ctx.Done()
		return nil, ctx.Err()
	case "hold":
		select {
		case h.Held <- struct{}{}:
		default:
		}
		select {
		case <-h.Release:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	case "big":
		n, err := strconv.Atoi(arg)
		if err != nil {
			return nil, err
		}
		reply.Msg = strings.Repeat("x", n)
	case "info":
		ri := rpcinfo.FromContext(ctx)
		reply.Msg = fmt.Sprintf("%v %s.%s %s seq=%d oneway=%v", ri.Role, ri.Service, ri.Method, ri.Protocol, ri.SeqID, ri.Oneway)
	default:
		return nil, fmt.Errorf("echotest: unknown action %q", action)
	}
	return reply, nil
}

// Notify sends msg to Notified.
func (h *Handler) Notify(ctx context.Context, msg string) error {
	select {
	case h.Notified <- msg:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
