include "../incdir/common.thrift"

namespace go shared (go.pkg = "example.com/shared")

struct SharedStruct {
  1: required i32 key
  2: optional string value = common.GREETING
  3: common.Level level = common.Level.HIGH
}

exception SharedError {
  1: string msg
}

service SharedService {
  SharedStruct getStruct(1: i32 key) throws (1: SharedError err)
}
