package awsdouble

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/webstack/webstack/mockaws"
)

// asg is one Auto Scaling group's simulated state.
type asg struct {
	urn, name  string
	template   string // launch template ID
	ltVersion  int    // the version the group launches from
	desired    int
	tgs        []string // target group ARNs
	grace      float64  // health check grace period, AWS seconds
	warmup     float64  // instance refresh warmup, AWS seconds
	instances  []*instance
	refreshing bool
}

// instance is one simulated EC2 instance: an HTTP server on loopback serving its version.
type instance struct {
	id, asg  string
	version  string
	ltVer    int
	launched time.Time
	s        *Sim

	ln       net.Listener
	srv      *http.Server
	booted   atomic.Bool
	draining atomic.Bool
	closed   atomic.Bool
	once     sync.Once
}

// targetHealth is a target's state in one target group.
type targetHealth struct {
	healthy       bool
	successes     int
	failures      int
	everHealthy   bool
	lastCheckedAt time.Time
}

// launch starts an instance of the group running the application version of the group's
// launch template version.
func (s *Sim) launch(g *asg) (*instance, error) {
	s.mu.Lock()
	s.nextID++
	id := fmt.Sprintf("i-%017x", s.nextID)
	version := s.lts[g.template][g.ltVersion]
	s.mu.Unlock()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	i := &instance{id: id, asg: g.urn, version: version, ltVer: g.ltVersion, launched: time.Now(), s: s, ln: ln}
	i.srv = &http.Server{Handler: http.HandlerFunc(i.serve)}
	go func() { _ = i.srv.Serve(ln) }()
	boot := s.d(s.BootSeconds)
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		select {
		case <-time.After(boot):
			// User data without a version exits before starting anything (no release yet).
			if version != "" {
				i.booted.Store(true)
				s.logf("%s (%s, %s): serving", id, g.name, version)
			}
		case <-s.ctx.Done():
		}
	}()
	s.logf("%s (%s): launched from launch template version %d (%s)", id, g.name, g.ltVersion, version)
	return i, nil
}

// serve is the application: it answers every path with its version, and the health check
// path with 200 unless its version never becomes healthy. Before it has booted, it drops
// the connection, as a port nothing listens on yet.
func (i *instance) serve(w http.ResponseWriter, r *http.Request) {
	f := i.s.fault(i.version)
	if !i.booted.Load() || i.closed.Load() || (f.NeverHealthy) {
		if hj, ok := w.(http.Hijacker); ok {
			if c, _, err := hj.Hijack(); err == nil {
				c.Close()
				return
			}
		}
		http.Error(w, "not started", http.StatusBadGateway)
		return
	}
	w.Header().Set("X-App-Version", i.version)
	w.Header().Set("Content-Type", "application/json")
	if r.Header.Get("X-Webstack-Health-Check") == "" && i.s.failNext(i.version) {
		w.WriteHeader(http.StatusInternalServerError)
		_ = json.NewEncoder(w).Encode(map[string]string{"status": "ERROR", "version": i.version})
		return
	}
	_ = json.NewEncoder(w).Encode(map[string]string{"status": "UP", "version": i.version, "instance": i.id, "path": r.URL.Path})
}

func (i *instance) close() {
	i.once.Do(func() {
		i.closed.Store(true)
		_ = i.srv.Close()
	})
}

// applyASG brings the group's instances to its new inputs and waits, as the provider does, for
// waitForElbCapacity healthy instances; a new launch template version starts an instance
// refresh that runs on after the update returns.
func (s *Sim) applyASG(ctx context.Context, old, r *mockaws.Resource) error {
	s.mu.Lock()
	g := s.asgs[r.URN]
	if g == nil {
		g = &asg{urn: r.URN, name: r.Name}
		s.asgs[r.URN] = g
	}
	prevVersion := g.ltVersion
	g.template = str(in(r, "launchTemplate", "id"))
	g.ltVersion = int(num(in(r, "launchTemplate", "version"), 1))
	g.desired = int(num(in(r, "desiredCapacity"), 0))
	g.grace = num(in(r, "healthCheckGracePeriod"), 300)
	g.warmup = num(in(r, "instanceRefresh", "preferences", "instanceWarmup"), 0)
	g.tgs = nil
	for _, t := range list(in(r, "targetGroupArns")) {
		g.tgs = append(g.tgs, str(t))
	}
	refresh := old != nil && prevVersion != g.ltVersion && in(r, "instanceRefresh") != nil && len(g.instances) > 0 && !g.refreshing
	s.mu.Unlock()

	if err := s.scale(g); err != nil {
		return err
	}
	if refresh {
		s.mu.Lock()
		g.refreshing = true
		s.mu.Unlock()
		s.wg.Add(1)
		go s.refresh(g)
	}
	want := int(num(in(r, "waitForElbCapacity"), 0))
	if want == 0 {
		return nil
	}
	timeout := s.d(parseDuration(str(in(r, "waitForCapacityTimeout")), 10*time.Minute).Seconds())
	return s.waitCapacity(ctx, g, want, timeout)
}

// scale launches or terminates instances until the group has its desired count, terminating
// those of the oldest launch template version first, then the oldest instances
// (TerminationPolicies OldestLaunchTemplate, OldestInstance).
func (s *Sim) scale(g *asg) error {
	s.mu.Lock()
	n := len(g.instances) - g.desired
	s.mu.Unlock()
	for ; n < 0; n++ {
		i, err := s.launch(g)
		if err != nil {
			return err
		}
		s.mu.Lock()
		g.instances = append(g.instances, i)
		s.mu.Unlock()
	}
	if n > 0 {
		s.mu.Lock()
		sort.SliceStable(g.instances, func(a, b int) bool {
			x, y := g.instances[a], g.instances[b]
			if x.ltVer != y.ltVer {
				return x.ltVer < y.ltVer
			}
			return x.launched.Before(y.launched)
		})
		victims := append([]*instance(nil), g.instances[:n]...)
		g.instances = g.instances[n:]
		s.mu.Unlock()
		for _, v := range victims {
			s.drain(g, v)
		}
	}
	return nil
}

// drain takes an instance out of its target groups: no new request reaches it, and it stops
// after the groups' deregistration delay.
func (s *Sim) drain(g *asg, i *instance) {
	i.draining.Store(true)
	delay := 0.0
	for _, tg := range g.tgs {
		if r := s.targetGroup(tg); r != nil {
			delay = max(delay, num(in(r, "deregistrationDelay"), 300))
		}
	}
	s.logf("%s (%s, %s): draining for %.0fs", i.id, g.name, i.version, delay)
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		select {
		case <-time.After(s.d(delay)):
		case <-s.ctx.Done():
		}
		i.close()
		s.mu.Lock()
		for _, h := range s.tgHealth {
			delete(h, i.id)
		}
		s.mu.Unlock()
		s.logf("%s (%s, %s): terminated", i.id, g.name, i.version)
	}()
}

// refresh replaces every instance not on the group's launch template version: with
// MinHealthyPercentage 100 and MaxHealthyPercentage 200 it launches all replacements at once,
// waits until they are healthy and warmed up, then drains the old ones.
func (s *Sim) refresh(g *asg) {
	defer s.wg.Done()
	defer func() {
		s.mu.Lock()
		g.refreshing = false
		s.mu.Unlock()
	}()
	s.mu.Lock()
	var old []*instance
	for _, i := range g.instances {
		if i.ltVer != g.ltVersion {
			old = append(old, i)
		}
	}
	s.mu.Unlock()
	s.logf("%s: instance refresh to launch template version %d: replacing %d instance(s)", g.name, g.ltVersion, len(old))
	var fresh []*instance
	for range old {
		i, err := s.launch(g)
		if err != nil {
			return
		}
		fresh = append(fresh, i)
		s.mu.Lock()
		g.instances = append(g.instances, i)
		s.mu.Unlock()
	}
	for {
		if s.ctx.Err() != nil {
			return
		}
		all := true
		for _, i := range fresh {
			if !s.healthyEverywhere(g, i) {
				all = false
			}
		}
		if all {
			break
		}
		time.Sleep(s.d(1))
	}
	select {
	case <-time.After(s.d(g.warmup)):
	case <-s.ctx.Done():
		return
	}
	s.mu.Lock()
	keep := g.instances[:0]
	for _, i := range g.instances {
		stale := false
		for _, o := range old {
			stale = stale || o == i
		}
		if !stale {
			keep = append(keep, i)
		}
	}
	g.instances = keep
	s.mu.Unlock()
	for _, o := range old {
		s.drain(g, o)
	}
	s.logf("%s: instance refresh done", g.name)
}

// Refreshing reports whether the named Auto Scaling group has an instance refresh in progress.
func (s *Sim) Refreshing(asgName string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, g := range s.asgs {
		if g.name == asgName || s.asgPhysicalName(g) == asgName {
			return g.refreshing
		}
	}
	return false
}

func (s *Sim) asgPhysicalName(g *asg) string {
	if r := s.w.Engine.Find(g.urn); r != nil {
		return str(reveal(r.State["name"]))
	}
	return ""
}

// waitCapacity waits until want instances of the group are healthy in all its target groups,
// as the provider's wait_for_elb_capacity does: old instances count as well as new ones.
func (s *Sim) waitCapacity(ctx context.Context, g *asg, want int, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		have := 0
		s.mu.Lock()
		instances := append([]*instance(nil), g.instances...)
		s.mu.Unlock()
		for _, i := range instances {
			if s.healthyEverywhere(g, i) {
				have++
			}
		}
		if have >= want {
			return nil
		}
		if time.Now().After(deadline) {
			// The provider's words (internal/service/autoscaling/wait.go).
			return fmt.Errorf("waiting for Auto Scaling Group (%s) capacity satisfied: timeout while waiting for state to become 'ok' (last state: 'want at least %d healthy instance(s) registered to Load Balancer, have %d', timeout: %s)",
				s.asgPhysicalName(g), want, have, timeout)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-s.ctx.Done():
			return s.ctx.Err()
		case <-time.After(s.d(1)):
		}
	}
}

func (s *Sim) healthyEverywhere(g *asg, i *instance) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(g.tgs) == 0 {
		return i.booted.Load()
	}
	for _, tg := range g.tgs {
		h := s.tgHealth[tg][i.id]
		if h == nil || !h.healthy {
			return false
		}
	}
	return true
}

// targetGroup returns the target group resource with an ARN.
func (s *Sim) targetGroup(arn string) *mockaws.Resource {
	for _, r := range s.w.Engine.Registered(typeTargetGroup, nil) {
		if str(reveal(r.State["arn"])) == arn {
			return r
		}
	}
	return nil
}

// targets returns the instances registered with a target group: those of every group that
// names it, draining ones excluded.
func (s *Sim) targets(tgARN string) []*instance {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []*instance
	urns := make([]string, 0, len(s.asgs))
	for urn := range s.asgs {
		urns = append(urns, urn)
	}
	sort.Strings(urns)
	for _, urn := range urns {
		g := s.asgs[urn]
		for _, t := range g.tgs {
			if t == tgARN {
				for _, i := range g.instances {
					if !i.draining.Load() && !i.closed.Load() {
						out = append(out, i)
					}
				}
			}
		}
	}
	return out
}

// healthLoop runs every target group's health checks at the group's interval.
func (s *Sim) healthLoop() {
	defer s.wg.Done()
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	tick := time.NewTicker(s.d(1))
	defer tick.Stop()
	for {
		select {
		case <-s.ctx.Done():
			return
		case <-tick.C:
		}
		for _, tg := range s.w.Engine.Registered(typeTargetGroup, nil) {
			arn := str(reveal(tg.State["arn"]))
			interval := s.d(num(in(tg, "healthCheck", "interval"), 30))
			timeout := s.d(num(in(tg, "healthCheck", "timeout"), 5))
			healthyN := int(num(in(tg, "healthCheck", "healthyThreshold"), 5))
			unhealthyN := int(num(in(tg, "healthCheck", "unhealthyThreshold"), 2))
			path := str(in(tg, "healthCheck", "path"))
			if path == "" {
				path = "/"
			}
			for _, i := range s.targets(arn) {
				s.mu.Lock()
				if s.tgHealth[arn] == nil {
					s.tgHealth[arn] = map[string]*targetHealth{}
				}
				h := s.tgHealth[arn][i.id]
				if h == nil {
					h = &targetHealth{}
					s.tgHealth[arn][i.id] = h
				}
				due := time.Since(h.lastCheckedAt) >= interval
				if due {
					h.lastCheckedAt = time.Now()
				}
				s.mu.Unlock()
				if !due {
					continue
				}
				ok := probe(client, i.ln.Addr().String(), path, timeout)
				s.mu.Lock()
				if ok {
					h.successes, h.failures = h.successes+1, 0
					if !h.healthy && h.successes >= healthyN {
						h.healthy, h.everHealthy = true, true
						s.logf("%s: healthy in %s", i.id, tg.Name)
					}
				} else {
					h.failures, h.successes = h.failures+1, 0
					if h.healthy && h.failures >= unhealthyN {
						h.healthy = false
						s.logf("%s: unhealthy in %s", i.id, tg.Name)
					}
				}
				s.mu.Unlock()
			}
		}
	}
}

func probe(c *http.Client, addr, path string, timeout time.Duration) bool {
	ctx, cancel := context.WithTimeout(context.Background(), max(timeout, 50*time.Millisecond))
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+addr+path, nil)
	if err != nil {
		return false
	}
	req.Header.Set("X-Webstack-Health-Check", "1")
	res, err := c.Do(req)
	if err != nil {
		return false
	}
	res.Body.Close()
	return res.StatusCode == http.StatusOK
}

// Instances describes the instances of the named group's color, for assertions: version by
// instance ID, serving ones only.
func (s *Sim) Instances(asgResourceName string) map[string]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string]string{}
	for _, g := range s.asgs {
		if g.name != asgResourceName {
			continue
		}
		for _, i := range g.instances {
			if !i.closed.Load() {
				out[i.id] = i.version
			}
		}
	}
	return out
}
