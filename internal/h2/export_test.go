package h2

// WriteCount returns how many socket writes c has made.
func WriteCount(c *Conn) int { return c.writeCount() }

// ClientWriteCount returns how many socket writes c has made.
func ClientWriteCount(c *ClientConn) int { return c.writeCount() }
