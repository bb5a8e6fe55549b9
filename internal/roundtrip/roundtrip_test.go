package roundtrip

import (
	"math"
	"strings"
	"testing"
)

type point struct{ X, Y int32 }

type value struct {
	B    bool
	I    int64
	D    float64
	S    string
	Bin  []byte
	U    [4]byte
	L    []int32
	M    map[string]int64
	P    *point
	ByP  map[*point]string
	Opt  []int32 `thrift:"opt,11,optional" json:"opt,omitempty"`
	Deep [][]map[string][]int32
}

func full() *value {
	return &value{B: true, I: -7, D: math.NaN(), S: "s", Bin: []byte{0, 1}, U: [4]byte{1, 2, 3, 4},
		L: []int32{1, 2}, M: map[string]int64{"a": 1, "b": 2}, P: &point{X: 3},
		ByP: map[*point]string{{X: 1}: "one", {X: 1}: "one again", {Y: 2}: "two"},
		Opt: []int32{}, Deep: [][]map[string][]int32{{{"k": {5}}}}}
}

func TestEqualUnderTheCodecsEquivalences(t *testing.T) {
	a, b := full(), full()
	// Fresh pointer keys, nil containers where the other has empty ones.
	b.L, a.M = append([]int32(nil), a.L...), map[string]int64{"b": 2, "a": 1}
	a.Deep[0] = append(a.Deep[0], map[string][]int32{})
	b.Deep[0] = append(b.Deep[0], nil)
	if d := Diff(a, b); d != "" {
		t.Fatalf("equal values differ: %s", d)
	}
	if d := Diff(&value{}, &value{L: []int32{}, M: map[string]int64{}, Bin: []byte{}}); d != "" {
		t.Errorf("nil and empty containers differ: %s", d)
	}
}

// TestReportsEachKindOfChange shows the comparison fails for every kind of
// change a broken encoder could make.
func TestReportsEachKindOfChange(t *testing.T) {
	for _, tc := range []struct {
		name, want string
		change     func(*value)
	}{
		{"bool", ".B:", func(v *value) { v.B = false }},
		{"int", ".I:", func(v *value) { v.I++ }},
		{"nan payload", ".D:", func(v *value) { v.D = math.Float64frombits(math.Float64bits(v.D) + 1) }},
		{"negative zero", ".D:", func(v *value) { v.D = math.Copysign(0, -1) }},
		{"string", ".S:", func(v *value) { v.S = "t" }},
		{"binary byte", ".Bin[1]:", func(v *value) { v.Bin[1] = 9 }},
		{"array", ".U[3]:", func(v *value) { v.U[3] = 0 }},
		{"list dropped", ".L: length 0", func(v *value) { v.L = nil }},
		{"list order", ".L[0]:", func(v *value) { v.L[0], v.L[1] = v.L[1], v.L[0] }},
		{"map entry dropped", ".M: 1 entries", func(v *value) { delete(v.M, "a") }},
		{"map key changed", ".M: key", func(v *value) { delete(v.M, "a"); v.M["c"] = 1 }},
		{"map value", ".M[b]:", func(v *value) { v.M["b"] = 3 }},
		{"optional struct dropped", ".P: nil true", func(v *value) { v.P = nil }},
		{"nested field", ".P.X:", func(v *value) { v.P.X = 4 }},
		{"pointer key content", ".ByP: no entry", func(v *value) {
			for k := range v.ByP {
				if k.Y == 2 {
					k.Y = 3
				}
			}
		}},
		{"pointer key duplicate lost", ".ByP: no entry", func(v *value) {
			for k, s := range v.ByP {
				if s == "one again" {
					v.ByP[k] = "one"
				}
			}
		}},
		{"optional set empty becomes unset", ".Opt: nil true", func(v *value) { v.Opt = nil }},
		{"deep", ".Deep[0][0][k][0]:", func(v *value) { v.Deep[0][0]["k"][0] = 6 }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, b := full(), full()
			tc.change(b)
			d := Diff(a, b)
			if !strings.Contains(d, tc.want) {
				t.Errorf("Diff = %q, want it to report %q", d, tc.want)
			}
		})
	}
	if d := Diff(full(), (*value)(nil)); d == "" {
		t.Error("a nil value equals a full one")
	}
	if d := Diff(1, int64(1)); d == "" {
		t.Error("values of different types are equal")
	}
}
