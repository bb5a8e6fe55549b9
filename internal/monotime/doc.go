// Package monotime is the one monotonic clock of Osprey's limiters and
// breakers: nanoseconds since the process started, read without a wall
// clock and never going backwards.
package monotime
