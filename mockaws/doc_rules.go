package mockaws

import (
	"fmt"
	"strings"
)

// MarkdownRules renders every rule as a Markdown table: its ID, the resource type it judges,
// and its source. docs/aws-rules.md is generated from it.
func MarkdownRules() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d rules:\n\n| rule | resource type | source |\n|---|---|---|\n", len(Rules()))
	for _, r := range Rules() {
		fmt.Fprintf(&b, "| `%s` | `%s` | %s |\n", r.ID, r.Type, r.Source)
	}
	return b.String()
}
