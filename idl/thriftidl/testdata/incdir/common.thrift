// common.thrift is found through the include directories from main.thrift
// and relative to shared.thrift; both must resolve to one file.

namespace go common

/** Severity levels. */
enum Level {
  LOW = -1,
  MID,  // implicitly 0
  HIGH = 0x10
}

const i32 MAX_ITEMS = 100
const string GREETING = "hello"

typedef i64 Timestamp
