package resilience

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/webstack/webstack/internal/plain"
	"github.com/webstack/webstack/mockaws"
)

// The plain-value readers the analysis shares with the built-in checks (package
// internal/plain).
var (
	str  = plain.Str
	list = plain.List
	obj  = plain.Obj
	show = plain.Show
)

// known reports whether a string value is known at plan time and not a secret.
func known(s string) bool { return s != "" && s != mockaws.Unknown && s != mockaws.Secret }

// num returns a value as a whole number.
func num(v any) (int, bool) {
	f, ok := v.(float64)
	if !ok || f != math.Trunc(f) {
		return 0, false
	}
	return int(f), true
}

// isTrue reports whether a value is the boolean true.
func isTrue(v any) bool {
	b, _ := v.(bool)
	return b
}

// distinct returns the distinct non-empty strings, sorted.
func distinct(ss []string) []string {
	var out []string
	for _, s := range ss {
		if s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	slices.Sort(out)
	return out
}

// without returns the AZs other than lost.
func without(azs []string, lost string) []string {
	var out []string
	for _, az := range azs {
		if az != lost {
			out = append(out, az)
		}
	}
	return out
}

// and joins words for a sentence: "a", "a and b", "a, b and c".
func and(words []string) string { return join(words, "and") }

// or joins alternatives for a sentence: "a", "a or b", "a, b or c".
func or(words []string) string { return join(words, "or") }

func join(words []string, conj string) string {
	switch len(words) {
	case 0:
		return "none"
	case 1:
		return words[0]
	}
	return strings.Join(words[:len(words)-1], ", ") + " " + conj + " " + words[len(words)-1]
}

// plural renders a count with a noun: "1 instance", "2 instances".
func plural(n int, noun string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", noun)
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// ceilDiv is a / b rounded up, for b > 0.
func ceilDiv(a, b int) int { return (a + b - 1) / b }
