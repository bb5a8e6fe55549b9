package wqueue

// Batches reports how many batches q wrote; call it after Close.
func Batches(q *Queue) int { return q.batches }
