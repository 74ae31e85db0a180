package policy

import (
	"fmt"
	"strings"
)

// MarkdownTable renders the catalog of checks as the Markdown table docs/checks.md and the
// docs/operations.md carry (`go run ./cmd/plan -list-checks` prints it; a test keeps the docs current).
func MarkdownTable() string {
	var b strings.Builder
	b.WriteString("| ID | Standard | Title | Severity | Scope | Resource types |\n")
	b.WriteString("|---|---|---|---|---|---|\n")
	for _, c := range Checks() {
		scope := "every stack"
		if c.Scope == ProductionOnly {
			scope = "production"
		}
		types := make([]string, len(c.Types))
		for i, t := range c.Types {
			types[i] = "`" + t + "`"
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s |\n", c.ID, c.Standard, strings.ReplaceAll(c.Title, "|", "\\|"), c.Severity, scope, strings.Join(types, ", "))
	}
	return b.String()
}

// MarkdownSummary renders the checks for docs/operations.md: ID, where the control comes from, what a
// passing resource looks like, and where it is required.
func MarkdownSummary() string {
	var b strings.Builder
	b.WriteString("| ID | standard | what it checks | required in |\n|---|---|---|---|\n")
	for _, c := range Checks() {
		scope := "every stack"
		if c.Scope == ProductionOnly {
			scope = "production"
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", c.ID, c.Standard, strings.ReplaceAll(c.Title, "|", "\\|"), scope)
	}
	return b.String()
}
