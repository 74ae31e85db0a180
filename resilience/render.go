package resilience

import (
	"fmt"
	"strings"
)

// Summary says in one sentence whether the stack survives the loss of any one AZ.
func (r *Report) Summary() string {
	if spofs := r.SinglePointsOfFailure(); len(spofs) > 0 {
		return fmt.Sprintf("%s of failure: losing one of its %s can leave a serving tier down or degraded.", plural(len(spofs), "single point"), plural(len(r.AZs), "AZ"))
	}
	return fmt.Sprintf("Survives the loss of any one of its %s: every serving tier keeps serving.", plural(len(r.AZs), "AZ"))
}

// tierLabel names a tier in a table, marking the one that serves no user.
func tierLabel(t Tier) string {
	if !t.Serving() {
		return string(t) + " (admin access, not a serving tier)"
	}
	return string(t)
}

// Text renders the report for a terminal: the verdict of every tier per AZ lost, then the
// single points of failure.
func (r *Report) Text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "AZ loss: %s\n", r.Summary())
	width := 0
	for _, t := range r.Tiers() {
		width = max(width, len(t))
	}
	for _, l := range r.Losses {
		fmt.Fprintf(&b, "\nwithout %s:\n", l.AZ)
		for _, v := range l.Tiers {
			fmt.Fprintf(&b, "  %-*s  %-8s  %s\n", width, v.Tier, v.Status, v.Reason)
		}
	}
	if spofs := r.SinglePointsOfFailure(); len(spofs) > 0 {
		b.WriteString("\nsingle points of failure:\n")
		for _, s := range spofs {
			fmt.Fprintf(&b, "  - %s\n", s)
		}
	}
	for _, n := range r.Notes {
		fmt.Fprintf(&b, "\nnote: %s\n", n)
	}
	return b.String()
}

// Markdown renders the report for documentation: the summary, a table of every tier's status
// per AZ lost, then the single points of failure, or, for a stack that has none, why each tier
// holds.
func (r *Report) Markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n\n", r.Summary())
	for _, n := range r.Notes {
		fmt.Fprintf(&b, "Note: %s.\n\n", n)
	}
	b.WriteString("| tier |")
	for _, az := range r.AZs {
		fmt.Fprintf(&b, " %s lost |", az)
	}
	b.WriteString("\n|---|")
	b.WriteString(strings.Repeat("---|", len(r.AZs)))
	b.WriteString("\n")
	for _, t := range r.Tiers() {
		fmt.Fprintf(&b, "| %s |", tierLabel(t))
		for _, l := range r.Losses {
			v, _ := l.Verdict(t)
			status := string(v.Status)
			if v.Status != Serves && t.Serving() {
				status = "**" + status + "**"
			}
			fmt.Fprintf(&b, " %s |", status)
		}
		b.WriteString("\n")
	}
	if spofs := r.SinglePointsOfFailure(); len(spofs) > 0 {
		b.WriteString("\nSingle points of failure:\n\n")
		for _, s := range spofs {
			fmt.Fprintf(&b, "- %s %s without %s: %s.\n", s.Tier, statusWord(s.Status), s.AZ, s.Reason)
		}
		return b.String()
	}
	b.WriteString("\nWhy:\n")
	for _, l := range r.Losses {
		fmt.Fprintf(&b, "\n- without %s:\n", l.AZ)
		for _, v := range l.Tiers {
			fmt.Fprintf(&b, "  - %s %s: %s.\n", v.Tier, statusWord(v.Status), v.Reason)
		}
	}
	return b.String()
}
