// Definitions another file includes: they generate into their own package.
namespace go features.shared

enum Color {
  RED,
  GREEN,
  BLUE
}

struct Point {
  1: i32 x
  2: i32 y
}

exception Oops {
  1: string why
}

/** Base is the service Store extends. */
service Base {
  string ping(1: string msg)
  Color color()
}
