// Package breaker is the circuit breaker of package circuitbreak, with the
// clock it reads given by the caller, and the few extra methods package
// loadbalance needs to run instance health on it. See package
// circuitbreak for the behaviour.
package breaker
