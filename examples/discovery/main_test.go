package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestAppDir finds the example's module. (Its own TestRun runs it.)
func TestAppDir(t *testing.T) {
	dir, err := appDir()
	if err != nil {
		t.Fatal(err)
	}
	mod, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(mod), "module github.com/ospreyrpc/osprey/examples/discovery/app\n") {
		t.Errorf("%s/go.mod is not the example's:\n%.100s", dir, mod)
	}
}
