package stack

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/webstack/webstack/edge"
)

// loadEdge loads a prod config whose webstack:edge section is edge (JSON), with the least
// webstack:app a stack must set.
func loadEdge(edge string) (*Config, error) {
	return LoadConfig("webstack", "prod", map[string]string{"webstack:edge": edge, "webstack:app": minimalApp})
}

func TestEdgeConfigErrors(t *testing.T) {
	const f = "Pulumi.prod.yaml: webstack:edge."
	wantEdgeErrors(t, []edgeError{
		// A domain needs its zone, exactly one way.
		{`{"domain":"www.example.com"}`, f + `domain: "www.example.com" needs the Route 53 zone that holds it: set webstack:edge.hostedZoneName (e.g. "example.com") or webstack:edge.hostedZoneId`},
		{`{"domain":"www.example.com","hostedZoneName":"example.com","hostedZoneId":"Z123ABC"}`, f + `hostedZoneId: "Z123ABC" and webstack:edge.hostedZoneName "example.com" are both set; set only one`},
		{`{"hostedZoneName":"example.com"}`, f + `hostedZoneName: "example.com" has no effect without webstack:edge.domain; set the domain or remove the zone`},
		{`{"hostedZoneId":"Z123ABC"}`, f + `hostedZoneId: "Z123ABC" has no effect without webstack:edge.domain; set the domain or remove the zone`},
		{`{"domain":"www.example.com","hostedZoneName":"example.org"}`, f + `hostedZoneName: "example.org" does not contain webstack:edge.domain "www.example.com"`},
		{`{"domain":"www.example.com","hostedZoneName":"example.com."}`, f + `hostedZoneName: "example.com." is not a valid DNS name such as "example.com" (no trailing dot)`},
		{`{"domain":"www.example.com","hostedZoneId":"z-123"}`, f + `hostedZoneId: "z-123" is not a Route 53 hosted zone ID such as "Z0123456789ABCDEFGHIJ"`},
		// The domain is a valid DNS name.
		{`{"domain":"https://www.example.com","hostedZoneName":"example.com"}`, f + `domain: "https://www.example.com" is not a valid DNS name such as "www.example.com" (lower-case labels of letters, digits and hyphens, no trailing dot or wildcard)`},
		{`{"domain":"*.example.com","hostedZoneName":"example.com"}`, f + `domain: "*.example.com" is not a valid DNS name such as "www.example.com" (lower-case labels of letters, digits and hyphens, no trailing dot or wildcard)`},
		{`{"domain":"localhost","hostedZoneName":"example.com"}`, f + `domain: "localhost" is not a valid DNS name such as "www.example.com" (lower-case labels of letters, digits and hyphens, no trailing dot or wildcard)`},
		{`{"domain":"WWW.Example.com","hostedZoneName":"example.com"}`, f + `domain: "WWW.Example.com" is not a valid DNS name such as "www.example.com" (lower-case labels of letters, digits and hyphens, no trailing dot or wildcard)`},
		{`{"domain":"-bad.example.com","hostedZoneName":"example.com"}`, f + `domain: "-bad.example.com" is not a valid DNS name such as "www.example.com" (lower-case labels of letters, digits and hyphens, no trailing dot or wildcard)`},
		{`{"domain":"10.0.0.1","hostedZoneName":"example.com"}`, f + `domain: "10.0.0.1" is not a valid DNS name such as "www.example.com" (lower-case labels of letters, digits and hyphens, no trailing dot or wildcard)`},
		{`{"domain":"` + strings.Repeat("a", 50) + `.example.com","hostedZoneName":"example.com"}`, f + `domain: "` + strings.Repeat("a", 50) + `.example.com" is too long: the origin certificate's name "origin.` + strings.Repeat("a", 50) + `.example.com" must fit ACM's 64 characters`},
		// A price class CloudFront knows.
		{`{"priceClass":"PriceClass_300"}`, f + `priceClass: "PriceClass_300" is not a CloudFront price class (PriceClass_100, PriceClass_200, PriceClass_All)`},
		{`{"priceClass":"all"}`, f + `priceClass: "all" is not a CloudFront price class (PriceClass_100, PriceClass_200, PriceClass_All)`},
		// A sane API path pattern.
		{`{"apiPathPattern":"/*"}`, f + `apiPathPattern: "/*" must be a fixed path prefix followed by "/*", such as "/api/*"`},
		{`{"apiPathPattern":"*"}`, f + `apiPathPattern: "*" must be a fixed path prefix followed by "/*", such as "/api/*"`},
		{`{"apiPathPattern":"api/*"}`, f + `apiPathPattern: "api/*" must be a fixed path prefix followed by "/*", such as "/api/*"`},
		{`{"apiPathPattern":"/api"}`, f + `apiPathPattern: "/api" must be a fixed path prefix followed by "/*", such as "/api/*"`},
		{`{"apiPathPattern":"/api*/*"}`, f + `apiPathPattern: "/api*/*" must be a fixed path prefix followed by "/*", such as "/api/*"`},
		// Dot segments: clients remove them, so the behavior would match no request.
		{`{"apiPathPattern":"/../*"}`, f + `apiPathPattern: "/../*" has a ".." segment: clients remove dot segments before they send a path (RFC 3986, section 5.2.4), so no request would match it; name the API's prefix, such as "/api/*"`},
		{`{"apiPathPattern":"/api/./*"}`, f + `apiPathPattern: "/api/./*" has a "." segment: clients remove dot segments before they send a path (RFC 3986, section 5.2.4), so no request would match it; name the API's prefix, such as "/api/*"`},
		// Numbers in range.
		{`{"wafRateLimit":5}`, f + `wafRateLimit: 5 must be between 100 and 2000000000 requests per IP per 5 minutes (the provider refuses anything else)`},
		{`{"wafRateLimit":50}`, f + `wafRateLimit: 50 must be between 100 and 2000000000 requests per IP per 5 minutes (the provider refuses anything else)`},
		// The WAF's body settings: an inspection limit CloudFront accepts, an API limit WAF can
		// measure, nothing that has no effect.
		{`{"wafBodyInspectionKB":8}`, f + `wafBodyInspectionKB: 8 is not a body inspection limit CloudFront web ACLs accept (16, 32, 48, 64 KB)`},
		{`{"wafBodyInspectionKB":128}`, f + `wafBodyInspectionKB: 128 is not a body inspection limit CloudFront web ACLs accept (16, 32, 48, 64 KB)`},
		{`{"wafApiMaxBodyKB":32}`, f + `wafApiMaxBodyKB: 32 KB is more than the WAF inspects (webstack:edge.wafBodyInspectionKB: 16 KB), so it could never be measured; raise wafBodyInspectionKB (at most 64), or set 0 and let the application limit larger uploads`},
		{`{"wafApiMaxBodyKB":100,"wafBodyInspectionKB":64}`, f + `wafApiMaxBodyKB: 100 KB is more than the WAF inspects (webstack:edge.wafBodyInspectionKB: 64 KB), so it could never be measured; raise wafBodyInspectionKB (at most 64), or set 0 and let the application limit larger uploads`},
		{`{"wafApiMaxBodyKB":-1}`, f + `wafApiMaxBodyKB: -1 must be 0 (no WAF limit on API bodies) or a size in KB`},
		{`{"waf":false,"wafApiMaxBodyKB":8}`, f + `wafApiMaxBodyKB: 8 has no effect without webstack:edge.waf; turn the WAF on or remove the key`},
		{`{"waf":false,"wafInspectUploadBodies":true}`, f + `wafInspectUploadBodies: true has no effect without webstack:edge.waf; turn the WAF on or remove the key`},
		{`{"waf":false,"wafBodyInspectionKB":32}`, f + `wafBodyInspectionKB: 32 has no effect without webstack:edge.waf; turn the WAF on or remove the key`},
		{`{"apiPathPattern":"/` + strings.Repeat("v", 50) + `/*"}`, f + `apiPathPattern: "/` + strings.Repeat("v", 50) + `/*" is too long for the WAF: its rules match the prefix "/` + strings.Repeat("v", 50) + `/", and a WAF byte match searches at most 50 bytes`},
		{`{"logRetentionDays":0}`, f + `logRetentionDays: 0 must be at least 1 day`},
		{`{"noncurrentVersionDays":-1}`, f + `noncurrentVersionDays: -1 must be at least 1 day`},
		{`{"contentSecurityPolicy":" "}`, f + `contentSecurityPolicy: " " must not be empty: the SPA needs a Content-Security-Policy`},
		{`{"contentSecurityPolicy":"default-src 'self';\nscript-src 'self'"}`, f + `contentSecurityPolicy: "default-src 'self';\nscript-src 'self'" contains a control character (newline or tab); write the policy on one line`},
		// Types and keys, through the shared binder.
		{`{"waf":"yes"}`, f + `waf: "yes" must be true or false`},
		{`{"domian":"www.example.com"}`, f + `domian: unknown key (did you mean "domain"?)`},
	})
}

func TestEdgeConfigValid(t *testing.T) {
	for _, edge := range []string{
		`{}`,
		`{"domain":"www.example.com","hostedZoneName":"example.com"}`,
		`{"domain":"example.com","hostedZoneName":"example.com"}`,
		`{"domain":"shop.eu.example.co.uk","hostedZoneId":"Z0123456789ABCDEFGHIJ"}`,
		`{"priceClass":"PriceClass_All","apiPathPattern":"/api/v1/*","waf":false,"logs":false}`,
		`{"wafBodyInspectionKB":64,"wafApiMaxBodyKB":64}`,
		`{"wafBodyInspectionKB":32,"wafApiMaxBodyKB":10,"wafRateLimit":100}`,
		`{"waf":false,"apiPathPattern":"/` + strings.Repeat("v", 60) + `/*"}`,
		`{"wafInspectUploadBodies":true}`,
		`{"apiPathPattern":"/v1.2/.../*"}`,
	} {
		if _, err := loadEdge(edge); err != nil {
			t.Errorf("webstack:edge %s: %v", edge, err)
		}
	}
}

func TestEdgeConfigDefaults(t *testing.T) {
	c, err := loadEdge(`{}`)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := json.Marshal(c.Edge)
	e := c.Edge
	if e.Domain != "" || e.PriceClass != "PriceClass_100" || e.APIPathPattern != "/api/*" || !e.WAF || !e.Logs ||
		!e.Versioning || e.WAFRateLimit != 2000 || e.LogRetentionDays != 365 || e.NoncurrentVersionDays != 30 || e.Protect ||
		e.WAFBodyInspectionKB != 16 || e.WAFAPIMaxBodyKB != 0 || e.WAFInspectUploadBodies {
		t.Errorf("edge defaults %s: want no domain, PriceClass_100, /api/*, WAF, logs and versioning on, 2000, 365, 30, unprotected, 16 KB inspected, no API body limit, uploads past the core body rules", got)
	}
}

func TestUploadsConfigErrors(t *testing.T) {
	const f = "Pulumi.prod.yaml: webstack:edge.uploads."
	wantEdgeErrors(t, []edgeError{
		{`{"uploads":{"enabled":true,"pathPattern":"/uploads"}}`, f + `pathPattern: "/uploads" must be a fixed path prefix followed by "/*", such as "/uploads/*"`},
		{`{"uploads":{"enabled":true,"pathPattern":"/*"}}`, f + `pathPattern: "/*" must be a fixed path prefix followed by "/*", such as "/uploads/*"`},
		{`{"uploads":{"enabled":true,"pathPattern":"/a/../*"}}`, f + `pathPattern: "/a/../*" has a ".." segment: clients remove dot segments before they send a path (RFC 3986, section 5.2.4), so no request would match it; name the uploads' prefix, such as "/uploads/*"`},
		{`{"uploads":{"enabled":true,"pathPattern":"/api/*"}}`, f + `pathPattern: "/api/*" overlaps webstack:edge.apiPathPattern "/api/*": CloudFront takes the first behavior that matches, so one of them would get the other's requests; choose a prefix of its own, such as "/uploads/*"`},
		{`{"apiPathPattern":"/files/api/*","uploads":{"enabled":true,"pathPattern":"/files/*"}}`, f + `pathPattern: "/files/*" overlaps webstack:edge.apiPathPattern "/files/api/*": CloudFront takes the first behavior that matches, so one of them would get the other's requests; choose a prefix of its own, such as "/uploads/*"`},
		{`{"uploads":{"enabled":true,"incompleteUploadDays":0}}`, f + `incompleteUploadDays: 0 must be between 1 and 365 days`},
		{`{"uploads":{"enabled":true,"noncurrentVersionDays":400}}`, f + `noncurrentVersionDays: 400 must be between 1 and 365 days`},
		{`{"uploads":{"enabled":true,"cors":["https://www.acme.io/"]}}`, f + `cors[0]: "https://www.acme.io/" has more than scheme, host and port; an origin has no path (browsers send "https://www.acme.io")`},
		{`{"uploads":{"enabled":true,"cors":["www.acme.io"]}}`, f + `cors[0]: "www.acme.io" is not an origin such as "https://www.example.com"`},
		{`{"uploads":{"enabled":true,"cors":["http://www.acme.io"]}}`, f + `cors[0]: "http://www.acme.io" is not https:// (only http://localhost:<port> may be plain HTTP)`},
		{`{"uploads":{"enabled":true,"cors":["https://*.acme.io"]}}`, f + `cors[0]: "https://*.acme.io" has a wildcard; name each origin`},
		{`{"uploads":{"enabled":true,"cors":["https://www.acme.io","https://www.acme.io"]}}`, f + `cors[1]: "https://www.acme.io" is listed twice`},
		{`{"uploads":{"enabled":true,"cors":["http://localhost:5173"]}}`, f + `cors[0]: "http://localhost:5173" is a developer's machine; allow it only in a stack that is not production (webstack:checks.profile is production)`},
		{`{"uploads":{"cors":["https://www.acme.io"]}}`, f + `cors: has no effect without webstack:edge.uploads.enabled; turn uploads on or remove the key`},
		{`{"uploads":{"pathPattern":"/media/*"}}`, f + `pathPattern: has no effect without webstack:edge.uploads.enabled; turn uploads on or remove the key`},
		{`{"uploads":{"enabled":"yes"}}`, f + `enabled: "yes" must be true or false`},
		{`{"uploads":{"enable":true}}`, f + `enable: unknown key (did you mean "enabled"?)`},
		{`{"contentSecurityPolicy":"default-src 'self'; ` + strings.Repeat("a", 1700) + `","uploads":{"enabled":true,"cors":["https://www.acme.io"]}}`, f + `cors: needs the bucket's host in webstack:edge.contentSecurityPolicy's connect-src (up to 106 characters), and the policy, 1720 characters, would pass CloudFront's 1783`},
	})
}

func TestUploadsConfigValid(t *testing.T) {
	for _, edge := range []string{
		`{"uploads":{"enabled":true}}`,
		`{"uploads":{"enabled":true,"pathPattern":"/media/user/*","cors":["https://www.acme.io","https://admin.acme.io:8443"],"incompleteUploadDays":1,"noncurrentVersionDays":365}}`,
		`{"apiPathPattern":"/api/v1/*","uploads":{"enabled":true,"pathPattern":"/apifiles/*"}}`,
	} {
		if _, err := loadEdge(edge); err != nil {
			t.Errorf("webstack:edge %s: %v", edge, err)
		}
	}
	// A developer's machine may upload outside production.
	c, err := LoadConfig("webstack", "dev", map[string]string{
		"webstack:edge":   `{"uploads":{"enabled":true,"cors":["http://localhost:5173"]}}`,
		"webstack:checks": `{"profile":"nonproduction"}`,
		"webstack:app":    minimalApp,
	})
	if err != nil {
		t.Fatal(err)
	}
	u := c.Edge.Uploads
	if !u.Enabled || u.PathPattern != "/uploads/*" || u.IncompleteUploadDays != 7 || u.NoncurrentVersionDays != 30 || len(u.CORS) != 1 {
		t.Errorf("uploads %+v", u)
	}
	d, err := loadEdge(`{}`)
	if err != nil {
		t.Fatal(err)
	}
	if d.Edge.Uploads.Enabled || len(d.Edge.Uploads.CORS) != 0 {
		t.Errorf("uploads default %+v: want off, no CORS", d.Edge.Uploads)
	}
}

func TestUploadsEnvironment(t *testing.T) {
	if env := uploadsEnvironment(nil, pulumi.String("https://www.acme.io").ToStringOutput()); len(env) != 0 {
		t.Errorf("no uploads: environment %v", env)
	}
	u := &edge.Uploads{PathPattern: "/media/*", KeyPrefix: "media/"}
	env := uploadsEnvironment(u, pulumi.String("https://www.acme.io").ToStringOutput())
	if env[EnvUploadsPrefix] != pulumi.String("media/") || env[EnvUploadsBaseURL] == nil || env[EnvUploadsBucket] == nil {
		t.Errorf("environment %v", env)
	}
	for site, want := range map[string]string{"https://www.acme.io": "https://www.acme.io/media", "https://d111.cloudfront.net/": "https://d111.cloudfront.net/media"} {
		if got := uploadsBaseURL(site, u.PathPattern); got != want {
			t.Errorf("uploadsBaseURL(%q) = %q, want %q", site, got, want)
		}
	}
	merged := mergeEnvironment(pulumi.StringMap{"A": pulumi.String("1")}, pulumi.StringMap{"B": pulumi.String("2")})
	if len(merged) != 2 {
		t.Errorf("merged %v", merged)
	}
}

// edgeError is a webstack:edge section and the error loading it must give.
type edgeError struct{ edge, want string }

// wantEdgeErrors loads each webstack:edge section and wants exactly its error.
func wantEdgeErrors(t *testing.T, cases []edgeError) {
	t.Helper()
	for _, tc := range cases {
		_, err := loadEdge(tc.edge)
		if err == nil {
			t.Errorf("webstack:edge %s: no error, want %q", tc.edge, tc.want)
			continue
		}
		if got := err.Error(); got != tc.want {
			t.Errorf("webstack:edge %s:\n got  %s\n want %s", tc.edge, got, tc.want)
		}
	}
}
