package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// evilHelperScript fails with terminal escapes and a bidi override on
// stderr, as a hostile or broken credential helper might.
const evilHelperScript = `#!/bin/sh
cat >/dev/null
printf 'vault \033]0;owned\007sealed\033[2J \342\200\256gnp.exe\n' >&2
exit 1
`

// TestCredentialLookupErrorIsSanitisedOnTheGivenStderr: the credential
// look-up failure used to go to os.Stderr as the helper wrote it.
func TestCredentialLookupErrorIsSanitisedOnTheGivenStderr(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the fake helper is a shell script")
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "docker-credential-evil"), []byte(evilHelperScript), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
	cfg := writeConfig(t, "contexts:\n  - name: vault\n    secret: keyring-helper evil\n")
	var stderr strings.Builder
	var later warnings
	opts, stop, err := tuiOptions(flags{config: cfg}, &stderr, envOf(t, nil), &later)
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	if opts.Session.Client != nil {
		t.Fatal("a failing helper gave a client")
	}
	got := stderr.String()
	if !strings.HasPrefix(got, "hubtui: credential lookup: ") || !strings.Contains(got, "docker-credential-evil") || !strings.Contains(got, "vault sealed") {
		t.Fatalf("stderr %q lacks the credential look-up error", got)
	}
	if strings.ContainsAny(got, "\x1b\x07\u202e") || strings.Contains(got, "owned") {
		t.Errorf("stderr %q holds escape sequences or bidi controls", got)
	}
}

// TestNoDirectStderrOutsideMain: everything written to stderr goes through
// the writer run is given, so tests see it and nothing bypasses the
// sanitiser.
func TestNoDirectStderrOutsideMain(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range f.Decls {
			fn, isFunc := decl.(*ast.FuncDecl)
			if isFunc && fn.Name.Name == "main" && fn.Recv == nil {
				continue
			}
			ast.Inspect(decl, func(n ast.Node) bool {
				sel, ok := n.(*ast.SelectorExpr)
				if !ok {
					return true
				}
				if id, ok := sel.X.(*ast.Ident); ok && id.Name == "os" && (sel.Sel.Name == "Stderr" || sel.Sel.Name == "Stdout") {
					t.Errorf("%s: os.%s used outside main()", fset.Position(sel.Pos()), sel.Sel.Name)
				}
				return true
			})
		}
	}
}
