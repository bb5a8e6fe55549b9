package thrift

import "fmt"

// Skimmer finds where an unframed message ends (spec §5.2). Unframed
// messages carry no length, so a reader must walk a message's structure to
// know how many bytes it takes. Skimmer walks it without decoding anything,
// and can be resumed: when the bytes so far end inside the message, Skim
// says how many bytes it needs and continues from where it stopped when
// called again with more, so a message that arrives in many pieces is still
// walked once. Every step checks the size limit before asking for bytes, so
// a peer cannot make a reader buffer more than the limit.
//
// The zero value is not usable: call Reset.
type Skimmer struct {
	enc    Encoding
	max    int
	pos    int  // bytes of the message walked so far
	header bool // the message header has been walked
	stack  [2*MaxDepth + 2]skimFrame
	top    int // frames on the stack
	depth  int // frames on the stack that count toward MaxDepth
}

type skimFrame struct {
	kind    skimKind
	elem    Type // the values' type; for a map, the key type
	val     Type // for a map, the value type
	n       int  // values still to walk; for a map, keys plus values
	counted bool // counts toward MaxDepth: a struct or a container
}

type skimKind uint8

const (
	skimStruct skimKind = iota + 1
	skimValues          // n values of type elem: a list or set, or a field's value
	skimMap             // alternating keys and values
)

// fixedSize is the size of values that have one, per encoding; 0 for the
// others.
var fixedSize = [...][17]int{
	Binary:  {TypeBool: 1, TypeI8: 1, TypeI16: 2, TypeI32: 4, TypeI64: 8, TypeDouble: 8, TypeUUID: 16},
	Compact: {TypeBool: 1, TypeI8: 1, TypeDouble: 8, TypeUUID: 16},
}

// minSize is the fewest bytes any value of a type takes, per encoding.
var minSize = [...][17]int{
	Binary:  binaryMinSize,
	Compact: compactMinSize,
}

// Reset prepares s for a new message in enc, of at most max bytes.
func (s *Skimmer) Reset(enc Encoding, max int) {
	*s = Skimmer{enc: enc, max: max}
}

// Skim walks buf, which holds the message from its first byte (and
// possibly more after it), continuing from the previous call. Once it has
// seen all of the message it returns the message's size. Otherwise it
// returns size 0 and need, the length buf must reach before Skim can go on.
// err is non-nil for malformed input, and wraps ErrTooLarge for a message
// larger than the limit.
func (s *Skimmer) Skim(buf []byte) (size, need int, err error) {
	if !s.header {
		n, need, err := s.messageHeader(buf)
		if n == 0 {
			return 0, need, err
		}
		s.pos, s.header = n, true
		s.push(skimFrame{kind: skimStruct, counted: true})
	}
	for s.top > 0 {
		f := &s.stack[s.top-1]
		if f.kind == skimStruct {
			t, n, need, err := s.fieldHeader(buf)
			if n == 0 {
				return 0, need, err
			}
			s.pos += n
			switch {
			case t == TypeStop:
				s.pop()
			case t == TypeBool && s.enc == Compact:
				// A compact bool field keeps its value in the header.
			default:
				s.push(skimFrame{kind: skimValues, elem: t, n: 1})
			}
			continue
		}
		if f.n == 0 {
			s.pop()
			continue
		}
		t := f.elem
		if f.kind == skimMap && f.n%2 == 1 {
			t = f.val
		}
		if need, err := s.value(buf, t, &f.n); need != 0 || err != nil {
			return 0, need, err
		}
	}
	return s.pos, 0, nil
}

func (s *Skimmer) push(f skimFrame) {
	if f.counted {
		s.depth++
	}
	s.stack[s.top] = f
	s.top++
}

func (s *Skimmer) pop() {
	s.top--
	if s.stack[s.top].counted {
		s.depth--
	}
}

// value walks one value of type t, or, for a struct or container, its
// header, and then counts it off *n. It returns the buffer length it needs
// if buf ends first.
func (s *Skimmer) value(buf []byte, t Type, n *int) (need int, err error) {
	switch t {
	case TypeStruct, TypeList, TypeSet, TypeMap:
		if s.depth >= MaxDepth {
			return 0, ErrTooDeep
		}
		if t == TypeStruct {
			*n--
			s.push(skimFrame{kind: skimStruct, counted: true})
			return 0, nil
		}
		return s.container(buf, t, n)
	}
	size := fixedSize[s.enc][t]
	switch {
	case size > 0:
	case t == TypeString:
		l, hdr, need, err := s.length(buf, s.pos)
		if hdr == 0 {
			return need, err
		}
		size = hdr + l
	case s.enc == Compact && (t == TypeI16 || t == TypeI32 || t == TypeI64):
		size, need, err = s.varint(buf, s.pos, 10)
		if size == 0 {
			return need, err
		}
	default:
		return 0, invalidf("unknown type code %d in unframed message", t)
	}
	if err := s.limit(s.pos + size); err != nil {
		return 0, err
	}
	if s.pos+size > len(buf) {
		return s.pos + size, nil
	}
	s.pos += size
	*n--
	return 0, nil
}

// container walks a list, set or map header and pushes a frame for the
// elements.
func (s *Skimmer) container(buf []byte, t Type, n *int) (need int, err error) {
	var hdr, count int
	var elem, val Type
	if t == TypeMap {
		hdr, count, elem, val, need, err = s.mapHeader(buf)
	} else {
		hdr, count, elem, need, err = s.listHeader(buf)
	}
	if hdr == 0 {
		return need, err
	}
	if count > 0 {
		per := minSize[s.enc][elem]
		if t == TypeMap {
			per += minSize[s.enc][val]
		}
		if err := s.limit(s.pos + hdr + count*per); err != nil {
			return 0, err
		}
	}
	s.pos += hdr
	*n--
	if t == TypeMap {
		s.push(skimFrame{kind: skimMap, elem: elem, val: val, n: 2 * count, counted: true})
	} else {
		s.push(skimFrame{kind: skimValues, elem: elem, n: count, counted: true})
	}
	return 0, nil
}

func (s *Skimmer) limit(end int) error {
	if end > s.max {
		return fmt.Errorf("%w: unframed message exceeds %d bytes", ErrTooLarge, s.max)
	}
	return nil
}
