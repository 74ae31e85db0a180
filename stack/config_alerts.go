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

	// Slack posts every alert to a Slack channel through AWS Chatbot (docs/alerts.md): set
	// workspaceId and channelId together, or neither (no Slack channel).
	Slack SlackConfig `key:"slack"`
	// WebhookSecretARN is the ARN of a Secrets Manager secret, created by the team outside the
	// program in the stack's region and account, whose value is a Slack-compatible or Discord
	// incoming-webhook URL: a function posts every alert to it, and the release tool its
	// releases (docs/alerts.md). Empty: no webhook. The URL itself never appears in config.
	WebhookSecretARN string `key:"webhookSecretArn"`
	// ChatLogRetentionDays is how long the webhook function's log group, and the Slack channel
	// configuration's error log, keep their lines (a period CloudWatch Logs offers).
	ChatLogRetentionDays int `key:"chatLogRetentionDays"`
}

// SlackConfig is `webstack:alerts.slack`: the Slack channel that AWS Chatbot posts the alert
// topic's notifications to, with a read-only guardrail.
type SlackConfig struct {
	// WorkspaceID is the Slack workspace (team) ID, "T…", which the Chatbot console shows once
	// the workspace is authorized there (a one-time step no API can do).
	WorkspaceID string `key:"workspaceId"`
	// ChannelID is the channel's ID, "C…" (or "G…" for a private channel, to which the @aws
	// app must be invited). A channel can be configured once per AWS account: stacks that share
	// an account need a channel each.
	ChannelID string `key:"channelId"`
	// Region is where the Chatbot configuration is created: one of the regions with the Chatbot
	// API (us-east-2, us-west-2, eu-west-1, ap-southeast-1). It subscribes the alert topic in
	// the stack's region from there.
	Region string `key:"region"`
}

// Enabled reports whether the stack has a Slack channel.
func (s SlackConfig) Enabled() bool { return s.WorkspaceID != "" || s.ChannelID != "" }

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
		Slack:                   SlackConfig{Region: "us-east-2"},
		ChatLogRetentionDays:    365,
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
	a.Slack.validate(p, key+".slack")
	validateLogRetention(p, key+".chatLogRetentionDays", a.ChatLogRetentionDays)
}

func (s *SlackConfig) validate(p *problems, key string) {
	switch {
	case s.WorkspaceID == "" && s.ChannelID != "":
		p.add(key+".workspaceId", "is missing: a Slack channel (channelId %s) needs its workspace's ID, which the Chatbot console shows once the workspace is authorized", quote(s.ChannelID))
	case s.WorkspaceID != "" && s.ChannelID == "":
		p.add(key+".channelId", "is missing: workspaceId %s needs the ID of the channel to post to", quote(s.WorkspaceID))
	case s.Enabled():
		if !monitoring.ValidSlackTeamID(s.WorkspaceID) {
			p.add(key+".workspaceId", "%s is not a Slack workspace ID: T followed by capital letters and digits (e.g. \"T07EA123LEP\"), as the Chatbot console shows it", quote(s.WorkspaceID))
		}
		if !monitoring.ValidSlackChannelID(s.ChannelID) {
			p.add(key+".channelId", "%s is not a Slack channel ID: C (or G for a private channel) followed by capital letters and digits (e.g. \"C07EZ1ABC23\"), under the channel's details in Slack", quote(s.ChannelID))
		}
	}
	if !monitoring.IsChatbotRegion(s.Region) {
		p.add(key+".region", "%s has no AWS Chatbot API; use one of %s", quote(s.Region), strings.Join(monitoring.ChatbotRegions, ", "))
	}
}

// validateWebhookSecret checks webstack:alerts.webhookSecretArn's form and that the secret is
// in the stack's region and partition (the account is checked against the caller's once it is
// looked up: checkWebhookSecretAccount): the function reads it with an identity policy only,
// which cannot reach another account's secret without a resource policy on it.
func (c *Config) validateWebhookSecret(p *problems) {
	arn := c.Alerts.WebhookSecretARN
	if arn == "" {
		return
	}
	key := Namespace + ":alerts.webhookSecretArn"
	partition, region, _, err := monitoring.SecretARNParts(arn)
	switch {
	case err != nil:
		p.add(key, "%s is not a Secrets Manager secret ARN such as \"arn:aws:secretsmanager:%s:123456789012:secret:webstack-alert-webhook-AbCdEf\" (the secret's full ARN, with the six characters Secrets Manager appends)", quote(arn), c.Region)
	case region != c.Region:
		p.add(key, "%s is in %s, not in the stack's region %s: create the secret in %s", quote(arn), region, c.Region, c.Region)
	case partition != regionPartition(c.Region):
		p.add(key, "%s is in the partition %s, but %s is in %s", quote(arn), partition, c.Region, regionPartition(c.Region))
	}
	// Lambda function names are at most 64 characters.
	if fn := webhookFunctionName(c); len(fn) > 64 {
		p.add(key, "needs the function %q, longer than Lambda's 64 characters: shorten the project or stack name", fn)
	}
}

// webhookFunctionName is the webhook function's name, "<project>-<stack>-alert-webhook".
func webhookFunctionName(c *Config) string {
	return resourceBaseName(c.Project, c.Stack) + "-alert-webhook"
}

// checkWebhookSecretAccount refuses a webhook secret of another account than the stack's.
func (c *Config) checkWebhookSecretAccount(accountID string) error {
	// A placeholder is reported as one (webstack/placeholders), not as another account's.
	if c.Alerts.WebhookSecretARN == "" || placeholderKind(c.Alerts.WebhookSecretARN) != "" {
		return nil
	}
	if _, _, account, err := monitoring.SecretARNParts(c.Alerts.WebhookSecretARN); err == nil && account != accountID {
		return &configError{File: c.File, Key: Namespace + ":alerts.webhookSecretArn", Msg: fmt.Sprintf(
			"%s belongs to the account %s, not to the stack's account %s: create the secret in the stack's account", quote(c.Alerts.WebhookSecretARN), account, accountID)}
	}
	return nil
}

// regionPartition is the partition a region belongs to.
func regionPartition(region string) string {
	switch {
	case strings.HasPrefix(region, "cn-"):
		return "aws-cn"
	case strings.HasPrefix(region, "us-gov-"):
		return "aws-us-gov"
	}
	return "aws"
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
