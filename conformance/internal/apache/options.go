package apache

import (
	"fmt"

	"github.com/apache/thrift/lib/go/thrift"
)

// Protocol and transport names accepted in Options, as Apache's
// cross-language test suite names them.
const (
	// ProtocolBinary selects TBinaryProtocol with Apache's defaults: strict
	// writes, and reads that also accept messages without a version header.
	ProtocolBinary = "binary"
	// ProtocolCompact selects TCompactProtocol.
	ProtocolCompact = "compact"
	// TransportFramed selects TFramedTransport: each message is preceded by
	// its length as a 4-byte big-endian integer.
	TransportFramed = "framed"
	// TransportBuffered selects TBufferedTransport: messages are written to
	// the socket back to back, without framing.
	TransportBuffered = "buffered"
)

// bufferSize is the TBufferedTransport buffer size Apache's test servers use.
const bufferSize = 8192

// Options select the Apache Thrift protocol and transport.
type Options struct {
	// Protocol is ProtocolBinary or ProtocolCompact.
	Protocol string
	// Transport is TransportFramed or TransportBuffered.
	Transport string
}

// String returns the options as "protocol/transport".
func (o Options) String() string {
	return o.Protocol + "/" + o.Transport
}

// factories returns the Apache protocol and transport factories o selects.
// conf, which may be nil for Apache's defaults, is handed to both.
func (o Options) factories(conf *thrift.TConfiguration) (thrift.TProtocolFactory, thrift.TTransportFactory, error) {
	var pf thrift.TProtocolFactory
	switch o.Protocol {
	case ProtocolBinary:
		pf = thrift.NewTBinaryProtocolFactoryConf(conf)
	case ProtocolCompact:
		pf = thrift.NewTCompactProtocolFactoryConf(conf)
	default:
		return nil, nil, fmt.Errorf("apache: unknown protocol %q (want %q or %q)", o.Protocol, ProtocolBinary, ProtocolCompact)
	}
	var tf thrift.TTransportFactory
	switch o.Transport {
	case TransportBuffered:
		tf = thrift.NewTBufferedTransportFactory(bufferSize)
	case TransportFramed:
		tf = thrift.NewTFramedTransportFactoryConf(thrift.NewTTransportFactory(), conf)
	default:
		return nil, nil, fmt.Errorf("apache: unknown transport %q (want %q or %q)", o.Transport, TransportFramed, TransportBuffered)
	}
	return pf, tf, nil
}
