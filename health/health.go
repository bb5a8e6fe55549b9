package health

import (
	"context"
	"sync"

	"github.com/ospreyrpc/osprey/codes"
	"github.com/ospreyrpc/osprey/endpoint"
	"github.com/ospreyrpc/osprey/server"
	"github.com/ospreyrpc/osprey/service"
	"github.com/ospreyrpc/osprey/status"
)

// Status is a service's serving status, numbered as
// grpc.health.v1.HealthCheckResponse.ServingStatus.
type Status int32

// The serving statuses.
const (
	Unknown        Status = 0
	Serving        Status = 1
	NotServing     Status = 2
	ServiceUnknown Status = 3 // only in Watch, for a service never set
)

// String returns the status's protobuf enum name.
func (s Status) String() string {
	switch s {
	case Serving:
		return "SERVING"
	case NotServing:
		return "NOT_SERVING"
	case ServiceUnknown:
		return "SERVICE_UNKNOWN"
	}
	return "UNKNOWN"
}

// Service is the health service of one server.
type Service struct {
	mu       sync.Mutex
	statuses map[string]Status
	watchers map[string]map[chan Status]struct{}
	shutdown bool
}

// New returns a health service reporting the server ("") SERVING.
func New() *Service {
	return &Service{statuses: map[string]Status{"": Serving}, watchers: map[string]map[chan Status]struct{}{}}
}

// SetServingStatus sets what Check and Watch report for the service name;
// "" is the server as a whole. After Shutdown it changes nothing.
func (h *Service) SetServingStatus(name string, st Status) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.shutdown {
		return
	}
	h.setLocked(name, st)
}

func (h *Service) setLocked(name string, st Status) {
	h.statuses[name] = st
	for ch := range h.watchers[name] {
		// Watchers want the latest status, not every one: replace what
		// they have not read yet.
		select {
		case <-ch:
		default:
		}
		ch <- st
	}
}

// Shutdown reports every service NOT_SERVING from now on.
func (h *Service) Shutdown() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.shutdown = true
	for name := range h.statuses {
		h.setLocked(name, NotServing)
	}
}

// check returns the status of name, or a NotFound error.
func (h *Service) check(name string) (Status, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	st, ok := h.statuses[name]
	if !ok {
		return 0, status.Errorf(codes.NotFound, "unknown service %q", name)
	}
	return st, nil
}

// watch returns a channel that receives name's status now and at every
// change, and the function that stops it.
func (h *Service) watch(name string) (<-chan Status, func()) {
	ch := make(chan Status, 1)
	h.mu.Lock()
	defer h.mu.Unlock()
	st, ok := h.statuses[name]
	if !ok {
		st = ServiceUnknown
	}
	ch <- st
	if h.watchers[name] == nil {
		h.watchers[name] = map[chan Status]struct{}{}
	}
	h.watchers[name][ch] = struct{}{}
	return ch, func() {
		h.mu.Lock()
		delete(h.watchers[name], ch)
		h.mu.Unlock()
	}
}

// Desc describes grpc.health.v1.Health, for Register.
func Desc() *service.Desc { return &desc }

// Register registers h on s as grpc.health.v1.Health.
func Register(s *server.Server, h *Service) error { return s.Register(&desc, h) }

var desc = service.Desc{Name: "grpc.health.v1.Health", Protobuf: true, Methods: []service.Method{
	{
		Name:    "Check",
		NewCall: func() service.Call { return service.Call{Args: new(request), Result: new(response)} },
		Handler: func(ctx context.Context, impl any, args, result any) error {
			st, err := impl.(*Service).check(args.(*request).service)
			if err != nil {
				return err
			}
			result.(*response).status = st
			return nil
		},
	},
	{
		Name:    "Watch",
		Kind:    service.ServerStreaming,
		NewCall: func() service.Call { return service.Call{} },
		StreamHandler: func(ctx context.Context, impl any, st endpoint.Stream) error {
			var req request
			if err := st.Recv(&req); err != nil {
				return err
			}
			ch, stop := impl.(*Service).watch(req.service)
			defer stop()
			for {
				select {
				case s := <-ch:
					if err := st.Send(&response{status: s}); err != nil {
						return err
					}
				case <-ctx.Done():
					return status.Convert(ctx.Err())
				}
			}
		},
	},
}}
