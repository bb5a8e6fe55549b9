// A header comment followed by a blank line,
// which must not become a doc comment.

include "shared.thrift"
include "sub/util.thrift"
include "common.thrift"
cpp_include "<vector>"

namespace go main.pkg (go.tag = "x", deprecated)
namespace * main

/** Alias refers forward to Later. */
typedef Later Alias (td.ann = "t")

const list<i32> HEX_AND_NEG = [0x1F, -0x10, -5, +7]
const double EXP = 1.5e3
const double NEG_EXP = -2.5E-2
const double FROM_INT = 3
const map<string, list<common.Level>> LEVELS = {
  "a": [common.Level.LOW, common.Level.HIGH],
  "b": [],
}
const Later LATER = {"id": 7, "tags": ["x", "y"], "inner": {"level": 0, "when": 1700000000}}
const i64 COPY = common.MAX_ITEMS
const set<string> NAMES = ["a"; "b"]
const uuid ID = '{00112233-4455-6677-8899-AABBCCDDEEFF}'
const bool YES = 1
const Color FAV = 2 (const.ann = "c");
const shared.SharedStruct SS = {"key": 1, "level": common.Level.MID}
const string ESCAPED = "tab\tquote\"apos\'back\\nl\nu\u00e9"

enum Color {
  RED = 1 (hex = "#f00"),
  GREEN,
  BLUE = 4;
} (enum.ann = "e")

senum OldStrings { "a", "b" }

struct Inner {
  1: common.Level level = common.Level.LOW
  2: common.Timestamp when
}

/**
 * Later has every kind of field.
 */
struct Later xsd_all {
  1: required i32 id (field.ann = "1")
  2: optional list<string> cpp_type "std::vector<std::string>" tags
  3: Inner & inner xsd_optional xsd_nillable xsd_attrs { 1: string attr }
  4: map cpp_type "std::map" <string, i32> (map.ann) counts = {"one": 1}
  i32 implicitOne
  string implicitTwo
  -3: i16 negative = -32768
  5: slist old
  6: byte b = -128
  7: list cpp_type "std::deque" <i32> legacy
  8: double d = 1e10
} (struct.ann = "s")

union Choice {
  1: string s
  2: i32 n
}

const Choice CHOICE = {"n": 3}

typedef shared.SharedError ErrAlias

service Main extends util.UtilService {
  /** Does a thing. */
  Later doThing(1: Alias a (arg.ann), 2: optional Color c = Color.GREEN) throws (1: ErrAlias e, 2: shared.SharedError e2) (fn.ann = "f"),
  oneway void fire(1: i32 x);  // fire and forget
  async void legacy()
  list<i32> (list.ann = "l") nums()
} (svc.ann = "s")
