package osprey

import (
	"context"
	"errors"
	"time"

	"github.com/ospreyrpc/osprey/internal/gen/thrifttest"
	"github.com/ospreyrpc/osprey/protocol/thrift"
)

// handler implements ThriftTest as the comments of ThriftTest.thrift
// document it, like the handler of Apache's cross-language test servers (and
// of package apache), minus the printing.
type handler struct {
	oneway   *onewayLog
	stopping <-chan struct{} // closed when the server stops; ends oneway sleeps
}

var _ thrifttest.ThriftTest = (*handler)(nil)

func (h *handler) TestVoid(context.Context) error { return nil }

func (h *handler) TestString(_ context.Context, thing string) (string, error) { return thing, nil }

func (h *handler) TestBool(_ context.Context, thing bool) (bool, error) { return thing, nil }

func (h *handler) TestByte(_ context.Context, thing int8) (int8, error) { return thing, nil }

func (h *handler) TestI32(_ context.Context, thing int32) (int32, error) { return thing, nil }

func (h *handler) TestI64(_ context.Context, thing int64) (int64, error) { return thing, nil }

func (h *handler) TestDouble(_ context.Context, thing float64) (float64, error) { return thing, nil }

func (h *handler) TestBinary(_ context.Context, thing []byte) ([]byte, error) { return thing, nil }

func (h *handler) TestUuid(_ context.Context, thing thrift.UUID) (thrift.UUID, error) {
	return thing, nil
}

func (h *handler) TestStruct(_ context.Context, thing *thrifttest.Xtruct) (*thrifttest.Xtruct, error) {
	return thing, nil
}

func (h *handler) TestNest(_ context.Context, thing *thrifttest.Xtruct2) (*thrifttest.Xtruct2, error) {
	return thing, nil
}

func (h *handler) TestMap(_ context.Context, thing map[int32]int32) (map[int32]int32, error) {
	return thing, nil
}

func (h *handler) TestStringMap(_ context.Context, thing map[string]string) (map[string]string, error) {
	return thing, nil
}

func (h *handler) TestSet(_ context.Context, thing []int32) ([]int32, error) { return thing, nil }

func (h *handler) TestList(_ context.Context, thing []int32) ([]int32, error) { return thing, nil }

func (h *handler) TestEnum(_ context.Context, thing thrifttest.Numberz) (thrifttest.Numberz, error) {
	return thing, nil
}

func (h *handler) TestTypedef(_ context.Context, thing thrifttest.UserId) (thrifttest.UserId, error) {
	return thing, nil
}

func (h *handler) TestMapMap(context.Context, int32) (map[int32]map[int32]int32, error) {
	return wantMapMap(), nil
}

func (h *handler) TestInsanity(_ context.Context, argument *thrifttest.Insanity) (map[thrifttest.UserId]map[thrifttest.Numberz]*thrifttest.Insanity, error) {
	return wantInsanity(argument), nil
}

func (h *handler) TestMulti(_ context.Context, arg0 int8, arg1 int32, arg2 int64, _ map[int16]string, _ thrifttest.Numberz, _ thrifttest.UserId) (*thrifttest.Xtruct, error) {
	return wantMulti(arg0, arg1, arg2), nil
}

func (h *handler) TestException(_ context.Context, arg string) error {
	switch arg {
	case "Xception":
		return &thrifttest.Xception{ErrorCode: 1001, Message: arg}
	case "TException":
		// Not a declared exception: the server answers with an
		// application exception of type INTERNAL_ERROR.
		return errors.New("this is a TException")
	}
	return nil
}

func (h *handler) TestMultiException(_ context.Context, arg0, arg1 string) (*thrifttest.Xtruct, error) {
	switch arg0 {
	case "Xception":
		return nil, wantXception()
	case "Xception2":
		return nil, wantXception2()
	}
	return &thrifttest.Xtruct{StringThing: arg1}, nil
}

// TestOneway records the call, then sleeps secondsToSleep seconds, or until
// the server stops or the call's context ends.
func (h *handler) TestOneway(ctx context.Context, secondsToSleep int32) error {
	h.oneway.record(secondsToSleep)
	t := time.NewTimer(time.Duration(secondsToSleep) * time.Second)
	defer t.Stop()
	select {
	case <-t.C:
	case <-h.stopping:
	case <-ctx.Done():
	}
	return nil
}

// secondHandler implements SecondService as Apache's cross-language test
// servers do.
type secondHandler struct{}

var _ thrifttest.SecondService = secondHandler{}

func (secondHandler) SecondtestString(_ context.Context, thing string) (string, error) {
	return wantSecondtestString(thing), nil
}

// wantSecondtestString returns what secondtestString(thing) returns.
func wantSecondtestString(thing string) string {
	return `testString("` + thing + `")`
}

// wantMapMap returns what testMapMap returns, whatever its argument.
func wantMapMap() map[int32]map[int32]int32 {
	return map[int32]map[int32]int32{
		-4: {-4: -4, -3: -3, -2: -2, -1: -1},
		4:  {1: 1, 2: 2, 3: 3, 4: 4},
	}
}

// wantInsanity returns what testInsanity(argument) returns.
func wantInsanity(argument *thrifttest.Insanity) map[thrifttest.UserId]map[thrifttest.Numberz]*thrifttest.Insanity {
	return map[thrifttest.UserId]map[thrifttest.Numberz]*thrifttest.Insanity{
		1: {thrifttest.Numberz_TWO: argument, thrifttest.Numberz_THREE: argument},
		2: {thrifttest.Numberz_SIX: {}},
	}
}

// wantMulti returns what testMulti returns for its first three arguments.
func wantMulti(arg0 int8, arg1 int32, arg2 int64) *thrifttest.Xtruct {
	return &thrifttest.Xtruct{StringThing: "Hello2", ByteThing: arg0, I32Thing: arg1, I64Thing: arg2}
}

// wantXception returns what testMultiException("Xception", _) throws.
func wantXception() *thrifttest.Xception {
	return &thrifttest.Xception{ErrorCode: 1001, Message: "This is an Xception"}
}

// wantXception2 returns what testMultiException("Xception2", _) throws.
func wantXception2() *thrifttest.Xception2 {
	return &thrifttest.Xception2{ErrorCode: 2002, StructThing: &thrifttest.Xtruct{StringThing: "This is an Xception2"}}
}
