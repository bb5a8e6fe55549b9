// Package thriftio reads and writes whole Thrift messages on a connection,
// framed or unframed, for the client and the server. It enforces the
// message size limit before buffering a message.
package thriftio
