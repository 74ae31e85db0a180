package awsdouble

import (
	"sort"
	"strings"
	"sync"
	"time"
)

// metrics records what the simulated load balancers answered, for the alarms.
type metrics struct {
	mu     sync.Mutex
	events []event
}

type event struct {
	at       time.Time
	listener string // "host:port" of the listener proxy
	tg       string // target group ARN; "" for a fixed response
	status   int
	elb      bool // answered by the load balancer itself (no target, target failed)
	fixed    bool
	latency  time.Duration
}

func newMetrics() *metrics { return &metrics{} }

func (m *metrics) record(listener, tg string, status int, elb bool, latency time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.events = append(m.events, event{at: time.Now(), listener: listener, tg: tg, status: status, elb: elb, latency: latency})
}

func (m *metrics) fixed(listener string, status int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.events = append(m.events, event{at: time.Now(), listener: listener, status: status, fixed: true})
}

// Counts are what one target group (or, with TG "", the whole load balancer) answered.
type Counts struct {
	Requests, Target5xx, ELB5xx, Fixed int
}

// Counts returns the answers since a time, for one target group ARN or, with "", all.
func (s *Sim) Counts(tgARN string, since time.Time) Counts {
	s.metrics.mu.Lock()
	defer s.metrics.mu.Unlock()
	var c Counts
	for _, e := range s.metrics.events {
		if e.at.Before(since) || (tgARN != "" && e.tg != tgARN) {
			continue
		}
		switch {
		case e.fixed:
			c.Fixed++
		case e.elb:
			c.ELB5xx++
		case e.status >= 500:
			c.Target5xx++
		}
		if !e.fixed {
			c.Requests++
		}
	}
	return c
}

// AlarmsInAlarm returns, sorted, the names of the stack's alarms that start with prefix and are
// in ALARM now: each alarm's metric evaluated over its last EvaluationPeriods periods (scaled)
// against its threshold, with DatapointsToAlarm of them breaching. It knows the metrics the
// stack alarms on for load balancers and target groups; other alarms are never in ALARM here.
func (s *Sim) AlarmsInAlarm(prefix string) []string {
	var out []string
	for _, a := range s.w.Engine.Registered(typeAlarm, nil) {
		name := str(in(a, "name"))
		if name == "" {
			name = str(reveal(a.State["name"]))
		}
		if !strings.HasPrefix(name, prefix) || str(in(a, "namespace")) != "AWS/ApplicationELB" {
			continue
		}
		if s.breaching(in(a, "metricName"), in(a, "dimensions"), num(in(a, "period"), 60),
			int(num(in(a, "evaluationPeriods"), 1)), int(num(in(a, "datapointsToAlarm"), 1)), num(in(a, "threshold"), 0), str(in(a, "comparisonOperator"))) {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// AlarmWindow returns the longest period × evaluation periods, scaled, of the stack's alarms
// that start with prefix.
func (s *Sim) AlarmWindow(prefix string) time.Duration {
	var longest time.Duration
	for _, a := range s.w.Engine.Registered(typeAlarm, nil) {
		name := str(in(a, "name"))
		if name == "" {
			name = str(reveal(a.State["name"]))
		}
		if !strings.HasPrefix(name, prefix) {
			continue
		}
		longest = max(longest, s.d(num(in(a, "period"), 60))*time.Duration(num(in(a, "evaluationPeriods"), 1)))
	}
	return longest
}

func (s *Sim) breaching(metric, dims any, period float64, periods, datapoints int, threshold float64, cmp string) bool {
	dm, _ := dims.(map[string]any)
	tgSuffix := str(dm["TargetGroup"])
	tgARN := ""
	if tgSuffix != "" {
		for _, r := range s.w.Engine.Registered(typeTargetGroup, nil) {
			if str(reveal(r.State["arnSuffix"])) == tgSuffix {
				tgARN = str(reveal(r.State["arn"]))
			}
		}
	}
	win := s.d(period)
	now := time.Now()
	breached := 0
	for p := 0; p < periods; p++ {
		from, to := now.Add(-time.Duration(p+1)*win), now.Add(-time.Duration(p)*win)
		v, ok := s.datapoint(str(metric), tgARN, from, to)
		if !ok {
			continue // missing data: notBreaching, as the stack's alarms treat it
		}
		if compare(v, threshold, cmp) {
			breached++
		}
	}
	return breached >= datapoints
}

func compare(v, threshold float64, cmp string) bool {
	switch cmp {
	case "GreaterThanThreshold":
		return v > threshold
	case "GreaterThanOrEqualToThreshold":
		return v >= threshold
	case "LessThanThreshold":
		return v < threshold
	case "LessThanOrEqualToThreshold":
		return v <= threshold
	}
	return false
}

// datapoint is a metric's value over a window; ok is false when there is no data.
func (s *Sim) datapoint(metric, tgARN string, from, to time.Time) (float64, bool) {
	switch metric {
	case "UnHealthyHostCount":
		if tgARN == "" {
			return 0, false
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		n := 0
		for _, h := range s.tgHealth[tgARN] {
			if h.everHealthy && !h.healthy {
				n++
			}
		}
		return float64(n), true
	}
	s.metrics.mu.Lock()
	defer s.metrics.mu.Unlock()
	var n float64
	var lat []time.Duration
	seen := false
	for _, e := range s.metrics.events {
		if e.at.Before(from) || !e.at.Before(to) || (tgARN != "" && e.tg != tgARN) {
			continue
		}
		switch metric {
		case "HTTPCode_Target_5XX_Count":
			if !e.elb && !e.fixed && e.status >= 500 {
				n++
				seen = true
			}
		case "HTTPCode_ELB_5XX_Count":
			if e.elb {
				n++
				seen = true
			}
		case "TargetResponseTime":
			if !e.elb && !e.fixed {
				lat = append(lat, e.latency)
			}
		}
	}
	if metric == "TargetResponseTime" {
		if len(lat) == 0 {
			return 0, false
		}
		sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
		// In AWS seconds: the simulation's latencies are real ones, unscaled.
		return lat[len(lat)*99/100].Seconds(), true
	}
	return n, seen
}
