package codegen

import "testing"

func TestExported(t *testing.T) {
	tests := []struct{ in, want string }{
		{"string_thing", "StringThing"},
		{"i32_thing", "I32Thing"},
		{"errorCode", "ErrorCode"},
		{"TYPE_ORDER", "TYPE_ORDER"},
		{"AES_GCM_V1", "AES_GCM_V1"},
		{"field_1", "Field_1"},
		{"my_HTTP_thing", "My_HTTPThing"},
		{"uuid_field", "UuidField"},
		{"a_", "A_"},
		{"a__b", "A_B"},
		{"_foo", "X_Foo"},
		{"1abc", "X1abc"},
		{"ünï_côde", "ÜnïCôde"},
		{"with-dash", "WithDash"},
	}
	for _, tt := range tests {
		if got := exported(tt.in); got != tt.want {
			t.Errorf("exported(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestUnexported(t *testing.T) {
	tests := []struct{ in, want string }{
		{"string_thing", "stringThing"},
		{"URLPath", "urlPath"},
		{"ID", "id"},
		{"type", "type_"},
		{"TYPE_ORDER", "type_ORDER"},
	}
	for _, tt := range tests {
		if got := unexported(tt.in); got != tt.want {
			t.Errorf("unexported(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
