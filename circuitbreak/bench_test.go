package circuitbreak_test

import (
	"testing"

	"github.com/ospreyrpc/osprey/circuitbreak"
)

func BenchmarkAllowDone(b *testing.B) {
	br := circuitbreak.New(circuitbreak.Policy{})
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if br.Allow() {
				br.Done(false)
			}
		}
	})
}

func BenchmarkAllowDoneSerial(b *testing.B) {
	br := circuitbreak.New(circuitbreak.Policy{})
	b.ReportAllocs()
	for b.Loop() {
		if br.Allow() {
			br.Done(false)
		}
	}
}
