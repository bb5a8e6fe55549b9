package pbrich_test

import (
	"math"
	"math/rand/v2"

	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// fastMessage is what the generated fast paths add to a message.
type fastMessage interface {
	proto.Message
	SizeGRPC() int
	MarshalGRPC(dst []byte) ([]byte, error)
	UnmarshalGRPC(b []byte) error
}

// filler builds random messages over protoreflect, deterministically
// from its seed: every kind of field, nested to a bounded depth, with
// unknown fields now and then. Required fields are always set, so the
// messages encode.
type filler struct {
	r *rand.Rand
	// unknown is how often (in 1/n) a message gets unknown fields; 0: never.
	unknown int
}

func newFiller(seed uint64) *filler {
	return &filler{r: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), unknown: 4}
}

// fill sets random fields of m, nesting messages at most depth deep.
func (f *filler) fill(m protoreflect.Message, depth int) {
	fields := m.Descriptor().Fields()
	oneofs := m.Descriptor().Oneofs()
	chosen := map[protoreflect.FullName]protoreflect.Name{}
	for i := range oneofs.Len() {
		od := oneofs.Get(i)
		if od.IsSynthetic() || f.r.IntN(3) == 0 {
			continue
		}
		chosen[od.FullName()] = od.Fields().Get(f.r.IntN(od.Fields().Len())).Name()
	}
	for i := range fields.Len() {
		fd := fields.Get(i)
		if od := fd.ContainingOneof(); od != nil && !od.IsSynthetic() {
			if chosen[od.FullName()] != fd.Name() {
				continue
			}
		} else if fd.Cardinality() != protoreflect.Required && f.r.IntN(3) == 0 {
			continue
		}
		if fd.Message() != nil && depth <= 0 && fd.Cardinality() != protoreflect.Required {
			continue
		}
		switch {
		case fd.IsMap():
			mp := m.Mutable(fd).Map()
			for range f.r.IntN(4) {
				k := f.scalar(fd.MapKey()).MapKey()
				if fd.MapValue().Message() != nil {
					v := mp.NewValue()
					f.fill(v.Message(), depth-1)
					mp.Set(k, v)
				} else {
					mp.Set(k, f.scalar(fd.MapValue()))
				}
			}
		case fd.IsList():
			l := m.Mutable(fd).List()
			for range f.r.IntN(5) {
				if fd.Message() != nil {
					v := l.NewElement()
					f.fill(v.Message(), depth-1)
					l.Append(v)
				} else {
					l.Append(f.scalar(fd))
				}
			}
		case fd.Message() != nil:
			v := m.NewField(fd)
			f.fill(v.Message(), depth-1)
			m.Set(fd, v)
		default:
			m.Set(fd, f.scalar(fd))
		}
	}
	if f.unknown > 0 && f.r.IntN(f.unknown) == 0 {
		m.SetUnknown(f.unknownFields())
	}
}

// unknownFields returns a few fields of numbers no message here uses.
func (f *filler) unknownFields() []byte {
	var b []byte
	for range 1 + f.r.IntN(3) {
		num := protowire.Number(5000 + f.r.IntN(100))
		switch f.r.IntN(4) {
		case 0:
			b = protowire.AppendTag(b, num, protowire.VarintType)
			b = protowire.AppendVarint(b, f.r.Uint64())
		case 1:
			b = protowire.AppendTag(b, num, protowire.Fixed32Type)
			b = protowire.AppendFixed32(b, f.r.Uint32())
		case 2:
			b = protowire.AppendTag(b, num, protowire.BytesType)
			b = protowire.AppendString(b, "unknown")
		default:
			b = protowire.AppendTag(b, num, protowire.StartGroupType)
			b = protowire.AppendTag(b, 1, protowire.Fixed64Type)
			b = protowire.AppendFixed64(b, f.r.Uint64())
			b = protowire.AppendTag(b, num, protowire.EndGroupType)
		}
	}
	return b
}

var (
	strings3 = []string{"", "a", "osprey", "héllo, 世界", "emoji 🦅", "\x00nul"}
	// strings2 adds invalid UTF-8, which proto2 strings may hold.
	strings2 = append([]string{"\xff\xfe bad"}, strings3...)
	floats   = []float64{0, math.Copysign(0, -1), 1.5, -2.25, math.MaxFloat32, math.SmallestNonzeroFloat64, math.Inf(1), math.NaN()}
)

// scalar returns a random value of fd's kind (not a message).
func (f *filler) scalar(fd protoreflect.FieldDescriptor) protoreflect.Value {
	r := f.r
	ints := []int64{0, 1, -1, 127, 128, math.MaxInt32, math.MinInt32, math.MaxInt64, math.MinInt64, r.Int64() >> r.IntN(64)}
	i := ints[r.IntN(len(ints))]
	switch fd.Kind() {
	case protoreflect.BoolKind:
		return protoreflect.ValueOfBool(r.IntN(2) == 0)
	case protoreflect.EnumKind:
		values := fd.Enum().Values()
		if !fd.Enum().IsClosed() && r.IntN(5) == 0 {
			return protoreflect.ValueOfEnum(protoreflect.EnumNumber(int32(i)))
		}
		return protoreflect.ValueOfEnum(values.Get(r.IntN(values.Len())).Number())
	case protoreflect.Int32Kind, protoreflect.Sint32Kind, protoreflect.Sfixed32Kind:
		return protoreflect.ValueOfInt32(int32(i))
	case protoreflect.Int64Kind, protoreflect.Sint64Kind, protoreflect.Sfixed64Kind:
		return protoreflect.ValueOfInt64(i)
	case protoreflect.Uint32Kind, protoreflect.Fixed32Kind:
		return protoreflect.ValueOfUint32(uint32(i))
	case protoreflect.Uint64Kind, protoreflect.Fixed64Kind:
		return protoreflect.ValueOfUint64(uint64(i))
	case protoreflect.FloatKind:
		return protoreflect.ValueOfFloat32(float32(floats[r.IntN(len(floats))]))
	case protoreflect.DoubleKind:
		return protoreflect.ValueOfFloat64(floats[r.IntN(len(floats))])
	case protoreflect.StringKind:
		if fd.ParentFile().Syntax() == protoreflect.Proto2 {
			return protoreflect.ValueOfString(strings2[r.IntN(len(strings2))])
		}
		return protoreflect.ValueOfString(strings3[r.IntN(len(strings3))])
	case protoreflect.BytesKind:
		b := make([]byte, r.IntN(6))
		for i := range b {
			b[i] = byte(r.Uint32())
		}
		return protoreflect.ValueOfBytes(b)
	}
	panic("scalar of kind " + fd.Kind().String())
}
