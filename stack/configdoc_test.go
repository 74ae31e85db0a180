package stack_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/webstack/webstack/stack"
)

// configDocs reads the doc comments of this package's types and their fields from its source:
// "NetworkConfig" and "NetworkConfig.CIDR" to their text.
func configDocs(t *testing.T) map[string]string {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	docs := map[string]string{}
	fset := token.NewFileSet()
	for _, file := range files {
		if strings.HasSuffix(file, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, file, nil, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range f.Decls {
			gen, ok := decl.(*ast.GenDecl)
			if !ok || gen.Tok != token.TYPE {
				continue
			}
			for _, spec := range gen.Specs {
				ts := spec.(*ast.TypeSpec)
				st, ok := ts.Type.(*ast.StructType)
				if !ok {
					continue
				}
				doc := ts.Doc
				if doc == nil && len(gen.Specs) == 1 {
					doc = gen.Doc
				}
				docs[ts.Name.Name] = doc.Text()
				for _, field := range st.Fields.List {
					for _, name := range field.Names {
						docs[ts.Name.Name+"."+name.Name] = field.Doc.Text()
					}
				}
			}
		}
	}
	return docs
}

// generated is a file, or the part of one after a marker, that a test generates.
type generated struct {
	file, begin, want string
}

// TestConfigReference keeps docs/config.md and the config descriptions of Pulumi.yaml identical
// to what the config structs say, and holds that every setting has a doc comment.
func TestConfigReference(t *testing.T) {
	sections, missing := stack.ConfigReference(configDocs(t))
	for _, m := range missing {
		t.Errorf("%s has no doc comment: it is the user documentation of its key (docs/config.md, Pulumi.yaml)", m)
	}
	for _, g := range []generated{
		{"../docs/config.md", "<!-- config reference: generated from the config structs of package stack; `go test ./stack -run TestConfigReference -update` rewrites it -->\n", stack.ConfigReferenceMarkdown(sections)},
		{"../Pulumi.yaml", "runtime: go\n", stack.PulumiYAMLConfig(sections)},
	} {
		raw, err := os.ReadFile(g.file)
		if err != nil {
			t.Fatal(err)
		}
		text := string(raw)
		i := strings.Index(text, g.begin)
		if i < 0 {
			t.Fatalf("%s: the generated part must follow the line %q", g.file, g.begin)
		}
		got := text[i+len(g.begin):]
		if got == g.want {
			continue
		}
		if *update {
			if err := os.WriteFile(g.file, []byte(text[:i+len(g.begin)]+g.want), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		t.Errorf("%s is stale: run `go test ./stack -run TestConfigReference -update`\n got:\n%s\nwant:\n%s", g.file, got, g.want)
	}
}
