//lint:file-ignore SA1019 v1alpha is deprecated, and still asked by older tools: tested as such.

package grpcgo_test

import (
	"context"
	"slices"
	"testing"
	"time"

	rpbalpha "google.golang.org/grpc/reflection/grpc_reflection_v1alpha"
)

// TestGRPCGoReflectionClientV1Alpha asks through the older v1alpha service.
func TestGRPCGoReflectionClientV1Alpha(t *testing.T) {
	cc := dial(t, serveReflection(t))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	st, err := rpbalpha.NewServerReflectionClient(cc).ServerReflectionInfo(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Send(&rpbalpha.ServerReflectionRequest{MessageRequest: &rpbalpha.ServerReflectionRequest_FileContainingSymbol{
		FileContainingSymbol: "grpc.testing.SearchResponse.Result"}}); err != nil {
		t.Fatal(err)
	}
	resp, err := st.Recv()
	if err != nil {
		t.Fatal(err)
	}
	if got := fileNamesOf(t, resp.GetFileDescriptorResponse().GetFileDescriptorProto()); !slices.Equal(got, []string{"reflection/grpc_testing/test.proto"}) {
		t.Errorf("v1alpha FileContainingSymbol: %v (%v)", got, resp)
	}
}
