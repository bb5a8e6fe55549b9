package h2

// WriteCount returns how many socket writes c has made.
func WriteCount(c *Conn) int { return c.writeCount() }
