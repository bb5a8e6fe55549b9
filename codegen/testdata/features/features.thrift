// Generator cases: every type, requiredness, default and container shape,
// constants of every kind, a service extending one from another package,
// and names that collide with generated ones.
include "shared.thrift"

namespace go features

const i32 MaxItems = 100
const double Ratio = 1.5
const string Greeting = "héllo\n"
const binary Magic = "ab"
const uuid Nil1 = "00000000-0000-0000-0000-000000000001"
const list<string> Names = ["a", "b"]
const map<string, i32> Ages = {"x": 1, "y": 2}
const shared.Color Favorite = shared.Color.RED
const shared.Point Origin = {"x": 0, "y": -1}
const set<i16> Small = [1, 2]
const map<shared.Color, list<i64>> ByColor = {shared.Color.GREEN: [1, 2]}

enum Status {
  ACTIVE = 1,
  INACTIVE,
  DELETED = -1
}

typedef shared.Point Location
typedef list<Location> Path
typedef binary Blob
typedef Status Kind
typedef i64 Id

/** Everything has a field of every shape. */
struct Everything {
  1: required bool flag
  2: optional i8 tiny = 7
  3: i16 small = -3
  4: optional i32 medium
  5: Id big = 1234567890123
  6: double ratio = 0.25
  7: string name = "default"
  8: optional binary data
  9: uuid uid
  10: Status status = Status.ACTIVE
  11: optional Kind kind
  12: list<string> tags
  13: set<i32> nums
  14: map<string, shared.Point> points
  15: map<Blob, i32> by_blob
  16: map<shared.Point, string> by_point
  17: map<list<i32>, string> by_list
  18: optional Location where
  19: Path path
  20: list<list<map<string, set<Status>>>> deep
  21: optional Everything next
  -5: i32 negative
  i32 implicit
  22: list<bool> bools
  23: optional list<double> doubles
  24: required shared.Point anchor
  25: string string
  26: i32 get_name
  27: optional map<i16, Blob> blobs
  28: optional uuid maybe_uid
  29: optional bool maybe
}

union Choice {
  1: string text
  2: i64 number
  3: shared.Point point
}

exception NotFound {
  1: string message
  2: optional i32 code = 404
}

/** NewEverything collides with Everything's constructor name. */
struct NewEverything {
  1: i32 x
}

service Store extends shared.Base {
  Everything get(1: Id id, 2: string hint) throws (1: NotFound nf, 2: shared.Oops oops)
  void put(1: Everything item)
  oneway void touch(1: Id id)
  list<Everything> items(1: i32 limit)
  void close()
  Blob blob(1: Blob b)
  map<string, string> meta()
  Status status()
  uuid next_id()
}
