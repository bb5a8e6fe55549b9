// Types is included by regress.thrift under a capitalised base name and
// without a go namespace: its directory, package name and qualifier are
// all "types".

struct Inner {
  1: string x
}

typedef uuid TraceID
