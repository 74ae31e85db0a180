package awsdouble

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/webstack/webstack/contract"
	"github.com/webstack/webstack/mockaws"
)

// Sim makes the World behave like an Application Load Balancer with Auto Scaling groups over
// time, on loopback:
//
//   - an Auto Scaling group launches its instances from the launch template version it names;
//     each instance is a local HTTP server that serves the version its user data runs
//     (APP_VERSION) and starts answering after BootSeconds;
//   - target groups health-check their targets at their interval and thresholds; a group's
//     create and update wait for its ELB capacity, as the provider does, and no longer;
//   - a new launch template version starts an instance refresh that replaces the instances
//     gradually (launch, become healthy, warm up, then the old ones drain and stop), after the
//     update has returned: the provider does not wait for it;
//   - each listener is a local proxy that routes every request by the listener's rules and
//     default action as they are at that moment (a flip moves all new requests at once);
//     forwarding picks a healthy target of the group, answers 502 when the target fails and
//     503 when the group has no target, as an ALB does;
//   - each CloudFront distribution is a local TLS proxy routing its path patterns to its
//     origins with their custom headers;
//   - the alarms of the stack are evaluated on the requests the proxies saw (Alarms).
//
// AWS durations are scaled by Scale, so a 5-second health check interval takes 5×Scale.
type Sim struct {
	// Scale is how much faster than AWS the simulation runs: real time = AWS time × Scale.
	// Optional. Defaults to 0.01.
	Scale float64
	// BootSeconds is how long (AWS seconds) an instance takes from launch to serving. Optional.
	// Defaults to 60.
	BootSeconds float64

	w        *World
	mu       sync.Mutex
	faults   map[string]Fault
	served   map[string]int            // requests answered by version, for ErrorShare
	lts      map[string]map[int]string // launch template ID -> version -> app version
	asgs     map[string]*asg           // by URN
	tgHealth map[string]map[string]*targetHealth
	nextID   int
	proxies  map[string]*proxy // by "host:port"
	metrics  *metrics
	ctx      context.Context
	stop     context.CancelFunc
	wg       sync.WaitGroup
	tls      *tlsMaterial
	runners  *runners
	// Logf, when set, receives a line for every event (instance launched, healthy, stopped).
	Logf func(format string, args ...any)
}

// Fault makes a version misbehave.
type Fault struct {
	// ErrorShare is the share (0 to 1) of requests other than the health check that the
	// version answers with 500: deterministically, every round(1/ErrorShare)-th request to any
	// of its instances, so that a test sees exactly that share.
	ErrorShare float64
	// NeverHealthy makes the version fail its health check: its instances never serve, as an
	// image that crashes at start.
	NeverHealthy bool
}

// NewSim attaches a simulation to w and starts its health checks.
func NewSim(w *World) *Sim {
	ctx, stop := context.WithCancel(context.Background())
	s := &Sim{Scale: 0.01, BootSeconds: 60, w: w, faults: map[string]Fault{}, lts: map[string]map[int]string{},
		served: map[string]int{}, asgs: map[string]*asg{}, tgHealth: map[string]map[string]*targetHealth{}, proxies: map[string]*proxy{},
		metrics: newMetrics(), ctx: ctx, stop: stop,
		runners: &runners{instances: map[string]*runnerInstance{}, commands: map[string]*runnerCommand{}, faults: map[string]int{}}}
	w.Hooks = s
	s.wg.Add(1)
	go s.healthLoop()
	return s
}

// Close stops every instance and proxy.
func (s *Sim) Close() {
	s.stop()
	s.mu.Lock()
	var all []*instance
	for _, g := range s.asgs {
		all = append(all, g.instances...)
	}
	var ps []*proxy
	for _, p := range s.proxies {
		ps = append(ps, p)
	}
	s.mu.Unlock()
	for _, i := range all {
		i.close()
	}
	for _, p := range ps {
		p.close()
	}
	s.wg.Wait()
}

// SetFault makes every instance running version misbehave from now on.
func (s *Sim) SetFault(version string, f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults[version] = f
}

func (s *Sim) fault(version string) Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.faults[version]
}

// failNext counts a request to version and reports whether its fault fails it.
func (s *Sim) failNext(version string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	f := s.faults[version]
	if f.ErrorShare <= 0 {
		return false
	}
	s.served[version]++
	every := int(1/f.ErrorShare + 0.5)
	return every <= 1 || s.served[version]%every == 0
}

// d turns AWS seconds into a simulated duration.
func (s *Sim) d(awsSeconds float64) time.Duration {
	return time.Duration(awsSeconds * s.Scale * float64(time.Second))
}

func (s *Sim) logf(format string, args ...any) {
	if s.Logf != nil {
		s.Logf(format, args...)
	}
}

// Created implements Hooks.
func (s *Sim) Created(ctx context.Context, r *mockaws.Resource) error {
	return s.changed(ctx, nil, r)
}

// Updated implements Hooks.
func (s *Sim) Updated(ctx context.Context, old, r *mockaws.Resource) error {
	return s.changed(ctx, old, r)
}

// Deleted implements Hooks.
func (s *Sim) Deleted(_ context.Context, r *mockaws.Resource) {
	switch r.Type {
	case typeASG:
		s.mu.Lock()
		g := s.asgs[r.URN]
		delete(s.asgs, r.URN)
		s.mu.Unlock()
		if g != nil {
			for _, i := range g.instances {
				i.close()
			}
		}
	case typeListener, typeDistribution:
		s.mu.Lock()
		for k, p := range s.proxies {
			if p.urn == r.URN {
				delete(s.proxies, k)
				go p.close()
			}
		}
		s.mu.Unlock()
	}
}

const (
	typeASG            = contract.TypeAutoscalingGroup
	typeLaunchTemplate = contract.TypeEC2LaunchTemplate
	typeListener       = contract.TypeLBListener
	typeListenerRule   = contract.TypeLBListenerRule
	typeTargetGroup    = contract.TypeLBTargetGroup
	typeLoadBalancer   = contract.TypeLBLoadBalancer
	typeDistribution   = contract.TypeCloudFrontDistribution
	typeRecord         = contract.TypeRoute53Record
	typeAlarm          = contract.TypeCloudWatchMetricAlarm
)

func (s *Sim) changed(ctx context.Context, old, r *mockaws.Resource) error {
	switch r.Type {
	case typeLaunchTemplate:
		s.recordTemplate(r)
	case typeASG:
		return s.applyASG(ctx, old, r)
	case typeListener:
		return s.ensureListenerProxy(r)
	case typeDistribution:
		return s.ensureDistributionProxy(r)
	}
	return nil
}

// appVersion matches the version line of the container's environment file in user data.
var appVersion = regexp.MustCompile(`(?m)^APP_VERSION=(.*)$`)

// recordTemplate remembers which application version each launch template version runs.
func (s *Sim) recordTemplate(r *mockaws.Resource) {
	v, _ := r.Output("latestVersion").(float64)
	ud, _ := base64.StdEncoding.DecodeString(reveal(r.Inputs["userData"]).(string))
	version := ""
	if m := appVersion.FindSubmatch(ud); m != nil {
		version = string(m[1])
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.lts[r.ID] == nil {
		s.lts[r.ID] = map[int]string{}
	}
	s.lts[r.ID][int(v)] = version
}

// reveal returns a property value as plain Go data with secrets revealed: the simulation
// needs the origin header's value to route like the ALB.
func reveal(v resource.PropertyValue) any {
	switch {
	case v.IsSecret():
		return reveal(v.SecretValue().Element)
	case v.IsOutput():
		return reveal(v.OutputValue().Element)
	case v.IsNull():
		return ""
	case v.IsBool():
		return v.BoolValue()
	case v.IsNumber():
		return v.NumberValue()
	case v.IsString():
		return v.StringValue()
	case v.IsArray():
		var out []any
		for _, e := range v.ArrayValue() {
			out = append(out, reveal(e))
		}
		return out
	case v.IsObject():
		out := map[string]any{}
		for k, e := range v.ObjectValue() {
			out[string(k)] = reveal(e)
		}
		return out
	}
	return ""
}

// in returns r's revealed input at a path of keys and indexes.
func in(r *mockaws.Resource, path ...any) any {
	var v any = reveal(resource.NewProperty(r.Inputs))
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, _ := v.(map[string]any)
			v = m[k]
		case int:
			a, _ := v.([]any)
			if k >= len(a) {
				return nil
			}
			v = a[k]
		}
	}
	return v
}

func str(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return ""
}

func num(v any, def float64) float64 {
	switch x := v.(type) {
	case float64:
		return x
	case string:
		if f, err := strconv.ParseFloat(x, 64); err == nil {
			return f
		}
	}
	return def
}

func list(v any) []any {
	a, _ := v.([]any)
	return a
}

// parseDuration reads a provider duration such as "15m".
func parseDuration(v string, def time.Duration) time.Duration {
	if d, err := time.ParseDuration(v); err == nil {
		return d
	}
	return def
}

// Client returns an HTTP client that reaches the simulated load balancers and distributions
// by their AWS names (the ALB's DNS name, the distribution's domain name): every connection is
// made to the local proxy that stands for that name and port.
func (s *Sim) Client() *http.Client {
	return &http.Client{Transport: s.Transport(), Timeout: 30 * time.Second}
}

func (s *Sim) route(host string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.proxies[strings.ToLower(host)]
	if !ok {
		return "", false
	}
	return p.addr, true
}

func (s *Sim) resolve(hostport string) (string, error) {
	if addr, ok := s.route(hostport); ok {
		return addr, nil
	}
	// A Route 53 alias to a load balancer (origin.<domain> -> the ALB) resolves to it.
	host, port, ok := strings.Cut(hostport, ":")
	if ok {
		for _, rec := range s.w.Engine.Registered(typeRecord, nil) {
			if strings.EqualFold(strings.TrimSuffix(str(in(rec, "name")), "."), host) {
				if alias := str(in(rec, "aliases", 0, "name")); alias != "" {
					if addr, ok := s.route(alias + ":" + port); ok {
						return addr, nil
					}
				}
			}
		}
	}
	return "", fmt.Errorf("awsdouble: nothing in the simulation answers at %s", hostport)
}
