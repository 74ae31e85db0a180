package mockaws

import (
	"flag"
	"os"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the generated table of rules in docs/aws-rules.md")

// TestRulesDoc keeps docs/aws-rules.md's table of rules identical to the code.
func TestRulesDoc(t *testing.T) {
	const (
		file  = "../docs/aws-rules.md"
		begin = "<!-- rules table: generated from mockaws.Rules(); `go test ./mockaws -run TestRulesDoc -update` rewrites it -->\n"
		end   = "<!-- end of rules table -->\n"
	)
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	text := string(raw)
	i, j := strings.Index(text, begin), strings.Index(text, end)
	if i < 0 || j < i {
		t.Fatalf("%s: the generated table must sit between the markers %q and %q", file, begin, end)
	}
	want := MarkdownRules()
	if got := text[i+len(begin) : j]; got != want {
		if *update {
			if err := os.WriteFile(file, []byte(text[:i+len(begin)]+want+text[j:]), 0o644); err != nil {
				t.Fatal(err)
			}
			return
		}
		t.Errorf("%s is stale: run `go test ./mockaws -run TestRulesDoc -update`", file)
	}
}
