// The echo example's service. Its wire interface is that of the public
// kitex-benchmark echo, so the benchmark module serves it too.
namespace go echo

struct Request {
  1: required string action
  2: required string msg
}

struct Response {
  1: required string action
  2: required string msg
}

service EchoServer {
  /** Echo returns the request's action and message. */
  Response Echo(1: Request req)
}
