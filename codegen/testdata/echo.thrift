// The echo service the runtime's own tests and the echo example call.
namespace go echo

struct Request {
  1: required string action
  2: required string msg
}

struct Response {
  1: required string action
  2: required string msg
}

/** EchoError is the declared exception of Echo.echo. */
exception EchoError {
  1: i32 code
  2: string message
}

service Echo {
  /** echo returns a Response carrying the request's action and message. */
  Response echo(1: Request req) throws (1: EchoError err)

  /** notify delivers a message and expects no reply. */
  oneway void notify(1: string msg)
}
