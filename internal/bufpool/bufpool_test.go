package bufpool

import "testing"

func TestGetCapacityAndReuse(t *testing.T) {
	for _, n := range []int{0, 1, 512, 513, 4096, 1 << 20, 1<<24 + 1} {
		p := Get(n)
		if len(*p) != 0 || cap(*p) < n {
			t.Fatalf("Get(%d): len %d cap %d", n, len(*p), cap(*p))
		}
		*p = append(*p, 1, 2, 3)
		Put(p)
	}
	if class(1<<24+1) != -1 || class(512) != 0 || class(1024) != 1 {
		t.Error("class boundaries wrong")
	}
}

func TestPutForeignBufferIsDropped(t *testing.T) {
	b := make([]byte, 0, 1000) // not a power of two: not from Get
	Put(&b)
	p := Get(1000)
	if cap(*p) != 1024 {
		t.Errorf("Get(1000) cap %d, want 1024", cap(*p))
	}
}
