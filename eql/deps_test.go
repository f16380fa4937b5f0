package eql

import (
	"go/build"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestFrontEndImports checks that the EQL front end does not reach the
// runtime (issue 15): neither package eql nor what it imports, however
// indirectly, imports the compiled rules and their runtime (match,
// internal/plan), the compiler or package state. A sequence's State is a
// description (internal/sequence's Spec) that package state runs. Nor
// do they import participle: it builds the reference parser of the tests
// only (parser_ref_test.go).
func TestFrontEndImports(t *testing.T) {
	const module = "github.com/ruleforge/ruleforge"
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	var visit func(path string)
	visit = func(path string) {
		if seen[path] {
			return
		}
		seen[path] = true
		pkg, err := build.ImportDir(filepath.Join(root, strings.TrimPrefix(path, module)), 0)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		for _, imp := range pkg.Imports {
			if strings.HasPrefix(imp, "github.com/alecthomas/participle") {
				t.Errorf("%s imports %s outside its tests", path, imp)
			}
			if strings.HasPrefix(imp, module+"/") {
				visit(imp)
			}
		}
	}
	visit(module + "/eql")
	for _, runtime := range []string{"match", "internal/plan", "compile", "state"} {
		if seen[module+"/"+runtime] {
			t.Errorf("eql reaches %s", runtime)
		}
	}
	if !seen[module+"/internal/sequence"] {
		var all []string
		for p := range seen {
			all = append(all, p)
		}
		slices.Sort(all)
		t.Errorf("eql no longer imports internal/sequence (the test walks the wrong tree?): %v", all)
	}
}
