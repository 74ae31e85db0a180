package policy

import (
	"encoding/base64"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/webstack/webstack/contract"
	"github.com/webstack/webstack/mockaws"
)

// Alerting checks: RDS event subscriptions, the alert topic's key and subscribers, and the
// alarms every watched resource needs.
func init() {
	register(rdsEventChecks()...)
	register(alertTopicChecks()...)
	register(alarmChecks()...)
	register(logChecks()...)
}

// rdsEventChecks are the RDS event subscriptions a database needs for its critical events.
func rdsEventChecks() []*Check {
	return []*Check{
		&Check{
			ID: "RDS.20", Title: "RDS event subscriptions should notify of critical database instance events",
			Severity: Low, Scope: ProductionOnly, Standard: FSBP, Types: []string{contract.TypeRDSInstance},
			Eval: func(s *Stack, r *mockaws.Resource) Verdict {
				id := str(firstKnown(r.Output("identifier"), in(r, "identifier")))
				return eventSubscription(s, "db-instance", id, []string{"maintenance", "configuration change", "failure"})
			},
		},
		&Check{
			ID: "RDS.21", Title: "RDS event subscriptions should notify of critical database parameter group events",
			Severity: Low, Scope: ProductionOnly, Standard: FSBP, Types: []string{contract.TypeRDSParameterGroup},
			Eval: func(s *Stack, r *mockaws.Resource) Verdict {
				name := str(firstKnown(r.Output("name"), in(r, "name")))
				return eventSubscription(s, "db-parameter-group", name, []string{"configuration change"})
			},
		},
	}
}

// alertTopicChecks judge the alert topic: its key rotates, the services that notify it may use
// the key and publish, and someone is subscribed.
func alertTopicChecks() []*Check {
	return []*Check{
		&Check{
			ID: "KMS.4", Title: "KMS key rotation should be enabled",
			Severity: Medium, Scope: AllStacks, Standard: NIST, Types: []string{contract.TypeKMSKey},
			Eval: func(s *Stack, r *mockaws.Resource) Verdict {
				for _, f := range []string{"customerMasterKeySpec", "keySpec"} {
					if spec := str(in(r, f)); spec != "" && spec != "SYMMETRIC_DEFAULT" {
						return skip("%s keys cannot rotate automatically", spec)
					}
				}
				if !isTrue(in(r, "enableKeyRotation")) {
					return bad("%s, want true (the default is false)", field(r, "enableKeyRotation"))
				}
				return ok("%s", field(r, "enableKeyRotation"))
			},
		},
		&Check{
			ID: "webstack/alert-key", Title: "Services that notify an encrypted topic should be allowed to use its KMS key and to publish",
			Severity: High, Scope: AllStacks, Standard: Webstack, Types: []string{contract.TypeSNSTopic},
			Eval: publishersMayUseKey,
		},
		&Check{
			ID: "webstack/alert-subscribers", Title: "Alert topics should have a subscriber",
			Severity: Medium, Scope: ProductionOnly, Standard: Webstack, Types: []string{contract.TypeSNSTopic},
			Eval: func(s *Stack, r *mockaws.Resource) Verdict {
				if len(topicPublishers(s, r)) == 0 {
					return skip("nothing in the stack publishes to it")
				}
				subs := s.Referring(r, contract.TypeSNSTopicSubscription, "topic")
				if len(subs) == 0 {
					return bad("no %s has topic = %s: alarms fire and nobody is told", contract.TypeSNSTopicSubscription, show(r.Output("arn")))
				}
				var to []string
				for _, sub := range subs {
					to = append(to, fmt.Sprintf("%s %s", str(in(sub, "protocol")), str(in(sub, "endpoint"))))
				}
				sort.Strings(to)
				return ok("notifies %s", strings.Join(to, ", "))
			},
		},
	}
}

// publishersMayUseKey fails an alert topic whose KMS key or topic policy keeps a service that
// notifies it from using the key or publishing.
func publishersMayUseKey(s *Stack, r *mockaws.Resource) Verdict {
	publishers := topicPublishers(s, r)
	if len(publishers) == 0 {
		return skip("nothing in the stack publishes to it")
	}
	keyRef := in(r, "kmsMasterKeyId")
	key := s.Ref(keyRef, contract.TypeKMSKey)
	if key == nil {
		return bad("kmsMasterKeyId is %s, not a KMS key of this stack whose policy lets %s use it (alarms deploy and deliver nothing: docs/gotchas.md, \"Alarms to an encrypted topic need the key's grant\")",
			show(keyRef), strings.Join(publishers, " and "))
	}
	if !known(in(key, "policy")) {
		return skip("key policy unknown until apply")
	}
	sts, err := parsePolicy(in(key, "policy"))
	if err != nil {
		return bad("key %s: %v", key.Name, err)
	}
	account := arnAccount(r.Output("arn"))
	for _, svc := range publishers {
		if !allows(sts, svc, "kms:Decrypt", account) || !allows(sts, svc, "kms:GenerateDataKey", account) {
			return bad("the policy of key %s does not allow %s kms:Decrypt and kms:GenerateDataKey*: its notifications are dropped (docs/gotchas.md, \"Alarms to an encrypted topic need the key's grant\")", key.Name, svc)
		}
	}
	for _, tp := range s.Referring(r, contract.TypeSNSTopicPolicy, "arn") {
		if !known(in(tp, "policy")) {
			return skip("topic policy unknown until apply")
		}
		sts, err := parsePolicy(in(tp, "policy"))
		if err != nil {
			return bad("topic policy %s: %v", tp.Name, err)
		}
		for _, svc := range publishers {
			if !allows(sts, svc, "sns:Publish", account) {
				return bad("topic policy %s does not allow %s sns:Publish", tp.Name, svc)
			}
		}
	}
	return ok("key %s and the topic policy let %s publish", key.Name, strings.Join(publishers, " and "))
}

// alarmChecks require the alarms every watched resource needs.
func alarmChecks() []*Check {
	return []*Check{
		&Check{
			ID: "REL06-BP01/alarms", Title: "Load balancers, target groups, databases, cache nodes and NAT gateways should have their alarms",
			Severity: Medium, Scope: AllStacks, Standard: WellArchitected,
			Types: []string{contract.TypeLBLoadBalancer, contract.TypeALBLoadBalancer, contract.TypeLBTargetGroup, contract.TypeALBTargetGroup, contract.TypeRDSInstance, contract.TypeElastiCacheReplicationGroup, contract.TypeEC2NatGateway},
			Eval: func(s *Stack, r *mockaws.Resource) Verdict {
				if (r.Type == contract.TypeLBTargetGroup || r.Type == contract.TypeALBTargetGroup) && str(in(r, "tags.Traffic")) == "test" {
					// Its instances are those of the color's production target group, whose
					// unhealthy-host alarm watches them; its traffic is smoke tests, which
					// must never page.
					return skip("tags.Traffic is \"test\": only the test listener forwards to it")
				}
				watched, err := watchedMetrics(r)
				if err != nil {
					return bad("%v", err)
				}
				var missing []string
				for _, w := range watched {
					if !hasAlarm(s, w) {
						missing = append(missing, w.String())
					}
				}
				if len(missing) > 0 {
					return bad("no alarm with an action watches %s", strings.Join(missing, "; "))
				}
				var metrics []string
				for _, w := range watched {
					if !contains(metrics, w.metric) {
						metrics = append(metrics, w.metric)
					}
				}
				return ok("alarms watch %s", strings.Join(metrics, ", "))
			},
		},
	}
}

// logChecks judge the stack's logs: retention, the ALB's log bucket and the containers' output.
func logChecks() []*Check {
	return []*Check{
		&Check{
			ID: "webstack/log-retention", Title: "CloudWatch log groups should have an explicit retention",
			Severity: Medium, Scope: AllStacks, Standard: Webstack, Types: []string{contract.TypeCloudWatchLogGroup},
			Eval: func(s *Stack, r *mockaws.Resource) Verdict {
				if n, set := num(in(r, "retentionInDays")); !set || n <= 0 {
					return bad("retentionInDays is %s: the logs would be kept (and billed) forever", show(in(r, "retentionInDays")))
				}
				return ok("%s", field(r, "retentionInDays"))
			},
		},
		&Check{
			ID: "webstack/alb-log-bucket", Title: "ALB access log buckets should use SSE-S3 and let Elastic Load Balancing write",
			Severity: High, Scope: AllStacks, Standard: Webstack, Types: loadBalancerTypes,
			Eval: func(s *Stack, r *mockaws.Resource) Verdict {
				if !isTrue(in(r, "accessLogs.enabled")) {
					return skip("access logs are off")
				}
				bucket := s.Ref(in(r, "accessLogs.bucket"), bucketTypes...)
				if bucket == nil {
					return bad("%s, not a bucket of this stack", field(r, "accessLogs.bucket"))
				}
				for _, sse := range s.Referring(bucket, contract.TypeS3BucketServerSideEncryptionConfigurationV2, "bucket") {
					for _, rule := range list(in(sse, "rules")) {
						if alg := str(obj(obj(rule)["applyServerSideEncryptionByDefault"])["sseAlgorithm"]); alg != "AES256" {
							return bad("bucket %s is encrypted with %q; ALB access logs are delivered only to SSE-S3 (AES256) buckets (docs/gotchas.md, \"ALB access logs need an SSE-S3 bucket\")", bucket.Name, alg)
						}
					}
				}
				prefix, own := str(in(r, "accessLogs.prefix")), arnAccount(r.Output("arn"))
				for _, bp := range s.Referring(bucket, contract.TypeS3BucketPolicy, "bucket") {
					if !known(in(bp, "policy")) {
						return skip("bucket policy unknown until apply")
					}
					sts, err := parsePolicy(in(bp, "policy"))
					if err != nil {
						return bad("bucket policy %s: %v", bp.Name, err)
					}
					for _, st := range sts {
						if st.Effect == "Allow" && elbWriter(st, own) && (contains(st.Action, "s3:PutObject") || contains(st.Action, "s3:*")) && coversPrefix(st.Resource, prefix) {
							return ok("bucket %s: SSE-S3, and %s lets Elastic Load Balancing put objects under %q", bucket.Name, bp.Name, prefix+"/")
						}
					}
				}
				return bad("no policy of bucket %s allows logdelivery.elasticloadbalancing.amazonaws.com or the regional ELB account s3:PutObject under %q: the ALB cannot deliver its logs", bucket.Name, prefix+"/")
			},
		},
		&Check{
			ID: "webstack/app-logs", Title: "Application containers should send their output to a CloudWatch Logs group of the stack",
			Severity: Medium, Scope: AllStacks, Standard: Webstack, Types: []string{contract.TypeEC2LaunchTemplate},
			Eval: func(s *Stack, r *mockaws.Resource) Verdict {
				ud := in(r, "userData")
				if !known(ud) || ud == nil {
					return skip("no user data known at plan time")
				}
				script, err := base64.StdEncoding.DecodeString(str(ud))
				if err != nil {
					script = []byte(str(ud))
				}
				run := dockerRun.Find(script)
				if run == nil {
					return skip("runs no container")
				}
				if !strings.Contains(string(run), "--log-driver awslogs") {
					return bad("the container's `docker run` has no --log-driver awslogs: its output stays on the instance and is lost with it")
				}
				m := awslogsGroup.FindSubmatch(run)
				if m == nil {
					return bad("the container logs with awslogs but names no awslogs-group")
				}
				group := s.Ref(string(m[1]), contract.TypeCloudWatchLogGroup)
				if group == nil {
					return bad("awslogs-group %q is not a log group of this stack, so nothing sets its retention", m[1])
				}
				return ok("the container's output goes to %s (%s)", m[1], group.Name)
			},
		},
	}
}

var (
	dockerRun     = regexp.MustCompile(`(?m)docker run [^\n]*`)
	awslogsGroup  = regexp.MustCompile(`--log-opt awslogs-group=(\S+)`)
	elbAccountARN = regexp.MustCompile(`^arn:aws[a-z-]*:iam::[0-9]{12}:root$`)
	// percentileStat is a percentile statistic of p90 or above.
	percentileStat = regexp.MustCompile(`^p(9[0-9](\.[0-9]+)?|100)$`)
)

// firstKnown returns the first of the values that is set and known at plan time.
func firstKnown(vs ...any) any {
	for _, v := range vs {
		if v != nil && known(v) {
			return v
		}
	}
	return nil
}

// eventSubscription judges whether an enabled RDS event subscription of sourceType that
// notifies a topic covers the source (its sourceIds include it, or are empty: every source)
// with every category in want (or all categories).
func eventSubscription(s *Stack, sourceType, source string, want []string) Verdict {
	var partial string
	for _, sub := range s.ByType(contract.TypeRDSEventSubscription) {
		ids := strs(in(sub, "sourceIds"))
		if str(in(sub, "sourceType")) != sourceType || isFalse(in(sub, "enabled")) || str(in(sub, "snsTopic")) == "" || (len(ids) > 0 && !contains(ids, source)) {
			continue
		}
		categories := strs(in(sub, "eventCategories"))
		var missing []string
		for _, c := range want {
			if len(categories) > 0 && !contains(categories, c) {
				missing = append(missing, c)
			}
		}
		if len(missing) == 0 {
			return ok("event subscription %s notifies %s of %s", sub.Name, show(in(sub, "snsTopic")), strings.Join(want, ", "))
		}
		partial = fmt.Sprintf("; event subscription %s lacks the categories %s", sub.Name, show(missing))
	}
	return bad("no enabled %s with sourceType %q covers %q with %s%s", contract.TypeRDSEventSubscription, sourceType, source, show(want), partial)
}

// topicPublishers returns the AWS services that publish to a topic in the stack: CloudWatch
// for alarms whose actions name it, RDS for event subscriptions that notify it.
func topicPublishers(s *Stack, topic *mockaws.Resource) []string {
	arn := str(topic.Output("arn"))
	var out []string
	for _, a := range s.ByType(contract.TypeCloudWatchMetricAlarm) {
		if contains(append(strs(in(a, "alarmActions")), strs(in(a, "okActions"))...), arn) {
			out = append(out, "cloudwatch.amazonaws.com")
			break
		}
	}
	for _, sub := range s.ByType(contract.TypeRDSEventSubscription) {
		if str(in(sub, "snsTopic")) == arn {
			out = append(out, "events.rds.amazonaws.com")
			break
		}
	}
	return out
}

// allows reports whether the statements let the service principal do the action for the
// account: an Allow names the service and the action (exactly, as a prefix with "*", or through
// "service:*"), with no aws:SourceAccount condition naming another account; and no
// unconditioned Deny takes it away.
func allows(sts []statement, service, action, account string) bool {
	svc := action[:strings.Index(action, ":")]
	grants := func(st statement) bool {
		for _, a := range st.Action {
			if a == action || a == svc+":*" || a == "*" || (strings.HasSuffix(a, "*") && strings.HasPrefix(action, strings.TrimSuffix(a, "*"))) {
				return true
			}
		}
		return false
	}
	names := func(st statement) bool {
		return st.publicPrincipal() || contains(strs(obj(st.Principal)["Service"]), service)
	}
	allowed := false
	for _, st := range sts {
		switch {
		case st.Effect == "Deny" && len(st.Condition) == 0 && names(st) && grants(st):
			return false
		case st.Effect == "Allow" && contains(strs(obj(st.Principal)["Service"]), service) && grants(st) && forAccount(st, account):
			allowed = true
		}
	}
	return allowed
}

// forAccount reports whether a statement's aws:SourceAccount conditions, if any, include the
// account (an unknown account matches).
func forAccount(st statement, account string) bool {
	for _, op := range []string{"StringEquals", "StringLike", "ArnEquals", "ArnLike"} {
		for k, v := range obj(st.Condition[op]) {
			if strings.EqualFold(k, "aws:SourceAccount") && account != "" && !contains(strs(v), account) {
				return false
			}
		}
	}
	return true
}

// arnAccount returns the account of an ARN ("arn:aws:sns:r:123456789012:t"), or "".
func arnAccount(v any) string {
	parts := strings.SplitN(str(v), ":", 6)
	if len(parts) < 6 || parts[0] != "arn" {
		return ""
	}
	return parts[4]
}

// elbWriter reports whether a statement's principal is how Elastic Load Balancing delivers
// access logs: the log delivery service, or a regional ELB account (an account's root that is
// not the stack's own account, own).
func elbWriter(st statement, own string) bool {
	p := obj(st.Principal)
	if contains(strs(p["Service"]), "logdelivery.elasticloadbalancing.amazonaws.com") {
		return true
	}
	for _, a := range strs(p["AWS"]) {
		if elbAccountARN.MatchString(a) && arnAccount(a) != own {
			return true
		}
	}
	return false
}

// coversPrefix reports whether a statement's resources include the bucket's objects under the
// log prefix.
func coversPrefix(resources []string, prefix string) bool {
	for _, r := range resources {
		_, key, ok := strings.Cut(r, ":::")
		if !ok {
			continue
		}
		_, path, _ := strings.Cut(key, "/")
		if path == "*" || (prefix != "" && strings.HasPrefix(path, prefix+"/")) || (prefix == "" && strings.HasPrefix(path, "AWSLogs/")) {
			return true
		}
	}
	return false
}

// watched is one metric of one resource that needs an alarm: on the dimension with the value,
// also carrying the dimension with (CloudWatch publishes some metrics only with both), and with
// a percentile statistic where an average would hide the tail.
type watched struct {
	namespace, metric, dimension, value string
	with                                string
	percentile                          bool
	// or are other metrics an alarm may watch instead of metric.
	or []string
}

// watchedMetrics lists the metrics of a resource that must have an alarm: what users notice
// (errors, latency, lost capacity) and what is about to break (storage, memory, lag, ports).
func watchedMetrics(r *mockaws.Resource) ([]watched, error) {
	each := func(ns, dim, value string, metrics ...string) []watched {
		var out []watched
		for _, m := range metrics {
			out = append(out, watched{namespace: ns, metric: m, dimension: dim, value: value})
		}
		return out
	}
	switch r.Type {
	case contract.TypeLBLoadBalancer, contract.TypeALBLoadBalancer:
		suffix := str(r.Output("arnSuffix"))
		if suffix == "" {
			return nil, fmt.Errorf("arnSuffix unknown: its metrics cannot be matched to alarms")
		}
		// The load balancer's own errors: all of its 5XX, or (where the test listener's
		// traffic must not page, and the per-target-group alarms watch the errors of routed
		// requests) the 503s of a target group without targets.
		out := each("AWS/ApplicationELB", "LoadBalancer", suffix, "HTTPCode_ELB_5XX_Count")
		out[0].or = []string{"HTTPCode_ELB_503_Count"}
		return out, nil
	case contract.TypeLBTargetGroup, contract.TypeALBTargetGroup:
		suffix := str(r.Output("arnSuffix"))
		if suffix == "" {
			return nil, fmt.Errorf("arnSuffix unknown: its metrics cannot be matched to alarms")
		}
		// Target group metrics exist only with the LoadBalancer dimension too; latency wants its
		// tail (p95, p99), not its average.
		out := each("AWS/ApplicationELB", "TargetGroup", suffix, "UnHealthyHostCount", "HTTPCode_Target_5XX_Count", "TargetResponseTime")
		for i := range out {
			out[i].with = "LoadBalancer"
			out[i].percentile = out[i].metric == "TargetResponseTime"
		}
		return out, nil
	case contract.TypeRDSInstance:
		id := str(firstKnown(r.Output("identifier"), in(r, "identifier")))
		out := each("AWS/RDS", "DBInstanceIdentifier", id, "CPUUtilization", "FreeStorageSpace", "FreeableMemory", "DatabaseConnections")
		if str(in(r, "replicateSourceDb")) != "" {
			out = append(out, each("AWS/RDS", "DBInstanceIdentifier", id, "ReplicaLag")...)
		}
		return out, nil
	case contract.TypeElastiCacheReplicationGroup:
		nodes := strs(r.Output("memberClusters"))
		if len(nodes) == 0 {
			return nil, fmt.Errorf("memberClusters unknown: the nodes' metrics cannot be matched to alarms")
		}
		var out []watched
		for _, n := range nodes {
			out = append(out, each("AWS/ElastiCache", "CacheClusterId", n, "EngineCPUUtilization", "DatabaseMemoryUsagePercentage", "Evictions")...)
		}
		return out, nil
	case contract.TypeEC2NatGateway:
		return each("AWS/NATGateway", "NatGatewayId", r.ID, "ErrorPortAllocation"), nil
	}
	return nil, fmt.Errorf("no alarms are defined for %s", r.Type)
}

// hasAlarm reports whether an alarm with an action watches the metric of the resource, as its
// metric or as one of the metrics of its metric math expression.
func hasAlarm(s *Stack, w watched) bool {
	for _, a := range s.ByType(contract.TypeCloudWatchMetricAlarm) {
		if len(list(in(a, "alarmActions"))) == 0 {
			continue
		}
		if w.matches(in(a, "namespace"), in(a, "metricName"), in(a, "dimensions"), in(a, "extendedStatistic")) {
			return true
		}
		for _, q := range list(in(a, "metricQueries")) {
			m := obj(obj(q)["metric"])
			if m != nil && w.matches(m["namespace"], m["metricName"], m["dimensions"], m["stat"]) {
				return true
			}
		}
	}
	return false
}

// matches reports whether a metric (namespace, name, dimensions and statistic) is the watched
// one.
func (w watched) matches(namespace, metric, dimensions, stat any) bool {
	dims := obj(dimensions)
	return str(namespace) == w.namespace && (str(metric) == w.metric || contains(w.or, str(metric))) && str(dims[w.dimension]) == w.value &&
		(w.with == "" || str(dims[w.with]) != "") && (!w.percentile || percentileStat.MatchString(str(stat)))
}

// String names the metric as a message shows it.
func (w watched) String() string {
	metric := w.metric
	for _, m := range w.or {
		metric += " or " + m
	}
	s := fmt.Sprintf("%s %s with %s = %q", w.namespace, metric, w.dimension, w.value)
	if w.with != "" {
		s += " and " + w.with
	}
	if w.percentile {
		s += " (a percentile such as p99)"
	}
	return s
}
