package server_test

import (
	"github.com/ospreyrpc/osprey/endpoint"
	"github.com/ospreyrpc/osprey/server"
)

func serverMiddleware(mws ...endpoint.Middleware) server.Option {
	return server.WithMiddleware(mws...)
}
