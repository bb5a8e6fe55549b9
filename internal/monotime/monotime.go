package monotime

import "time"

var start = time.Now()

// Now returns the nanoseconds since the process started, on the monotonic
// clock.
func Now() int64 { return int64(time.Since(start)) }
