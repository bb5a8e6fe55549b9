// Package tracklisten wraps a net.Listener so that closing it also closes
// every connection it accepted, and reads on those connections report
// io.EOF once they are closed locally. Servers whose Stop waits for clients
// to hang up (Apache Thrift's TSimpleServer) can then stop promptly; the
// conformance and benchmark modules use it for that peer.
package tracklisten
