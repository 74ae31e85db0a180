package awsdouble

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"io"
	"math/big"
	mrand "math/rand/v2"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	"github.com/webstack/webstack/mockaws"
)

// proxy is the local server that stands for one listener or distribution.
type proxy struct {
	urn  string
	host string // the AWS name it stands for, "host:port"
	addr string // where it listens
	srv  *http.Server
	ln   net.Listener
	rr   atomic.Uint64
}

func (p *proxy) close() { _ = p.srv.Close() }

// ensureListenerProxy starts the proxy of a listener (once: later updates change what it reads,
// not the proxy).
func (s *Sim) ensureListenerProxy(r *mockaws.Resource) error {
	lb := s.loadBalancer(str(in(r, "loadBalancerArn")))
	if lb == nil {
		return fmt.Errorf("awsdouble: listener %s names no known load balancer", r.Name)
	}
	host := fmt.Sprintf("%s:%d", str(reveal(lb.State["dnsName"])), int(num(in(r, "port"), 80)))
	return s.ensureProxy(r.URN, host, str(in(r, "protocol")) == "HTTPS", func(p *proxy) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) { s.serveListener(p, r.URN, w, req) })
	})
}

func (s *Sim) ensureProxy(urn, host string, useTLS bool, handler func(*proxy) http.Handler) error {
	host = strings.ToLower(host)
	s.mu.Lock()
	if p, ok := s.proxies[host]; ok && p.urn == urn {
		s.mu.Unlock()
		return nil
	}
	s.mu.Unlock()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	p := &proxy{urn: urn, host: host, addr: ln.Addr().String(), ln: ln}
	p.srv = &http.Server{Handler: handler(p)}
	if useTLS {
		cfg, err := s.serverTLS()
		if err != nil {
			return err
		}
		ln = tls.NewListener(ln, cfg)
	}
	go func() { _ = p.srv.Serve(ln) }()
	s.mu.Lock()
	s.proxies[host] = p
	s.mu.Unlock()
	return nil
}

func (s *Sim) loadBalancer(arn string) *mockaws.Resource {
	for _, r := range s.w.Engine.Registered(typeLoadBalancer, nil) {
		if str(reveal(r.State["arn"])) == arn {
			return r
		}
	}
	return nil
}

// serveListener routes one request as the listener's rules (by priority) and default action
// say at this moment.
func (s *Sim) serveListener(p *proxy, urn string, w http.ResponseWriter, req *http.Request) {
	l := s.w.Engine.Find(urn)
	if l == nil {
		http.Error(w, "listener deleted", http.StatusServiceUnavailable)
		return
	}
	arn := str(reveal(l.State["arn"]))
	type rule struct {
		priority float64
		r        *mockaws.Resource
	}
	var rules []rule
	for _, r := range s.w.Engine.Registered(typeListenerRule, nil) {
		if str(in(r, "listenerArn")) == arn {
			rules = append(rules, rule{num(in(r, "priority"), 50000), r})
		}
	}
	sort.Slice(rules, func(i, j int) bool { return rules[i].priority < rules[j].priority })
	for _, ru := range rules {
		if matches(list(in(ru.r, "conditions")), req) {
			s.act(p, list(in(ru.r, "actions")), w, req)
			return
		}
	}
	s.act(p, list(in(l, "defaultActions")), w, req)
}

// matches reports whether a request satisfies every condition of a rule. A condition of a
// kind the simulation does not know never matches, so such a rule is never taken by mistake.
func matches(conditions []any, req *http.Request) bool {
	set := func(m map[string]any, k string) (map[string]any, bool) {
		v, ok := m[k].(map[string]any)
		return v, ok && v != nil
	}
	for _, c := range conditions {
		cm, _ := c.(map[string]any)
		if h, ok := set(cm, "httpHeader"); ok {
			if !anyGlob(list(h["values"]), req.Header.Get(str(h["httpHeaderName"])), true) {
				return false
			}
			continue
		}
		if h, ok := set(cm, "pathPattern"); ok {
			if !anyGlob(list(h["values"]), req.URL.Path, false) {
				return false
			}
			continue
		}
		if h, ok := set(cm, "hostHeader"); ok {
			host, _, _ := strings.Cut(req.Host, ":")
			if !anyGlob(list(h["values"]), host, true) {
				return false
			}
			continue
		}
		if h, ok := set(cm, "httpRequestMethod"); ok {
			found := false
			for _, m := range list(h["values"]) {
				found = found || str(m) == req.Method
			}
			if !found {
				return false
			}
			continue
		}
		return false
	}
	return true
}

// anyGlob matches v against ALB patterns (* and ? wildcards).
func anyGlob(patterns []any, v string, fold bool) bool {
	for _, p := range patterns {
		re := "^" + strings.NewReplacer(`\*`, ".*", `\?`, ".").Replace(regexp.QuoteMeta(str(p))) + "$"
		if fold {
			re = "(?i)" + re
		}
		if ok, _ := regexp.MatchString(re, v); ok {
			return true
		}
	}
	return false
}

// act performs a listener action: forward (to one target group or weighted between several,
// with group stickiness), fixed-response or redirect.
func (s *Sim) act(p *proxy, actions []any, w http.ResponseWriter, req *http.Request) {
	if len(actions) == 0 {
		http.Error(w, "no action", http.StatusServiceUnavailable)
		return
	}
	a, _ := actions[0].(map[string]any)
	switch str(a["type"]) {
	case "fixed-response":
		fr, _ := a["fixedResponse"].(map[string]any)
		w.Header().Set("Content-Type", str(fr["contentType"]))
		code := int(num(fr["statusCode"], 200))
		w.WriteHeader(code)
		_, _ = io.WriteString(w, str(fr["messageBody"]))
		s.metrics.fixed(p.host, code)
	case "redirect":
		rd, _ := a["redirect"].(map[string]any)
		u := *req.URL
		u.Scheme = strings.ToLower(str(rd["protocol"]))
		host, _, _ := strings.Cut(req.Host, ":")
		u.Host = host + ":" + str(rd["port"])
		code := http.StatusMovedPermanently
		if str(rd["statusCode"]) == "HTTP_302" {
			code = http.StatusFound
		}
		http.Redirect(w, req, u.String(), code)
	case "forward":
		tg := str(a["targetGroupArn"])
		if fw, ok := a["forward"].(map[string]any); ok && fw != nil {
			tg = pickWeighted(fw, req, w)
		}
		s.forward(p, tg, w, req)
	default:
		http.Error(w, "unsupported action "+str(a["type"]), http.StatusInternalServerError)
	}
}

// pickWeighted chooses a target group of a weighted forward, keeping a client on the group its
// stickiness cookie names.
func pickWeighted(fw map[string]any, req *http.Request, w http.ResponseWriter) string {
	groups := list(fw["targetGroups"])
	sticky := false
	if st, ok := fw["stickiness"].(map[string]any); ok {
		sticky, _ = st["enabled"].(bool)
	}
	if sticky {
		if c, err := req.Cookie("AWSALBTG"); err == nil {
			for _, g := range groups {
				if gm, _ := g.(map[string]any); str(gm["arn"]) == c.Value {
					return c.Value
				}
			}
		}
	}
	total := 0.0
	for _, g := range groups {
		gm, _ := g.(map[string]any)
		total += num(gm["weight"], 0)
	}
	pick, chosen := mrand.Float64()*total, ""
	for _, g := range groups {
		gm, _ := g.(map[string]any)
		wt := num(gm["weight"], 0)
		if wt == 0 {
			continue
		}
		chosen = str(gm["arn"])
		if pick < wt {
			break
		}
		pick -= wt
	}
	if sticky && chosen != "" {
		http.SetCookie(w, &http.Cookie{Name: "AWSALBTG", Value: chosen, Path: "/"})
	}
	return chosen
}

// forward sends a request to a healthy target of the group: with none healthy but some
// registered the ALB fails open to all of them; with none registered it answers 503, and a
// target that fails makes it answer 502.
func (s *Sim) forward(p *proxy, tgARN string, w http.ResponseWriter, req *http.Request) {
	start := time.Now()
	all := s.targets(tgARN)
	var healthy []*instance
	s.mu.Lock()
	for _, i := range all {
		if h := s.tgHealth[tgARN][i.id]; h != nil && h.healthy {
			healthy = append(healthy, i)
		}
	}
	s.mu.Unlock()
	pool := healthy
	if len(pool) == 0 {
		pool = all
	}
	if len(pool) == 0 {
		s.metrics.record(p.host, tgARN, http.StatusServiceUnavailable, true, time.Since(start))
		http.Error(w, "503 Service Temporarily Unavailable", http.StatusServiceUnavailable)
		return
	}
	target := pool[p.rr.Add(1)%uint64(len(pool))]
	status := 0
	rp := &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.SetURL(&url.URL{Scheme: "http", Host: target.ln.Addr().String()})
			pr.Out.Host = pr.In.Host
			pr.SetXForwarded()
		},
		Transport: &http.Transport{DisableKeepAlives: true},
		ModifyResponse: func(res *http.Response) error {
			status = res.StatusCode
			return nil
		},
		ErrorHandler: func(w http.ResponseWriter, _ *http.Request, _ error) {
			status = -1
			http.Error(w, "502 Bad Gateway", http.StatusBadGateway)
		},
	}
	rp.ServeHTTP(w, req)
	if status == -1 {
		s.metrics.record(p.host, tgARN, http.StatusBadGateway, true, time.Since(start))
		return
	}
	s.metrics.record(p.host, tgARN, status, false, time.Since(start))
}

// ensureDistributionProxy starts the TLS proxy of a CloudFront distribution at its domain name
// and aliases.
func (s *Sim) ensureDistributionProxy(r *mockaws.Resource) error {
	hosts := []string{str(reveal(r.State["domainName"])) + ":443"}
	for _, a := range list(in(r, "aliases")) {
		hosts = append(hosts, str(a)+":443")
	}
	for _, h := range hosts {
		if err := s.ensureProxy(r.URN, h, true, func(p *proxy) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) { s.serveDistribution(r.URN, w, req) })
		}); err != nil {
			return err
		}
	}
	return nil
}

// serveDistribution routes a viewer request by the distribution's cache behaviors: an ordered
// behavior whose path pattern matches sends it to its custom origin with the origin's custom
// headers; anything else is the single-page app.
func (s *Sim) serveDistribution(urn string, w http.ResponseWriter, req *http.Request) {
	d := s.w.Engine.Find(urn)
	if d == nil {
		http.Error(w, "distribution deleted", http.StatusServiceUnavailable)
		return
	}
	for _, b := range list(in(d, "orderedCacheBehaviors")) {
		bm, _ := b.(map[string]any)
		if !anyGlob([]any{bm["pathPattern"]}, req.URL.Path, false) {
			continue
		}
		if str(bm["viewerProtocolPolicy"]) == "https-only" && req.TLS == nil {
			http.Error(w, "403 Forbidden", http.StatusForbidden)
			return
		}
		for _, o := range list(in(d, "origins")) {
			om, _ := o.(map[string]any)
			if str(om["originId"]) != str(bm["targetOriginId"]) {
				continue
			}
			coc, _ := om["customOriginConfig"].(map[string]any)
			scheme, port := "http", num(coc["httpPort"], 80)
			if str(coc["originProtocolPolicy"]) == "https-only" {
				scheme, port = "https", num(coc["httpsPort"], 443)
			}
			origin := fmt.Sprintf("%s:%d", str(om["domainName"]), int(port))
			addr, err := s.resolve(origin)
			if err != nil {
				http.Error(w, "502 Bad Gateway: "+err.Error(), http.StatusBadGateway)
				return
			}
			rp := &httputil.ReverseProxy{
				Rewrite: func(pr *httputil.ProxyRequest) {
					pr.SetURL(&url.URL{Scheme: scheme, Host: addr})
					pr.Out.Host = origin
					for _, h := range list(om["customHeaders"]) {
						hm, _ := h.(map[string]any)
						pr.Out.Header.Set(str(hm["name"]), str(hm["value"]))
					}
				},
				Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}, DisableKeepAlives: true},
				ErrorHandler: func(w http.ResponseWriter, _ *http.Request, err error) {
					http.Error(w, "502 Bad Gateway", http.StatusBadGateway)
				},
			}
			rp.ServeHTTP(w, req)
			return
		}
	}
	w.Header().Set("Content-Type", "text/html")
	_, _ = io.WriteString(w, "<!doctype html><title>webstack</title><div id=root></div>")
}

// tlsMaterial is the simulation's certificate authority and the certificate its TLS proxies
// serve for any name.
type tlsMaterial struct {
	pool *x509.CertPool
	cert tls.Certificate
}

func (s *Sim) serverTLS() (*tls.Config, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.tls == nil {
		m, err := newTLSMaterial()
		if err != nil {
			return nil, err
		}
		s.tls = m
	}
	return &tls.Config{Certificates: []tls.Certificate{s.tls.cert}}, nil
}

func newTLSMaterial() (*tlsMaterial, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "webstack AWS double"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true, IsCA: true,
		DNSNames: []string{"*.cloudfront.net", "*.elb.amazonaws.com", "*.com", "*.net", "*.org", "*.io"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, err
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	pool.AddCert(c)
	return &tlsMaterial{pool: pool, cert: tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: c}}, nil
}

// Transport dials every AWS name through the simulation and trusts its certificate.
func (s *Sim) Transport() *http.Transport {
	if _, err := s.serverTLS(); err != nil {
		panic(err)
	}
	s.mu.Lock()
	pool := s.tls.pool
	s.mu.Unlock()
	d := &net.Dialer{Timeout: 5 * time.Second}
	return &http.Transport{
		DialContext: func(ctx context.Context, network, hostport string) (net.Conn, error) {
			addr, err := s.resolve(hostport)
			if err != nil {
				return nil, err
			}
			return d.DialContext(ctx, network, addr)
		},
		TLSClientConfig:     &tls.Config{RootCAs: pool},
		MaxIdleConnsPerHost: 16,
	}
}
