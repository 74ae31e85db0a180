package edge

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// spaRoutes is the routing table spa-router.js implements: request path -> path CloudFront
// fetches from the bucket.
var spaRoutes = []struct{ uri, want string }{
	{"/", "/index.html"},
	{"/index.html", "/index.html"},
	{"/orders", "/index.html"},
	{"/orders/42", "/index.html"},
	{"/orders/42/", "/index.html"},
	{"/settings/profile/edit", "/index.html"},
	{"/assets/index-3f2a1c9b.js", "/assets/index-3f2a1c9b.js"},
	{"/assets/index-3f2a1c9b.css", "/assets/index-3f2a1c9b.css"},
	{"/assets/logo.svg", "/assets/logo.svg"},
	{"/favicon.ico", "/favicon.ico"},
	{"/manifest.webmanifest", "/manifest.webmanifest"},
	{"/robots.txt", "/robots.txt"},
	{"/.well-known/security.txt", "/.well-known/security.txt"},
	// Files platforms fetch by a fixed, extension-less name (RFC 8615), served as uploaded.
	{"/.well-known/apple-app-site-association", "/.well-known/apple-app-site-association"},
	{"/.well-known/assetlinks.json", "/.well-known/assetlinks.json"},
	{"/.well-known/", "/.well-known/"},
	{"/.well-known", "/.well-known"}, // a dot in the last segment: a file
	{"/v1.2/docs", "/index.html"},    // a dot in a directory, not in the last segment
	{"/assets/", "/index.html"},
}

// TestSPARouterSource checks what CloudFront requires of the function's source, without
// running it: the handler entry point, the runtime's limits and no modules.
func TestSPARouterSource(t *testing.T) {
	if !strings.Contains(SPARouterJS, "function handler(event)") {
		t.Errorf("spa-router.js does not define function handler(event), the entry point CloudFront calls")
	}
	if n := len(SPARouterJS); n > 10*1024 {
		t.Errorf("spa-router.js is %d bytes; CloudFront Functions accept at most 10 KB", n)
	}
	for _, banned := range []string{"require(", "import ", "fetch(", "setTimeout("} {
		if strings.Contains(SPARouterJS, banned) {
			t.Errorf("spa-router.js uses %q, which CloudFront Functions do not provide", banned)
		}
	}
	if SPARouterRuntime != "cloudfront-js-2.0" {
		t.Errorf("runtime %q, want cloudfront-js-2.0", SPARouterRuntime)
	}
}

// nodeHarness loads spa-router.js the way CloudFront does (a script defining handler), runs
// it on every path read from stdin and prints the resulting requests.
const nodeHarness = `
const fs = require('fs');
const src = fs.readFileSync(process.argv[2], 'utf8');
const handler = new Function(src + '\nreturn handler;')();
const uris = JSON.parse(fs.readFileSync(0, 'utf8'));
const out = uris.map(uri => handler({
  version: '1.0', context: {eventType: 'viewer-request'}, viewer: {ip: '192.0.2.1'},
  request: {method: 'GET', uri: uri, querystring: {ref: {value: 'x'}}, headers: {host: {value: 'example.com'}}, cookies: {}},
}));
process.stdout.write(JSON.stringify(out));
`

// TestSPARouterRoutes runs spa-router.js with node over the routing table. It skips where
// node is not installed (CI machines with only Go); TestSPARouterSource still runs there.
func TestSPARouterRoutes(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed; the routing table of spa-router.js is not executed")
	}
	dir := t.TempDir()
	harness := filepath.Join(dir, "harness.js")
	if err := os.WriteFile(harness, []byte(nodeHarness), 0o600); err != nil {
		t.Fatal(err)
	}
	var uris []string
	for _, r := range spaRoutes {
		uris = append(uris, r.uri)
	}
	in, _ := json.Marshal(uris)
	cmd := exec.Command(node, harness, "spa-router.js")
	cmd.Stdin = strings.NewReader(string(in))
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node spa-router.js: %v\n%s", err, stderr.String())
	}
	var got []struct {
		Method      string                       `json:"method"`
		URI         string                       `json:"uri"`
		Querystring map[string]map[string]string `json:"querystring"`
		Headers     map[string]map[string]string `json:"headers"`
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("handler output %s: %v", out, err)
	}
	if len(got) != len(spaRoutes) {
		t.Fatalf("handler returned %d requests for %d paths", len(got), len(spaRoutes))
	}
	for i, r := range spaRoutes {
		if got[i].URI != r.want {
			t.Errorf("spa-router.js: %q -> %q, want %q", r.uri, got[i].URI, r.want)
		}
		// The function returns the request itself: query string and headers pass through.
		if got[i].Method != "GET" || got[i].Querystring["ref"]["value"] != "x" || got[i].Headers["host"]["value"] != "example.com" {
			t.Errorf("spa-router.js: %q lost the request's method, query string or headers: %+v", r.uri, got[i])
		}
	}
}
