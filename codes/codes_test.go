package codes

import "testing"

func TestStringParseRoundTrip(t *testing.T) {
	for c := OK; c <= Unauthenticated; c++ {
		got, ok := Parse(c.String())
		if !ok || got != c {
			t.Errorf("Parse(%q) = %v, %v; want %v", c.String(), got, ok, c)
		}
	}
	if s := Code(99).String(); s != "Code(99)" {
		t.Errorf("Code(99).String() = %q", s)
	}
	if _, ok := Parse("NoSuchCode"); ok {
		t.Error(`Parse("NoSuchCode") succeeded`)
	}
}
