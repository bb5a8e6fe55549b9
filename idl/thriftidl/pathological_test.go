package thriftidl

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestPathological parses inputs built to defeat naive algorithms; each
// must finish quickly.
func TestPathological(t *testing.T) {
	doubling := func(n int) string {
		// C<i> lists C<i-1> twice, so C<n> as a tree has 2^n leaves; D makes
		// every level convert from i32 to i64 elements.
		var b strings.Builder
		b.WriteString("typedef list<i32> T0\nconst T0 C0 = [1]\ntypedef list<i64> U0\n")
		for i := 1; i <= n; i++ {
			fmt.Fprintf(&b, "typedef list<T%d> T%d\nconst T%d C%d = [C%d, C%d]\ntypedef list<U%d> U%d\n", i-1, i, i, i, i-1, i-1, i-1, i)
		}
		fmt.Fprintf(&b, "const U%d D = C%d\n", n, n)
		return b.String()
	}
	chains := func(n int) string {
		// A chain of n typedefs used by n constants, and a chain of n
		// services each with one function.
		var b strings.Builder
		b.WriteString("typedef i32 T0\nservice S0 { void f0() }\n")
		for i := 1; i <= n; i++ {
			fmt.Fprintf(&b, "typedef T%d T%d\nconst T%d C%d = %d\nservice S%d extends S%d { void f%d() }\n", i-1, i, n, i, i, i, i-1, i)
		}
		return b.String()
	}
	tests := []struct {
		name, src string
		wantErr   bool
	}{
		{"doubling constants", doubling(60), false},
		{"long chains", chains(20000), false},
		{"deep lists", "typedef " + strings.Repeat("list<", 1e5) + "i32" + strings.Repeat(">", 1e5) + " X", true},
		{"deep maps", "const map<i32,i32> X = " + strings.Repeat("{1:", 1e5), true},
		{"deep xsd_attrs", "struct A { " + strings.Repeat("1: i32 a xsd_attrs { ", 1e4), true},
		{"many comments", strings.Repeat("// c\n", 1e5) + strings.Repeat("struct A { 1: i32 a, 2: i32 b } ", 1), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			done := make(chan error, 1)
			go func() {
				_, err := parseMem(map[string]string{"a.thrift": tt.src})
				done <- err
			}()
			select {
			case err := <-done:
				if (err != nil) != tt.wantErr {
					t.Errorf("err = %v", err)
				}
			case <-time.After(30 * time.Second):
				t.Fatal("took too long")
			}
		})
	}
}
