package plan

import (
	"strconv"
	"strings"
)

// flowchart is a Mermaid flowchart under construction: nodes inside nested subgraphs, and the
// edges between them, kept in the order they were added. It knows Mermaid's syntax and
// nothing about AWS; mermaid.go decides what goes in it.
type flowchart struct {
	direction string
	root      *cluster
	edges     []fcEdge
	seen      map[fcEdge]bool
	ids       map[string]bool // every node and subgraph ID handed out
	declared  map[string]bool // IDs of the nodes and subgraphs that are written
}

// cluster is a subgraph: its nodes first, then its child subgraphs.
type cluster struct {
	id, label string
	nodes     []fcNode
	children  []*cluster
}

// fcNode is one node. Its label lines are plain text; the writer escapes them.
type fcNode struct {
	id    string
	shape shape
	lines []string
}

// fcEdge is one link between two node or subgraph IDs.
type fcEdge struct {
	from, to string
	arrow    arrow
	label    string
}

// shape is a Mermaid node shape, written as its opening and closing brackets.
type shape struct{ open, close string }

// The node shapes the diagram uses.
var (
	box      = shape{"[", "]"}
	rounded  = shape{"(", ")"}
	stadium  = shape{"([", "])"}
	database = shape{"[(", ")]"}
	hexagon  = shape{"{{", "}}"}
)

// arrow is a Mermaid link: solid, dotted or thick, with or without an arrow head.
type arrow string

// The links the diagram uses.
const (
	solid      arrow = "-->"
	dotted     arrow = "-.->"
	thick      arrow = "==>"
	dottedLine arrow = "-.-"
	invisible  arrow = "~~~"
)

// newFlowchart starts an empty flowchart laid out in direction (TB or LR).
func newFlowchart(direction string) *flowchart {
	return &flowchart{
		direction: direction,
		root:      &cluster{},
		seen:      map[fcEdge]bool{},
		ids:       map[string]bool{},
		declared:  map[string]bool{},
	}
}

// id returns a fresh Mermaid identifier built from a prefix and a name: letters, digits and
// underscores only, made unique with a numeric suffix when two names sanitize alike.
func (f *flowchart) id(prefix, name string) string {
	var b strings.Builder
	b.WriteString(prefix)
	b.WriteByte('_')
	for _, r := range name {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	base := b.String()
	id := base
	for n := 2; f.ids[id]; n++ {
		id = base + "_" + strconv.Itoa(n)
	}
	f.ids[id] = true
	return id
}

// reserve claims a fixed identifier, such as "users", so that id never hands it out.
func (f *flowchart) reserve(id string) string {
	f.ids[id] = true
	return id
}

// add puts a node in a cluster (the top level when c is nil).
func (f *flowchart) add(c *cluster, id string, s shape, lines ...string) {
	if c == nil {
		c = f.root
	}
	c.nodes = append(c.nodes, fcNode{id: id, shape: s, lines: lines})
	f.declared[id] = true
}

// sub adds a subgraph to a cluster (the top level when parent is nil).
func (f *flowchart) sub(parent *cluster, id, label string) *cluster {
	if parent == nil {
		parent = f.root
	}
	c := &cluster{id: id, label: label}
	parent.children = append(parent.children, c)
	return c
}

// link adds an edge once: a second identical edge is ignored.
func (f *flowchart) link(from string, a arrow, to, label string) {
	e := fcEdge{from: from, to: to, arrow: a, label: label}
	if from == "" || to == "" || f.seen[e] {
		return
	}
	f.seen[e] = true
	f.edges = append(f.edges, e)
}

// String writes the flowchart. Empty subgraphs are left out, and so are edges to anything not
// written, so that a partial stack still gives a valid diagram without stray nodes.
func (f *flowchart) String() string {
	var b strings.Builder
	b.WriteString("flowchart " + f.direction + "\n")
	for _, c := range f.root.children {
		f.markClusters(c)
	}
	f.writeCluster(&b, f.root, "  ")
	for _, e := range f.edges {
		if !f.declared[e.from] || !f.declared[e.to] {
			continue
		}
		b.WriteString("  " + e.from + " " + string(e.arrow))
		if e.label != "" {
			b.WriteString("|\"" + escapeLabel(e.label) + "\"|")
		}
		b.WriteString(" " + e.to + "\n")
	}
	return b.String()
}

// markClusters declares the subgraphs that hold at least one node, and reports whether c does.
func (f *flowchart) markClusters(c *cluster) bool {
	full := len(c.nodes) > 0
	for _, child := range c.children {
		if f.markClusters(child) {
			full = true
		}
	}
	if full {
		f.declared[c.id] = true
	}
	return full
}

// writeCluster writes a subgraph's nodes, then its non-empty child subgraphs, indented.
func (f *flowchart) writeCluster(b *strings.Builder, c *cluster, indent string) {
	for _, n := range c.nodes {
		escaped := make([]string, len(n.lines))
		for i, l := range n.lines {
			escaped[i] = escapeLabel(l)
		}
		b.WriteString(indent + n.id + n.shape.open + "\"" + strings.Join(escaped, "<br/>") + "\"" + n.shape.close + "\n")
	}
	for _, child := range c.children {
		if !f.declared[child.id] {
			continue
		}
		b.WriteString(indent + "subgraph " + child.id + "[\"" + escapeLabel(child.label) + "\"]\n")
		f.writeCluster(b, child, indent+"  ")
		b.WriteString(indent + "end\n")
	}
}

// labelEscaper turns the characters that end or alter a quoted Mermaid label into Mermaid's
// entity codes (#quot; style, here numeric), so that any text reads as itself. '#' is escaped
// first of all, in the same single pass, so an escape is never escaped again.
var labelEscaper = strings.NewReplacer(
	"#", "#35;",
	`"`, "#34;",
	"<", "#60;",
	">", "#62;",
	"&", "#38;",
	"|", "#124;",
	"`", "#96;",
	"\n", " ",
	"\r", " ",
)

// escapeLabel makes plain text safe inside a quoted Mermaid label or edge text.
func escapeLabel(s string) string { return labelEscaper.Replace(s) }
