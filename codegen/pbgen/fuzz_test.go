package pbgen

import (
	"testing"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/descriptorpb"
)

// FuzzDescriptorSet feeds arbitrary bytes as a descriptor set: generation
// returns files or an error, never panics, and a set it accepts generates
// the same files twice.
func FuzzDescriptorSet(f *testing.F) {
	in, err := compile([]string{"testdata/greet/greet.proto", "testdata/kinds/kinds.proto"}, []string{"testdata"})
	if err != nil {
		f.Fatal(err)
	}
	full, _ := proto.Marshal(&descriptorpb.FileDescriptorSet{File: in.files})
	f.Add(full)
	f.Add(full[:len(full)/2])
	one, _ := proto.Marshal(&descriptorpb.FileDescriptorSet{File: in.files[len(in.files)-1:]})
	f.Add(one)
	f.Add([]byte{})
	f.Add([]byte("\x0a\x02\x0a\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		set := new(descriptorpb.FileDescriptorSet)
		if proto.Unmarshal(data, set) != nil {
			return
		}
		gen := func() ([]string, bool) {
			in, err := fromSets([]*descriptorpb.FileDescriptorSet{set}, []string{"fuzz.binpb"})
			if err != nil {
				return nil, false
			}
			req, err := request(in, "example.com/gen", false)
			if err != nil {
				return nil, false
			}
			files, err := run(req, Options{ImportPrefix: "example.com/gen"})
			if err != nil {
				return nil, false
			}
			var out []string
			for _, f := range files {
				out = append(out, f.Path, string(f.Content))
			}
			return out, true
		}
		a, okA := gen()
		b, okB := gen()
		if okA != okB || len(a) != len(b) {
			t.Fatalf("two runs differ: %v/%v, %d/%d files", okA, okB, len(a), len(b))
		}
		for i := range a {
			if a[i] != b[i] {
				t.Fatalf("two runs differ at %d", i)
			}
		}
	})
}
