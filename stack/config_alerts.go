package stack

import (
	"fmt"
	"strings"

	"github.com/webstack/webstack/contract"
	"github.com/webstack/webstack/monitoring"
)

// AlertsConfig is `webstack:alerts`: who is paged and when. Every stack has an alert topic and
// the same alarms; the thresholds are the defaults a team would keep, and a stack file tunes
// them to its instance sizes (connections and memory depend on the instance class).
type AlertsConfig struct {
	// Emails are the addresses subscribed to the alert topic: bare addresses
	// (oncall@example.com), each listed once. Each must confirm the subscription from the email
	// AWS sends before it receives anything. Unset and an explicit empty list differ: leaving
	// the key out of a production stack fails the webstack/alert-subscribers check, while
	// `emails: []` says "nobody, deliberately" (a nonproduction stack, or a paging tool
	// subscribed to alertTopicArn outside the program) and is reported as an exception.
	Emails []string `key:"emails"`

	// ELB5xxCount is how many 5XX responses the load balancer itself may return in 5 minutes
	// (0 or more; the alarm fires above it).
	ELB5xxCount int `key:"elb5xxCount"`
	// Target5xxCount is how many 5XX responses the application may return in 5 minutes (0 or
	// more).
	Target5xxCount int `key:"target5xxCount"`
	// ResponseTimeP99Ms is the p99 target response time (ms) two 5-minute periods in a row may
	// not exceed; below webstack:app.idleTimeout.
	ResponseTimeP99Ms int `key:"responseTimeP99Ms"`
	// UnhealthyHosts is how many unhealthy targets a color may have in every minute of
	// webstack:app.healthCheckGracePeriod plus 2 minutes, so that booting instances never page
	// (0 or more).
	UnhealthyHosts int `key:"unhealthyHosts"`

	// DBCPUPercent is the average CPU a database instance may run at for 15 minutes (1 to 99).
	DBCPUPercent int `key:"dbCpuPercent"`
	// DBFreeStorageGiB is the least free storage a database instance may have: below 10% of
	// webstack:database.allocatedStorage, where storage autoscaling starts, so that it pages only
	// when the volume cannot grow (at maxAllocatedStorage, or within six hours of the last
	// growth).
	DBFreeStorageGiB int `key:"dbFreeStorageGiB"`
	// DBFreeableMemoryMiB is the least freeable memory a database instance may have for 15
	// minutes (1 or more).
	DBFreeableMemoryMiB int `key:"dbFreeableMemoryMiB"`
	// DBConnections is the most connections a database instance may hold for 5 minutes; keep
	// it under the instance class's max_connections (about its memory / 12 MiB). The default
	// fits db.m7g.large: tune it, and dbFreeableMemoryMiB, to your instance classes.
	DBConnections int `key:"dbConnections"`
	// DBReplicaLagSeconds is how far a replica may fall behind for 5 minutes (1 or more).
	DBReplicaLagSeconds int `key:"dbReplicaLagSeconds"`

	// CacheCPUPercent is the average engine CPU a cache node may run at for 15 minutes (1 to
	// 99).
	CacheCPUPercent int `key:"cacheCpuPercent"`
	// CacheMemoryPercent is the share of maxmemory a cache node may use for 15 minutes (1 to
	// 99).
	CacheMemoryPercent int `key:"cacheMemoryPercent"`
	// CacheEvictions is how many keys a cache node may evict in 5 minutes (0 or more).
	CacheEvictions int `key:"cacheEvictions"`

	// NATPortAllocationErrors is how many port allocation errors a NAT gateway may report in
	// 5 minutes (0 or more).
	NATPortAllocationErrors int `key:"natPortAllocationErrors"`
}

// defaultAlertsConfig pages on what users notice (errors, slowness, lost capacity) and on what
// is about to break (storage, memory, connections, lag), with no subscriber until a stack file
// names one. The database thresholds fit the default db.m7g.large with 50 GiB (free storage
// at 4%: below where storage autoscaling starts).
func defaultAlertsConfig() AlertsConfig {
	return AlertsConfig{
		ELB5xxCount:             10,
		Target5xxCount:          25,
		ResponseTimeP99Ms:       2000,
		UnhealthyHosts:          0,
		DBCPUPercent:            80,
		DBFreeStorageGiB:        2,
		DBFreeableMemoryMiB:     512,
		DBConnections:           500,
		DBReplicaLagSeconds:     60,
		CacheCPUPercent:         80,
		CacheMemoryPercent:      80,
		CacheEvictions:          100,
		NATPortAllocationErrors: 0,
	}
}

func (a *AlertsConfig) validate(p *problems, key string) {
	seen := map[string]bool{}
	for i, e := range a.Emails {
		k := fmt.Sprintf("%s.emails[%d]", key, i)
		if err := monitoring.ValidateEmail(e); err != nil {
			p.add(k, "%s is not a bare email address such as \"oncall@example.com\"", quote(e))
			continue
		}
		if seen[strings.ToLower(e)] {
			p.add(k, "%s is listed twice", quote(e))
		}
		seen[strings.ToLower(e)] = true
	}
	counts := []struct {
		name  string
		value int
	}{
		{"elb5xxCount", a.ELB5xxCount}, {"target5xxCount", a.Target5xxCount}, {"unhealthyHosts", a.UnhealthyHosts},
		{"cacheEvictions", a.CacheEvictions}, {"natPortAllocationErrors", a.NATPortAllocationErrors},
	}
	for _, c := range counts {
		if c.value < 0 {
			p.add(key+"."+c.name, "%d must not be negative (the alarm fires above it; 0 fires on the first one)", c.value)
		}
	}
	percents := []struct {
		name  string
		value int
	}{{"dbCpuPercent", a.DBCPUPercent}, {"cacheCpuPercent", a.CacheCPUPercent}, {"cacheMemoryPercent", a.CacheMemoryPercent}}
	for _, c := range percents {
		if c.value < 1 || c.value > 99 {
			p.add(key+"."+c.name, "%d must be a percentage from 1 to 99", c.value)
		}
	}
	positives := []struct {
		name  string
		value int
		unit  string
	}{
		{"responseTimeP99Ms", a.ResponseTimeP99Ms, "milliseconds"}, {"dbFreeStorageGiB", a.DBFreeStorageGiB, "GiB"},
		{"dbFreeableMemoryMiB", a.DBFreeableMemoryMiB, "MiB"}, {"dbConnections", a.DBConnections, "connections"},
		{"dbReplicaLagSeconds", a.DBReplicaLagSeconds, "seconds"},
	}
	for _, c := range positives {
		if c.value < 1 {
			p.add(key+"."+c.name, "%d must be at least 1 (%s)", c.value, c.unit)
		}
	}
}

// validateAlertsCrossSection checks the thresholds that only make sense against another
// section: a latency the load balancer would cut off first, or free storage the database
// cannot have.
func (c *Config) validateAlertsCrossSection(p *problems) {
	key := Namespace + ":alerts"
	if a := c.Alerts; a.ResponseTimeP99Ms >= 1 && !hasProblem(p, Namespace+":app.idleTimeout") && a.ResponseTimeP99Ms >= c.App.IdleTimeout*1000 {
		p.add(key+".responseTimeP99Ms", "%d ms is not below %s:app.idleTimeout (%d s): the load balancer closes a request before it is that slow",
			a.ResponseTimeP99Ms, Namespace, c.App.IdleTimeout)
	}
	// Storage autoscaling grows the volume when less than 10% is free; an alarm at or above
	// that would page on every routine growth instead of when the volume cannot grow.
	if a := c.Alerts; a.DBFreeStorageGiB >= 1 && !hasProblem(p, Namespace+":database.allocatedStorage") && a.DBFreeStorageGiB*10 >= c.Database.AllocatedStorage {
		p.add(key+".dbFreeStorageGiB", "%d GiB is not below 10%% of %s:database.allocatedStorage (%d GiB): storage autoscaling starts there, so the alarm would page on every routine growth",
			a.DBFreeStorageGiB, Namespace, c.Database.AllocatedStorage)
	}
}

// relaxations: a stack file that sets `emails: []` deliberately subscribes nobody (a
// nonproduction stack, or a paging tool subscribed outside the program). Without the key, a
// production stack whose alarms notify nobody fails webstack/alert-subscribers.
func (a *AlertsConfig) relaxations() []contract.Relaxation {
	if a.Emails == nil || len(a.Emails) > 0 {
		return nil
	}
	return []contract.Relaxation{{Check: "webstack/alert-subscribers", Type: contract.TypeSNSTopic, Name: contract.AlertTopic, Key: Namespace + ":alerts.emails"}}
}
