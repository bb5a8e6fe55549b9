// Package health is gRPC's health checking service, grpc.health.v1.Health
// (Check and Watch), for Osprey servers, so that standard tools (grpc-go's
// health client, grpc_health_probe, load balancers' checks) can ask an
// Osprey server whether it serves.
//
// Create a Service with New, register it with Register, and change what it
// reports with SetServingStatus; Shutdown reports every service NOT_SERVING,
// as a server about to stop should. The empty service name stands for the
// server as a whole and is SERVING from the start.
//
// A Service is safe for concurrent use.
package health
