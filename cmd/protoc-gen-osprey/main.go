// Command protoc-gen-osprey is a protoc and buf plugin that writes
// Osprey's service code, <name>_osprey.pb.go, beside the <name>.pb.go of
// protoc-gen-go, which it needs:
//
//	protoc --go_out=. --go_opt=paths=source_relative \
//	       --osprey_out=. --osprey_opt=paths=source_relative greet.proto
//
// It takes protoc-gen-go's options (paths, module, M<file>=<import path>).
// The code is what "osprey gen" writes beside its own copy of
// protoc-gen-go's output; see docs/codegen-proto.md.
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"

	"google.golang.org/protobuf/compiler/protogen"

	"github.com/ospreyrpc/osprey/codegen/pbgen"
)

func main() {
	if len(os.Args) == 2 && os.Args[1] == "--version" {
		fmt.Println(filepath.Base(os.Args[0]), version())
		return
	}
	protogen.Options{}.Run(generate)
}

func generate(gen *protogen.Plugin) error {
	pbgen.GenerateFiles(gen, version())
	return nil
}

// version is the module version the plugin was built from.
func version() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "(devel)"
}
