package plan

import "testing"

func TestEscapeLabel(t *testing.T) {
	for in, want := range map[string]string{
		"plain":             "plain",
		`say "hi"`:          "say #34;hi#34;",
		"<b>&</b>":          "#60;b#62;#38;#60;/b#62;",
		"#35; stays text":   "#35;35; stays text",
		"a|b `c`":           "a#124;b #96;c#96;",
		"[x] (y) {z} /p/*":  "[x] (y) {z} /p/*",
		"two\nlines\r\nend": "two lines  end",
	} {
		if got := escapeLabel(in); got != want {
			t.Errorf("escapeLabel(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFlowchartIDs(t *testing.T) {
	f := newFlowchart("TB")
	f.reserve("users")
	for _, tt := range []struct{ prefix, name, want string }{
		{"sn", "net-app-0", "sn_net_app_0"},
		{"sn", "net_app_0", "sn_net_app_0_2"}, // sanitizes like the first: made unique
		{"sn", "net-app-0", "sn_net_app_0_3"},
		{"dns", "www.example.com", "dns_www_example_com"},
		{"s3", `a "b" [c]/d`, "s3_a__b___c__d"},
		{"az", "ap-northeast-2a", "az_ap_northeast_2a"},
	} {
		if got := f.id(tt.prefix, tt.name); got != tt.want {
			t.Errorf("id(%q, %q) = %q, want %q", tt.prefix, tt.name, got, tt.want)
		}
	}
	if got := f.id("users", ""); got != "users_" {
		t.Errorf("id after reserve(users) = %q", got)
	}
}

// TestFlowchartString: empty subgraphs are left out, and so are edges to IDs never written, so
// Mermaid draws no stray node; an edge given twice is written once.
func TestFlowchartString(t *testing.T) {
	f := newFlowchart("TB")
	outer := f.sub(nil, "grp_outer", "outer")
	f.sub(outer, "grp_empty", "empty")
	inner := f.sub(outer, "grp_inner", `in "ner"`)
	f.add(inner, "a", box, "A", "second line")
	f.add(nil, "b", database, "B")
	f.link("a", solid, "b", "x|y")
	f.link("a", solid, "b", "x|y")
	f.link("grp_outer", dottedLine, "b", "")
	f.link("grp_empty", solid, "b", "")
	f.link("a", solid, "nowhere", "")
	want := `flowchart TB
  b[("B")]
  subgraph grp_outer["outer"]
    subgraph grp_inner["in #34;ner#34;"]
      a["A<br/>second line"]
    end
  end
  a -->|"x#124;y"| b
  grp_outer -.- b
`
	if got := f.String(); got != want {
		t.Errorf("flowchart:\n%s\nwant:\n%s", got, want)
	}
	if f.String() != want {
		t.Error("a second String differs from the first")
	}
}
