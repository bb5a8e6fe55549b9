//go:build !unix

package client

// alive reports whether an idle connection is still usable. Without a
// non-blocking peek on this platform it assumes so; a dead connection then
// fails the call that uses it.
func (c *conn) alive() bool { return true }
