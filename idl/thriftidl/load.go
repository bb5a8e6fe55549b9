package thriftidl

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/ospreyrpc/osprey/idl"
)

// Options configure Parse. The zero value is ready to use.
type Options struct {
	// IncludeDirs are searched, in order, for an include not found
	// relative to the including file (the -I flag).
	IncludeDirs []string
	// ReadFile reads a file; nil means os.ReadFile. Tests and fuzzing pass
	// an in-memory one.
	ReadFile func(path string) ([]byte, error)
	// Warn, if not nil, receives warnings (deprecated syntax, etc.).
	Warn func(pos idl.Pos, msg string)
}

// Parse reads the file at path and every file it includes, and returns the
// resolved Program.
//
// The error, if any, is an *Error, or an ErrorList when there are several.
// A file with a syntax error is parsed no further; when any file has one,
// Parse reports the syntax errors without resolving names. Otherwise it
// reports every resolution and type error it finds.
func Parse(path string, opts Options) (*idl.Program, error) {
	l := &loader{
		opts:  opts,
		sink:  &errorSink{warn: opts.Warn},
		files: map[string]*loadState{},
	}
	if l.opts.ReadFile == nil {
		l.opts.ReadFile = os.ReadFile
	}
	path = filepath.Clean(path)
	src, err := l.opts.ReadFile(path)
	if err != nil {
		l.sink.errs = append(l.sink.errs, &Error{Pos: idl.Pos{File: path}, Msg: "cannot read file: " + err.Error()})
		return nil, l.sink.err()
	}
	root := l.load(path, src, nil)
	if l.syntaxErr {
		return nil, l.sink.err()
	}
	resolve(l.order, l.sink)
	if err := l.sink.err(); err != nil {
		return nil, err
	}
	prog := &idl.Program{Root: root.f.file}
	for _, f := range l.order {
		prog.Files = append(prog.Files, f.file)
	}
	return prog, nil
}

// loadState is a file being or done loading.
type loadState struct {
	f    *fileAST
	done bool // false while its includes are loading
}

type loader struct {
	opts      Options
	sink      *errorSink
	files     map[string]*loadState // by cleaned path
	order     []*fileAST            // each file after the files it includes
	syntaxErr bool
}

// load parses the file at path with contents src, then loads its includes,
// depth first. stack holds the paths of the files including it.
func (l *loader) load(path string, src []byte, stack []string) *loadState {
	f, ok := parse(path, src, l.sink)
	if !ok {
		l.syntaxErr = true
	}
	st := &loadState{f: f}
	l.files[path] = st
	stack = append(stack, path)
	byName := map[string]*includeDecl{}
	for _, inc := range f.includes {
		target := l.include(f, inc, stack)
		if target == nil {
			continue
		}
		inc.target = target.f
		inc.def.File = target.f.file
		name := target.f.file.Name
		if prev := byName[name]; prev != nil {
			if prev.target == target.f {
				l.sink.warnf(inc.def.Pos, "%q is already included (at %s)", inc.def.Path, prev.def.Pos)
			} else {
				l.sink.errorf(inc.def.Pos, "included files %s and %s have the same name %q",
					prev.target.file.Path, target.f.file.Path, name)
			}
			continue
		}
		byName[name] = inc
		f.file.Includes = append(f.file.Includes, inc.def)
	}
	st.done = true
	l.order = append(l.order, f)
	return st
}

// include finds, and loads if need be, the file an include names: first
// relative to the including file's directory, then in each include
// directory.
func (l *loader) include(from *fileAST, inc *includeDecl, stack []string) *loadState {
	var candidates []string
	if filepath.IsAbs(inc.def.Path) {
		candidates = []string{filepath.Clean(inc.def.Path)}
	} else {
		candidates = append(candidates, filepath.Join(filepath.Dir(from.file.Path), inc.def.Path))
		for _, dir := range l.opts.IncludeDirs {
			if c := filepath.Join(dir, inc.def.Path); !slices.Contains(candidates, c) {
				candidates = append(candidates, c)
			}
		}
	}
	for _, c := range candidates {
		st, seen := l.files[c]
		if !seen {
			src, err := l.opts.ReadFile(c)
			if errors.Is(err, fs.ErrNotExist) {
				continue
			}
			if err != nil {
				l.sink.errorf(inc.def.Pos, "cannot read included file %s: %v", c, err)
				return nil
			}
			return l.load(c, src, stack)
		}
		if !st.done {
			cycle := slices.Concat(stack[slices.Index(stack, c):], []string{c})
			l.sink.errorf(inc.def.Pos, "include cycle: %s", strings.Join(cycle, " -> "))
			return nil
		}
		return st
	}
	if len(candidates) > 1 {
		l.sink.errorf(inc.def.Pos, "included file %q not found (looked for %s)", inc.def.Path, strings.Join(candidates, ", "))
	} else {
		l.sink.errorf(inc.def.Pos, "included file %q not found", inc.def.Path)
	}
	return nil
}
