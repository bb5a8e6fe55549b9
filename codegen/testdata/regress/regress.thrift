// regress holds the minimal cases of defects found by generating
// real-world IDL files (issue 8): each compiles as part of the golden
// output, and codegen's tests check how it behaves.

include "Types.thrift"
include "aliased.thrift"

// A typedef of uuid, used as field, container element, map key, constant
// and default: the codec converts to and from thrift.UUID.
typedef uuid MyUUID

const MyUUID DEFAULT_ID = "00112233-4455-6677-8899-aabbccddeeff"
const list<MyUUID> SOME_IDS = ["00112233-4455-6677-8899-aabbccddeeff"]

// Names with underscores before capitals or digits keep them, as Apache
// Thrift and Kitex do.
enum TYPE_ORDER {
  FIRST_ONE = 1,
  AES_GCM_V1 = 2,
}

const i32 AES_GCM_V1_KEY_SIZE = 16

struct Named {
  1: required MyUUID my_id = DEFAULT_ID
  2: optional MyUUID other_id
  3: list<MyUUID> ids
  4: list<IDs> more
  5: i32 int_thing
  6: string field_1
  7: string my_HTTP_thing
  8: TYPE_ORDER type_order
  9: Types.TraceID trace
  // A required struct field: encoding fails while it is nil.
  10: required Types.Inner inner
}

// go.tag replaces the generated tag.
struct Tagged {
  1: i32 int_thing (go.tag = 'json:"custom_thing"')
  2: string plain
}

struct IDs {
  1: map<MyUUID, MyUUID> pairs
}

struct Holder {
  1: required Named named
  2: list<Named> list_of
  3: map<string, Named> by_name
  4: aliased.Tag tag
}

service Regress {
  Named Get(1: Holder h, 2: MyUUID id)
}
