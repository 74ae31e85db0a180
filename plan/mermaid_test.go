package plan

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestMermaidRealStacks holds each real stack's diagram to the shape its stack file asks for.
func TestMermaidRealStacks(t *testing.T) {
	for _, tc := range []struct {
		stack            string
		azs, nats, cache int
		multiAZWriter    bool
		waf              bool
		api              string // the label of CloudFront's edge to the API
	}{
		{stack: "prod", azs: 3, nats: 3, cache: 2, multiAZWriter: true, waf: true, api: "/api/* · HTTPS :443"},
		{stack: "dev", azs: 2, nats: 1, cache: 1, api: "/api/* · HTTP :80"},
		{stack: "test", azs: 2, nats: 1, cache: 2, multiAZWriter: true, api: "/api/* · HTTP :80"},
	} {
		t.Run(tc.stack, func(t *testing.T) {
			p := runStack(t, tc.stack, nil)
			d := parseMermaid(t, mermaidOf(t, p))

			// One subgraph per AZ, each with its public, app and data subnet.
			zones := d.subgraphsLabelled("AZ ")
			if len(zones) != tc.azs {
				t.Fatalf("%d AZ subgraphs %v, want %d", len(zones), zones, tc.azs)
			}
			for _, z := range zones {
				var tiers []string
				for _, n := range d.nodesIn(z) {
					if strings.Contains(d.nodes[n].label, " subnet\n") {
						tiers = append(tiers, strings.SplitN(d.nodes[n].label, " ", 2)[0])
					}
				}
				if strings.Join(tiers, ",") != "public,app,data" {
					t.Errorf("%s holds subnets %v, want public,app,data", d.subgraphs[z].label, tiers)
				}
			}

			// NAT gateways in the AZ of their subnet; every app subnet's egress goes to one.
			nats := d.nodesLabelled("NAT gateway")
			if len(nats) != tc.nats {
				t.Errorf("%d NAT gateway nodes, want %d", len(nats), tc.nats)
			}
			natZones := map[string]bool{}
			for _, n := range nats {
				if !strings.HasPrefix(d.subgraphs[d.nodes[n].parent].label, "AZ ") {
					t.Errorf("NAT gateway %s is not inside an AZ subgraph", n)
				}
				natZones[d.nodes[n].parent] = true
			}
			if len(natZones) != tc.nats {
				t.Errorf("NAT gateways in %d AZs, want one per NAT (%d)", len(natZones), tc.nats)
			}
			for _, n := range d.nodesLabelled("app subnet\n") {
				if es := d.edgesFrom(n, "-->", "egress"); len(es) != 1 || d.nodes[es[0].to].label != "NAT gateway" {
					t.Errorf("app subnet %s: egress edges %v, want one to a NAT gateway", n, es)
				}
			}

			// Both colors, drawn alike: the switch reaches both target groups, each group its
			// fleet; no listener leads to a target group directly.
			sw := d.one(t, "blue/green switch")
			for _, color := range []string{"blue", "green"} {
				tg := d.one(t, "target group "+color+"\nHTTP :8080")
				asg := d.one(t, "Auto Scaling group "+color)
				if len(d.edgesBetween(sw, tg)) != 1 || len(d.edgesBetween(tg, asg)) != 1 {
					t.Errorf("%s: want edges switch -> target group -> Auto Scaling group", color)
				}
			}
			for _, l := range d.nodesLabelled(" listener\n") {
				for _, e := range d.edgesFrom(l, "", "") {
					if strings.HasPrefix(d.nodes[e.to].label, "target group") {
						t.Errorf("listener %s links to %s directly; a listener's target depends on the live color", l, e.to)
					}
				}
			}
			if len(d.edgesBetweenLabelled(d.one(t, "production listener\n"), sw, "live color (webstack:app.activeColor)")) != 1 ||
				len(d.edgesBetweenLabelled(d.one(t, "test listener\n"), sw, "idle color")) != 1 {
				t.Errorf("want production listener -> switch (live color) and test listener -> switch (idle color)")
			}

			// The writer, and each replica with a replication edge and a link to its AZ.
			writer := d.one(t, "writer\n")
			if got := strings.Contains(d.nodes[writer].label, "Multi-AZ"); got != tc.multiAZWriter {
				t.Errorf("writer %q: Multi-AZ shown %v, want %v", d.nodes[writer].label, got, tc.multiAZWriter)
			}
			replicas := 0
			for _, r := range p.Resources {
				if r.Type != typeDBInstance {
					continue
				}
				zone := str(r.Inputs, "availabilityZone")
				if str(r.Inputs, "replicateSourceDb") == "" {
					if !tc.multiAZWriter && !d.placedIn(writer, zone) {
						t.Errorf("single-AZ writer is not linked to a subnet of AZ %s", zone)
					}
					continue
				}
				replicas++
				n := d.one(t, "read replica\n"+str(r.Inputs, "identifier"))
				if len(d.edgesBetweenLabelled(writer, n, "replication")) != 1 {
					t.Errorf("replica %s: no replication edge from the writer", n)
				}
				if !d.placedIn(n, zone) {
					t.Errorf("replica %s is not linked to a subnet of its AZ %s", n, zone)
				}
			}
			if replicas == 0 {
				t.Error("the stack has no read replica; the test checks nothing")
			}

			// The cache: one node per cache cluster, each linked to a subnet of its AZ.
			cache := d.one(t, "ElastiCache Redis\n")
			var cacheAZs []string
			for _, r := range p.Resources {
				if r.Type == typeReplicationGroup {
					cacheAZs = strs(r.Inputs, "preferredCacheClusterAzs")
				}
			}
			if len(cacheAZs) != tc.cache {
				t.Fatalf("the replication group prefers AZs %v, want %d", cacheAZs, tc.cache)
			}
			for i, zone := range cacheAZs {
				es := d.edgesTo(cache, "-.-", "node "+strconv.Itoa(i+1))
				if len(es) != 1 || !strings.HasPrefix(d.subgraphs[d.nodes[es[0].from].parent].label, "AZ "+zone) {
					t.Errorf("cache node %d: edges %v, want one from a subnet of AZ %s", i+1, es, zone)
				}
			}
			if es := d.edgesTo(cache, "-.-", "node "+strconv.Itoa(tc.cache+1)); len(es) != 0 {
				t.Errorf("more cache nodes drawn than the stack has: %v", es)
			}

			// Data flows from the fleet, as the security groups allow them.
			fleet := d.subgraphLabelled(t, "app fleet")
			db := d.subgraphLabelled(t, "RDS MySQL")
			if len(d.edgesBetweenLabelled(fleet, db, "MySQL :3307")) != 1 || len(d.edgesBetweenLabelled(fleet, cache, "Redis :6379")) != 1 {
				t.Errorf("want edges app fleet -> RDS MySQL (MySQL :3307) and app fleet -> cache (Redis :6379)")
			}

			// The edge: users reach CloudFront, which serves the bucket and sends the API on.
			cdn := d.one(t, "CloudFront distribution")
			if !d.reaches("users", cdn) {
				t.Error("users do not reach the CloudFront distribution")
			}
			if es := d.edgesFrom(cdn, "-->", "default behavior"); len(es) != 1 || !strings.HasPrefix(d.nodes[es[0].to].label, "S3 bucket") {
				t.Errorf("CloudFront default behavior: %v, want one edge to the S3 bucket", es)
			}
			api := d.edgesFrom(cdn, "-->", tc.api)
			if len(api) != 1 || !d.reaches(api[0].to, d.one(t, "production listener\n")) {
				t.Errorf("CloudFront %q: %v, want one edge that leads to the production listener", tc.api, api)
			}
			if got := len(d.nodesLabelled("WAF web ACL")) == 1; got != tc.waf {
				t.Errorf("WAF drawn %v, want %v", got, tc.waf)
			}
			d.one(t, "bastion\n")
			d.one(t, "ECR repository\n")
		})
	}
}

// TestMermaidIgnoresReleases: what the release tool changes (the live color, a canary weight,
// versions, capacities) leaves the diagram byte-identical, so the README never goes stale on a
// release.
func TestMermaidIgnoresReleases(t *testing.T) {
	basePlan := runStack(t, "prod", nil)
	base := mermaidOf(t, basePlan)
	greenDeployed := func(app map[string]any) {
		app["green"] = map[string]any{"version": "1.5.0", "minSize": 2, "desiredCapacity": 2, "maxSize": 4}
	}
	for name, mutate := range map[string]func(map[string]any){
		"green deployed": greenDeployed,
		"canary":         func(app map[string]any) { greenDeployed(app); app["canaryWeight"] = 10 },
		"flip to green":  func(app map[string]any) { greenDeployed(app); app["activeColor"] = "green" },
		"blue retired": func(app map[string]any) {
			greenDeployed(app)
			app["activeColor"] = "green"
			app["blue"] = map[string]any{"version": "1.4.2", "minSize": 0, "desiredCapacity": 0, "maxSize": 4}
		},
		"bigger fleet": func(app map[string]any) {
			app["blue"] = map[string]any{"version": "2.0.0-rc.1", "minSize": 3, "desiredCapacity": 5, "maxSize": 9}
		},
	} {
		t.Run(name, func(t *testing.T) {
			p := runStack(t, "prod", mutate)
			if planJSON(t, p) == planJSON(t, basePlan) {
				t.Fatal("the changed webstack:app registers the same resources; the test compares nothing")
			}
			if got := mermaidOf(t, p); got != base {
				t.Errorf("the diagram changed with webstack:app:\n%s\nwant:\n%s", got, base)
			}
		})
	}
}

func TestMermaidDeterministic(t *testing.T) {
	p := runStack(t, "prod", nil)
	a, b, c := mermaidOf(t, p), mermaidOf(t, p), mermaidOf(t, runStack(t, "prod", nil))
	if a != b || a != c {
		t.Error("two diagrams of the same files differ")
	}
	if !strings.HasPrefix(a, "flowchart TB\n") {
		t.Errorf("diagram starts %q, want flowchart TB", a[:min(len(a), 20)])
	}
}

// TestMermaidEscapesLabels: names with quotes, brackets, slashes and Mermaid's own syntax
// come out as valid identifiers and labels that read as the original text.
func TestMermaidEscapesLabels(t *testing.T) {
	nasty := `a "quoted" [name] (x) {y} /path/* <b>&c #1 | end` + "`tick`"
	p := &Plan{Project: "webstack", Stack: "odd", Resources: []Resource{
		{URN: "urn:1", Type: typeBucket, Name: `site "bucket"/[1]`, ID: "b",
			Inputs: map[string]any{"tags": map[string]any{"Name": nasty}},
			State:  map[string]any{"bucketRegionalDomainName": "b.s3.example.com"}},
		{URN: "urn:2", Type: typeDistribution, Name: "cdn --> x", ID: "E1",
			Inputs: map[string]any{
				"origins":               []any{map[string]any{"originId": "o", "domainName": "b.s3.example.com"}},
				"defaultCacheBehavior":  map[string]any{"targetOriginId": "o"},
				"orderedCacheBehaviors": []any{map[string]any{"targetOriginId": "o", "pathPattern": `/a"b|c/*`}},
			}},
		{URN: "urn:3", Type: typeSubnet, Name: "end", ID: "subnet-1",
			Inputs: map[string]any{"availabilityZone": `zone "1" <a>`, "cidrBlock": "10.0.0.0/24", "tags": map[string]any{"Tier": `pub"lic`}}},
		{URN: "urn:4", Type: typeSubnet, Name: "end", ID: "subnet-2",
			Inputs: map[string]any{"availabilityZone": `zone "1" <a>`, "tags": map[string]any{"Tier": "app"}}},
	}}
	out := mermaidOf(t, p)
	d := parseMermaid(t, out)
	if n := d.one(t, "S3 bucket "+nasty); d.nodes[n].label != "S3 bucket "+nasty {
		t.Errorf("bucket label reads %q", d.nodes[n].label)
	}
	if es := d.edgesFrom(d.one(t, "CloudFront distribution"), "-->", `default behavior, /a"b|c/*`); len(es) != 1 {
		t.Errorf("edge label with a quote and a bar not found:\n%s", out)
	}
	if zs := d.subgraphsLabelled(`AZ zone "1" <a>`); len(zs) != 1 {
		t.Errorf("AZ subgraph label not found:\n%s", out)
	}
	if subnets := d.nodesLabelled(" subnet"); len(subnets) != 2 || subnets[0] == subnets[1] {
		t.Errorf("two subnets both named %q must get two node IDs: %v", "end", subnets)
	}
}

// TestMermaidOperations: alarms, the alert topic, dashboards and log groups, when a stack has
// them, are summarized in the operations subgraph.
func TestMermaidOperations(t *testing.T) {
	topicARN := "arn:aws:sns:ap-northeast-2:123456789012:alerts"
	alarm := func(n string) Resource {
		return Resource{URN: "urn:alarm-" + n, Type: typeMetricAlarm, Name: "alarm-" + n,
			Inputs: map[string]any{"alarmActions": []any{topicARN}}}
	}
	p := &Plan{Project: "webstack", Stack: "ops", Resources: []Resource{
		{URN: "urn:topic", Type: typeTopic, Name: "alerts", ID: topicARN, Inputs: map[string]any{"name": "webstack-ops-alerts"}, State: map[string]any{"arn": topicARN}},
		alarm("1"), alarm("2"), alarm("3"),
		{URN: "urn:dash", Type: typeDashboard, Name: "dashboard", Inputs: map[string]any{"dashboardName": "webstack-ops"}},
		{URN: "urn:lg1", Type: typeLogGroup, Name: "lg1"},
		{URN: "urn:lg2", Type: typeLogGroup, Name: "lg2"},
	}}
	d := parseMermaid(t, mermaidOf(t, p))
	ops := d.subgraphLabelled(t, "operations")
	alarms, topic := d.one(t, "3 CloudWatch alarms"), d.one(t, "SNS topic\nwebstack-ops-alerts")
	if len(d.edgesBetweenLabelled(alarms, topic, "notify")) != 1 {
		t.Error("no edge from the alarms to the topic they notify")
	}
	for _, n := range []string{alarms, topic, d.one(t, "CloudWatch dashboard\nwebstack-ops"), d.one(t, "2 CloudWatch log groups")} {
		if d.nodes[n].parent != ops {
			t.Errorf("%s is outside the operations subgraph", n)
		}
	}

	// Without any of them the subgraph is left out, and an empty plan still draws.
	if got, want := mermaidOf(t, &Plan{}), "flowchart TB\n  users([\"users\"])\n"; got != want {
		t.Errorf("empty plan draws %q, want %q", got, want)
	}
}

// runStack runs a real stack's files, with webstack:app changed by mutate when it is not nil
// (as the release tool changes it).
func runStack(t *testing.T, stack string, mutate func(app map[string]any)) *Plan {
	t.Helper()
	sf, err := Load("..", stack)
	if err != nil {
		t.Fatal(err)
	}
	if mutate != nil {
		var app map[string]any
		if err := json.Unmarshal([]byte(sf.Values["webstack:app"]), &app); err != nil {
			t.Fatalf("webstack:app in Pulumi.%s.yaml: %v", stack, err)
		}
		mutate(app)
		raw, err := json.Marshal(app)
		if err != nil {
			t.Fatal(err)
		}
		values := map[string]string{}
		for k, v := range sf.Values {
			values[k] = v
		}
		values["webstack:app"] = string(raw)
		sf.Values = values
	}
	p, _, err := RunFiles(sf)
	if err != nil {
		t.Fatalf("%s: %v", stack, err)
	}
	return p
}

func planJSON(t *testing.T, p *Plan) string {
	t.Helper()
	var buf bytes.Buffer
	if err := p.JSON(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func mermaidOf(t *testing.T, p *Plan) string {
	t.Helper()
	var buf bytes.Buffer
	if err := p.Mermaid(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// diagram is a parsed flowchart: what a reader of the Mermaid text sees.
type diagram struct {
	nodes     map[string]dnode
	subgraphs map[string]dnode
	order     []string // node IDs in the order written
	edges     []dedge
}

// dnode is a node or subgraph: its label with entities decoded and <br/> as a newline, and the
// subgraph it is in ("" at the top).
type dnode struct{ label, parent string }

type dedge struct{ from, arrow, label, to string }

var (
	mermaidID   = `[A-Za-z][A-Za-z0-9_]*`
	nodeLine    = regexp.MustCompile(`^(` + mermaidID + `)(\(\[|\[\(|\{\{|\[|\()"([^"]*)"(\]\)|\)\]|\}\}|\]|\))$`)
	subLine     = regexp.MustCompile(`^subgraph (` + mermaidID + `)\["([^"]*)"\]$`)
	edgeLine    = regexp.MustCompile(`^(` + mermaidID + `) (-->|-\.->|==>|-\.-|~~~)(?:\|"([^"]*)"\|)? (` + mermaidID + `)$`)
	entity      = regexp.MustCompile(`#(\d+);`)
	shapeCloser = map[string]string{"([": "])", "[(": ")]", "{{": "}}", "[": "]", "(": ")"}
)

// parseMermaid reads the subset of Mermaid the diagram writes, failing on any other line, on
// an edge to something not declared, and on unbalanced subgraphs.
func parseMermaid(t *testing.T, text string) *diagram {
	t.Helper()
	d := &diagram{nodes: map[string]dnode{}, subgraphs: map[string]dnode{}}
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	if len(lines) == 0 || lines[0] != "flowchart TB" {
		t.Fatalf("diagram does not start with flowchart TB:\n%s", text)
	}
	var stack []string
	parent := func() string {
		if len(stack) == 0 {
			return ""
		}
		return stack[len(stack)-1]
	}
	declared := map[string]bool{}
	for _, raw := range lines[1:] {
		line := strings.TrimSpace(raw)
		switch m := nodeLine.FindStringSubmatch(line); {
		case line == "end":
			if len(stack) == 0 {
				t.Fatalf("unbalanced end:\n%s", text)
			}
			stack = stack[:len(stack)-1]
		case subLine.MatchString(line):
			s := subLine.FindStringSubmatch(line)
			if declared[s[1]] {
				t.Errorf("ID %s declared twice", s[1])
			}
			declared[s[1]] = true
			d.subgraphs[s[1]] = dnode{label: decode(s[2]), parent: parent()}
			stack = append(stack, s[1])
		case m != nil:
			if shapeCloser[m[2]] != m[4] {
				t.Errorf("node %s opens %s but closes %s", m[1], m[2], m[4])
			}
			if declared[m[1]] {
				t.Errorf("ID %s declared twice", m[1])
			}
			declared[m[1]] = true
			d.nodes[m[1]] = dnode{label: decode(m[3]), parent: parent()}
			d.order = append(d.order, m[1])
		case edgeLine.MatchString(line):
			e := edgeLine.FindStringSubmatch(line)
			if !declared[e[1]] || !declared[e[4]] {
				t.Errorf("edge %q links to an ID not declared before it", line)
			}
			d.edges = append(d.edges, dedge{from: e[1], arrow: e[2], label: decode(e[3]), to: e[4]})
		default:
			t.Errorf("line %q is not a node, subgraph, end or edge the diagram writes", raw)
		}
	}
	if len(stack) != 0 {
		t.Errorf("subgraphs %v never end", stack)
	}
	for id := range declared {
		if id == "end" || id == "subgraph" || id == "graph" || id == "flowchart" {
			t.Errorf("ID %q is a Mermaid keyword", id)
		}
	}
	return d
}

// decode turns a label back into the text it stands for.
func decode(s string) string {
	s = strings.ReplaceAll(s, "<br/>", "\n")
	return entity.ReplaceAllStringFunc(s, func(e string) string {
		var n int
		for _, c := range e[1 : len(e)-1] {
			n = n*10 + int(c-'0')
		}
		return string(rune(n))
	})
}

// nodesLabelled lists the nodes whose label contains text, in the order written.
func (d *diagram) nodesLabelled(text string) []string {
	var out []string
	for _, id := range d.order {
		if strings.Contains(d.nodes[id].label, text) {
			out = append(out, id)
		}
	}
	return out
}

// one is the single node whose label starts with text.
func (d *diagram) one(t *testing.T, text string) string {
	t.Helper()
	var out []string
	for _, id := range d.order {
		if strings.HasPrefix(d.nodes[id].label, text) {
			out = append(out, id)
		}
	}
	if len(out) != 1 {
		t.Fatalf("%d nodes labelled %q, want 1: %v", len(out), text, out)
	}
	return out[0]
}

func (d *diagram) subgraphsLabelled(prefix string) []string {
	var out []string
	for id, s := range d.subgraphs {
		if strings.HasPrefix(s.label, prefix) {
			out = append(out, id)
		}
	}
	return out
}

func (d *diagram) subgraphLabelled(t *testing.T, prefix string) string {
	t.Helper()
	s := d.subgraphsLabelled(prefix)
	if len(s) != 1 {
		t.Fatalf("%d subgraphs labelled %q, want 1", len(s), prefix)
	}
	return s[0]
}

// nodesIn lists the nodes directly in a subgraph, in the order written.
func (d *diagram) nodesIn(sub string) []string {
	var out []string
	for _, id := range d.order {
		if d.nodes[id].parent == sub {
			out = append(out, id)
		}
	}
	return out
}

// edgesFrom lists the edges from a node, with an arrow and label when they are not "".
func (d *diagram) edgesFrom(from, arrow, label string) []dedge {
	var out []dedge
	for _, e := range d.edges {
		if e.from == from && (arrow == "" || e.arrow == arrow) && (label == "" || e.label == label) {
			out = append(out, e)
		}
	}
	return out
}

func (d *diagram) edgesTo(to, arrow, label string) []dedge {
	var out []dedge
	for _, e := range d.edges {
		if e.to == to && (arrow == "" || e.arrow == arrow) && (label == "" || e.label == label) {
			out = append(out, e)
		}
	}
	return out
}

func (d *diagram) edgesBetween(from, to string) []dedge {
	var out []dedge
	for _, e := range d.edgesFrom(from, "", "") {
		if e.to == to && e.arrow != "~~~" {
			out = append(out, e)
		}
	}
	return out
}

func (d *diagram) edgesBetweenLabelled(from, to, label string) []dedge {
	var out []dedge
	for _, e := range d.edgesBetween(from, to) {
		if e.label == label {
			out = append(out, e)
		}
	}
	return out
}

// placedIn reports whether a dotted line links n with a subnet node of the AZ zone.
func (d *diagram) placedIn(n, zone string) bool {
	for _, e := range d.edges {
		if e.arrow != "-.-" || (e.from != n && e.to != n) {
			continue
		}
		other := e.from
		if other == n {
			other = e.to
		}
		if strings.Contains(d.nodes[other].label, " subnet") && d.subgraphs[d.nodes[other].parent].label == "AZ "+zone {
			return true
		}
	}
	return false
}

// reaches reports whether solid edges lead from one node to another.
func (d *diagram) reaches(from, to string) bool {
	seen := map[string]bool{from: true}
	next := []string{from}
	for len(next) > 0 {
		n := next[0]
		next = next[1:]
		if n == to {
			return true
		}
		for _, e := range d.edgesFrom(n, "-->", "") {
			if !seen[e.to] {
				seen[e.to] = true
				next = append(next, e.to)
			}
		}
	}
	return false
}
