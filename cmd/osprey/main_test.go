package main

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

const (
	featuresIDL = "../../codegen/testdata/features/features.thrift"
	protoDir    = "../../codegen/pbgen/testdata"
	greetProto  = protoDir + "/greet/greet.proto"
)

func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestGenFindsImportPathFromGoMod(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/app\n\ngo 1.26\n"), 0o644)
	out := filepath.Join(dir, "internal", "gen")
	code, _, stderr := runCLI(t, "gen", "-o", out, featuresIDL)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	src, err := os.ReadFile(filepath.Join(out, "features", "features_types.go"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(src, []byte(`"example.com/app/internal/gen/features/shared"`)) {
		t.Error("generated code does not import the included package by its module path")
	}
	if _, err := os.Stat(filepath.Join(out, "features", "shared", "shared_service.go")); err != nil {
		t.Error(err)
	}
}

// TestGenProto checks that osprey gen takes .proto files, with -I, and
// places a file without go_package by its package under the module path.
func TestGenProto(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/app\n\ngo 1.26\n"), 0o644)
	out := filepath.Join(dir, "internal", "gen")
	code, stdout, stderr := runCLI(t, "gen", "-v", "-o", out, "-I", protoDir, greetProto)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if n := strings.Count(stdout, "\n"); n != 2 {
		t.Errorf("wrote %d files, want 2:\n%s", n, stdout)
	}
	src, err := os.ReadFile(filepath.Join(out, "greet", "v1", "greet_osprey.pb.go"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(src, []byte("func RegisterGreeter(")) {
		t.Error("greet_osprey.pb.go lacks RegisterGreeter")
	}
	// common.proto's go_package is outside example.com/app: not generated.
	if _, err := os.Stat(filepath.Join(out, "common")); err == nil {
		t.Error("generated an import whose go_package lies outside the output directory")
	}
}

func TestGenErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.thrift")
	os.WriteFile(bad, []byte("struct S {\n  1: unknown_type x\n}\n"), 0o644)
	badProto := filepath.Join(dir, "bad.proto")
	os.WriteFile(badProto, []byte("syntax = \"proto3\";\nmessage M {\n"), 0o644)
	tests := []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"gen"}, 2, "needs at least one"},
		{[]string{"gen", "--import-prefix", "x", "-o", dir, featuresIDL, greetProto}, 2, "cannot mix"},
		{[]string{"gen", "--import-prefix", "x", "-o", dir, badProto}, 1, "bad.proto:3:1: syntax error"},
		{[]string{"gen", "--import-prefix", "x", filepath.Join(dir, "missing.thrift")}, 1, "missing.thrift"},
		{[]string{"gen", "--import-prefix", "x", "-o", dir, bad}, 1, "bad.thrift:2:6"},
		{[]string{"gen", "-o", "/", bad}, 1, "no go.mod"},
		{[]string{"frobnicate"}, 2, "unknown command"},
		{[]string{"new", "only-module"}, 2, "needs MODULE and FILE.thrift"},
	}
	for _, tt := range tests {
		code, _, stderr := runCLI(t, tt.args...)
		if code != tt.code || !strings.Contains(stderr, tt.msg) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", tt.args, code, stderr, tt.code, tt.msg)
		}
	}
}

// TestNewProjectBuildsAndRuns scaffolds a project against this checkout,
// builds it, runs its server and client, and checks the reply.
func TestNewProjectBuildsAndRuns(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "echoapp")
	code, stdout, stderr := runCLI(t, "new", "--dir", dir, "--replace", root, "example.com/echoapp", "../../codegen/testdata/echo.thrift")
	if code != 0 {
		t.Fatalf("osprey new: exit %d\n%s%s", code, stdout, stderr)
	}
	for _, f := range []string{"go.mod", "idl/echo.thrift", "handler/handler.go", "cmd/server/main.go", "cmd/client/main.go", "gen/echo/echo_service.go", "README.md"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("missing %s", f)
		}
	}
	bin := t.TempDir()
	goCmd(t, dir, "vet", "./...")
	goCmd(t, dir, "build", "-o", bin+string(filepath.Separator), "./cmd/server", "./cmd/client")

	runProject(t, bin, "echo() = Response(")
	if code, _, stderr := runCLI(t, "new", "--dir", dir, "--replace", root, "example.com/echoapp", "../../codegen/testdata/echo.thrift"); code == 0 || !strings.Contains(stderr, "not empty") {
		t.Errorf("new into a non-empty directory: exit %d, %s", code, stderr)
	}
}

// TestNewProtoProjectBuildsAndRuns scaffolds a project from a .proto
// file against this checkout, vets and builds it, and runs its server and
// client over gRPC.
func TestNewProtoProjectBuildsAndRuns(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "greetapp")
	code, stdout, stderr := runCLI(t, "new", "--dir", dir, "--replace", root, "-I", protoDir, "example.com/greetapp", greetProto)
	if code != 0 {
		t.Fatalf("osprey new: exit %d\n%s%s", code, stdout, stderr)
	}
	for _, f := range []string{"go.mod", "proto/greet/greet.proto", "proto/common/common.proto", "handler/handler.go", "cmd/server/main.go", "cmd/client/main.go",
		"gen/greet/v1/greet.pb.go", "gen/greet/v1/greet_osprey.pb.go", "gen/osprey/test/common/common.pb.go", "README.md"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("missing %s", f)
		}
	}
	bin := t.TempDir()
	goCmd(t, dir, "vet", "./...")
	goCmd(t, dir, "build", "-o", bin+string(filepath.Separator), "./cmd/server", "./cmd/client")
	// The README's command regenerates the same code.
	before, err := os.ReadFile(filepath.Join(dir, "gen/osprey/test/common/common.pb.go"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(filepath.Join(dir, "gen")); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := runCLI(t, "gen", "--ignore-go-package", "-o", filepath.Join(dir, "gen"), "-I", filepath.Join(dir, "proto"), filepath.Join(dir, "proto/greet/greet.proto")); code != 0 {
		t.Fatalf("regenerate: exit %d: %s", code, stderr)
	}
	if after, err := os.ReadFile(filepath.Join(dir, "gen/osprey/test/common/common.pb.go")); err != nil || !bytes.Equal(before, after) {
		t.Errorf("regenerating gives other code (%v)", err)
	}
	goCmd(t, dir, "vet", "./...")
	runProject(t, bin, "SayHello() = ")
}

// TestNewProtoStreamingClients builds and runs the scaffolded server and
// client of services whose first method streams, one of each kind.
func TestNewProtoStreamingClients(t *testing.T) {
	if testing.Short() {
		t.Skip("builds three projects")
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	for svc, method := range map[string]string{"Watch": "Follow", "Upload": "Push", "Chat": "Talk"} {
		dir := filepath.Join(t.TempDir(), "app")
		if code, stdout, stderr := runCLI(t, "new", "--dir", dir, "--replace", root, "--service", svc, "example.com/app", protoDir+"/kinds/kinds.proto"); code != 0 {
			t.Fatalf("osprey new --service %s: exit %d\n%s%s", svc, code, stdout, stderr)
		}
		goCmd(t, dir, "vet", "./...")
		bin := t.TempDir()
		goCmd(t, dir, "build", "-o", bin+string(filepath.Separator), "./cmd/server", "./cmd/client")
		runProject(t, bin, method+"() = ")
	}
}

// runProject starts bin/server on a free port, runs bin/client against it,
// checks that the client's output starts with want (and is not empty),
// and stops the server with SIGTERM, which must end it cleanly.
func runProject(t *testing.T, bin, want string) {
	t.Helper()
	srv := exec.Command(filepath.Join(bin, "server"), "--addr", "127.0.0.1:0")
	pipe, _ := srv.StdoutPipe()
	srv.Stderr = os.Stderr
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	defer srv.Process.Kill()
	addr := waitListening(t, pipe)

	out, err := exec.Command(filepath.Join(bin, "client"), "--addr", addr).CombinedOutput()
	if err != nil {
		t.Fatalf("client: %v\n%s", err, out)
	}
	if len(out) == 0 || !strings.HasPrefix(string(out), want) {
		t.Errorf("client printed %q, want it to start with %q", out, want)
	}
	srv.Process.Signal(syscall.SIGTERM)
	if err := srv.Wait(); err != nil {
		t.Errorf("server did not stop cleanly: %v", err)
	}
}

func goCmd(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// waitListening reads the server's output until it says where it listens.
func waitListening(t *testing.T, r interface{ Read([]byte) (int, error) }) string {
	t.Helper()
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	timeout := time.After(30 * time.Second)
	for {
		select {
		case line, ok := <-lines:
			if !ok {
				t.Fatal("server exited before listening")
			}
			if addr, found := strings.CutPrefix(line, "listening on "); found {
				go func() {
					for range lines {
					}
				}()
				return addr
			}
		case <-timeout:
			t.Fatal("server did not start listening in 30s")
		}
	}
}

// TestGenPrintsWarnings checks that osprey gen prints the parser's
// warnings and one for each annotation it does not implement, with their
// positions, and still generates the code.
func TestGenPrintsWarnings(t *testing.T) {
	dir := t.TempDir()
	idlPath := filepath.Join(dir, "warn.thrift")
	src := `namespace java com.example.warn
namespace cpp example.warn

const set<i32> DUPS = [1, 1]

struct Req {
  string name (api.query = "name")
  2: i32 id (api.path = "id")
}

service Svc {
  async void ping()
  Req get(1: Req req) (api.get = "/req/:id", api.post = "/req")
  Req watch(1: Req req) (streaming.mode = "server")
}
`
	if err := os.WriteFile(idlPath, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runCLI(t, "gen", "--import-prefix", "example.com/gen", "-o", filepath.Join(dir, "gen"), idlPath)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	want := []string{
		idlPath + `:4:27: warning: duplicate element 1 in set`,
		idlPath + `:7:10: warning: field "name" has no id`,
		idlPath + `:7:16: warning: annotation "api.query" on field Req.name is not implemented by osprey and is ignored`,
		idlPath + `:8:14: warning: annotation "api.path" on field Req.id is not implemented by osprey and is ignored`,
		idlPath + `:12:3: warning: "async" is deprecated; use "oneway"`,
		idlPath + `:13:24: warning: annotation "api.get" on method Svc.get is not implemented by osprey and is ignored`,
		idlPath + `:13:46: warning: annotation "api.post" on method Svc.get is not implemented by osprey and is ignored`,
		idlPath + `:14:26: warning: annotation "streaming.mode" on method Svc.watch is not implemented by osprey: Svc.watch is generated as a unary method`,
	}
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	if len(lines) != len(want) {
		t.Errorf("%d warnings, want %d:\n%s", len(lines), len(want), stderr)
	}
	for _, w := range want {
		if !strings.Contains(stderr, w) {
			t.Errorf("stderr lacks %q:\n%s", w, stderr)
		}
	}
	if strings.Contains(stderr, "namespace") {
		t.Errorf("warned about other languages' namespaces:\n%s", stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "gen", "warn", "warn_service.go")); err != nil {
		t.Error(err)
	}
}
