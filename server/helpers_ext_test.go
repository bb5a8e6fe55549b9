package server_test

import (
	"github.com/ospreyrpc/osprey/endpoint"
	"github.com/ospreyrpc/osprey/server"
	"github.com/ospreyrpc/osprey/service"
)

type service_Method = service.Method

func serverMiddleware(mws ...endpoint.Middleware) server.Option {
	return server.WithMiddleware(mws...)
}
