//go:build !unix

package server

// session holds no state where connections are served with blocking reads.
type session struct {
	active bool // never set: there are no sessions here
}

// serveSession is not used on this platform: see conn.serve.
func (c *conn) serveSession() { c.serveBlocking() }

// writeReply never writes here: replies go through the net.Conn.
func (c *conn) writeReply(*[]byte) (wrote, pending bool, err error) { return false, false, nil }
