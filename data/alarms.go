package data

import (
	"errors"
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/webstack/webstack/internal/alarm"
)

// Bytes per MiB and GiB, for thresholds CloudWatch takes in bytes.
const (
	mib = 1 << 20
	gib = 1 << 30
)

// DatabaseAlarmArgs configures the alarms on every database instance and on the master
// password's rotation function.
type DatabaseAlarmArgs struct {
	// TopicARN is the alert topic. Optional: nil registers no alarms.
	TopicARN pulumi.StringInput
	// CPUPercent is the average CPU utilization three five-minute periods in a row may not
	// exceed. Required with TopicARN; 1 to 100.
	CPUPercent int
	// FreeStorageGiB is the least free storage an instance may have. Storage autoscaling
	// grows the volume when free space drops under 10%; keep this below that (the stack's
	// config requires it below 10% of the allocated storage), so that it fires only when the
	// volume cannot grow (at maxAllocatedStorage, or within six hours of the last growth).
	// Required with TopicARN; at least 1.
	FreeStorageGiB int
	// FreeableMemoryMiB is the least freeable memory an instance may have for 15 minutes.
	// Required with TopicARN; at least 1.
	FreeableMemoryMiB int
	// Connections is the most connections an instance may hold for five minutes: keep it
	// under the instance class's max_connections. Required with TopicARN; at least 1.
	Connections int
	// ReplicaLagSeconds is how far a replica may fall behind the writer for five minutes.
	// Required with TopicARN; at least 1.
	ReplicaLagSeconds int
}

func (a *DatabaseAlarmArgs) validate() error {
	if a.TopicARN == nil {
		return nil
	}
	var errs []error
	if a.CPUPercent < 1 || a.CPUPercent > 100 {
		errs = append(errs, fmt.Errorf("alarm CPU threshold %d%% must be 1 to 100", a.CPUPercent))
	}
	if a.FreeStorageGiB < 1 || a.FreeableMemoryMiB < 1 || a.Connections < 1 || a.ReplicaLagSeconds < 1 {
		errs = append(errs, fmt.Errorf("alarm thresholds (free storage %d GiB, freeable memory %d MiB, %d connections, replica lag %d s) must be at least 1",
			a.FreeStorageGiB, a.FreeableMemoryMiB, a.Connections, a.ReplicaLagSeconds))
	}
	return errors.Join(errs...)
}

// databaseAlarms registers CPU, free storage, freeable memory and connections alarms on one
// instance, and the replica lag alarm on a replica.
func databaseAlarms(ctx *pulumi.Context, name, identifier string, replica bool, a *DatabaseAlarmArgs, opts ...pulumi.ResourceOption) (alarm.Set, error) {
	dims := pulumi.StringMap{"DBInstanceIdentifier": pulumi.String(identifier)}
	role := "writer"
	if replica {
		role = "read replica"
	}
	gauge := func(suffix, metric, statistic string, period, periods int, cmp string, threshold float64, desc string) alarm.Named {
		return alarm.Named{Suffix: suffix, Spec: alarm.Spec{
			Name: identifier + "-" + suffix, Description: fmt.Sprintf("%s (%s): %s", identifier, role, desc),
			Namespace: "AWS/RDS", Metric: metric, Dimensions: dims, Statistic: statistic,
			Period: period, EvaluationPeriods: periods, DatapointsToAlarm: periods,
			Comparison: cmp, Threshold: threshold, TreatMissingData: alarm.Missing,
		}}
	}
	specs := []alarm.Named{
		gauge("cpu", "CPUUtilization", "Average", 300, 3, alarm.Above, float64(a.CPUPercent),
			fmt.Sprintf("CPU above %d%% for 15 minutes. Check Performance Insights for the top SQL, and the slow query log.", a.CPUPercent)),
		gauge("free-storage", "FreeStorageSpace", "Minimum", 300, 1, alarm.Below, float64(a.FreeStorageGiB)*gib,
			fmt.Sprintf("less than %d GiB of free storage, and storage autoscaling has not grown the volume (at maxAllocatedStorage, or within 6 hours of the last growth). Raise webstack:database.maxAllocatedStorage.", a.FreeStorageGiB)),
		gauge("freeable-memory", "FreeableMemory", "Minimum", 300, 3, alarm.Below, float64(a.FreeableMemoryMiB)*mib,
			fmt.Sprintf("less than %d MiB of freeable memory for 15 minutes: the instance swaps or is about to. Check connections, or move to a larger instance class.", a.FreeableMemoryMiB)),
		gauge("connections", "DatabaseConnections", "Maximum", 60, 5, alarm.Above, float64(a.Connections),
			fmt.Sprintf("more than %d connections for 5 minutes, close to max_connections. Check the application's connection pools (both colors hold one while warm).", a.Connections)),
	}
	if replica {
		specs = append(specs,
			gauge("replica-lag", "ReplicaLag", "Maximum", 60, 5, alarm.Above, float64(a.ReplicaLagSeconds),
				fmt.Sprintf("more than %d s behind the writer for 5 minutes: reads from DB_READER_HOST return stale data. Check the writer's write load and the replica's CPU.", a.ReplicaLagSeconds)),
			// RDS reports ReplicaLag -1 when replication has stopped, which no "lag above"
			// alarm ever sees.
			gauge("replication-stopped", "ReplicaLag", "Minimum", 60, 5, alarm.Below, 0,
				"replication has stopped (ReplicaLag is -1) for 5 minutes: reads from DB_READER_HOST serve data that no longer changes. Check the replica's events (read replica category) and the MySQL error log."))
	}
	return alarm.NewSet(ctx, name, specs, a.TopicARN, opts...)
}

// rotationAlarms registers the alarm on the master password's rotation function: any error in
// five minutes. Lambda counts in Errors every invocation that ends in a function error, the
// exceptions the function raises and the runtime's own (timeouts, configuration errors)
// (https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html). The rotation
// function raises on every step that fails, so a failed rotation shows here in any account,
// where the RotationFailed event rule needs a CloudTrail trail (newRotationFailureAlert). A
// period without invocations has no datapoint, which is not a failure.
func rotationAlarms(ctx *pulumi.Context, name, functionName string, topicARN pulumi.StringInput, opts ...pulumi.ResourceOption) (alarm.Set, error) {
	return alarm.NewSet(ctx, name, []alarm.Named{{Suffix: "errors", Spec: alarm.Spec{
		Name: functionName + "-errors",
		Description: fmt.Sprintf("%s: the database master password's rotation function failed (an error or a timeout) in the last 5 minutes. "+
			"The old password keeps working and the secret keeps its AWSPENDING version until a rotation succeeds. "+
			"Read the function's log group /aws/lambda/%s, fix the cause, then run `aws secretsmanager rotate-secret` on the secret (dbSecretArn).", functionName, functionName),
		Namespace: "AWS/Lambda", Metric: "Errors", Dimensions: pulumi.StringMap{"FunctionName": pulumi.String(functionName)},
		Statistic: "Sum", Period: 300, EvaluationPeriods: 1, DatapointsToAlarm: 1,
		Comparison: alarm.Above, Threshold: 0, TreatMissingData: alarm.NotBreaching,
	}}}, topicARN, opts...)
}

// CacheAlarmArgs configures the alarms on every cache node.
type CacheAlarmArgs struct {
	// TopicARN is the alert topic. Optional: nil registers no alarms.
	TopicARN pulumi.StringInput
	// CPUPercent is the average engine (Redis thread) CPU three five-minute periods in a row
	// may not exceed. Required with TopicARN; 1 to 100.
	CPUPercent int
	// MemoryPercent is the share of maxmemory in use three five-minute periods in a row may
	// not exceed. Required with TopicARN; 1 to 100.
	MemoryPercent int
	// Evictions is how many keys a node may evict in five minutes for lack of memory.
	Evictions int
}

func (a *CacheAlarmArgs) validate() error {
	if a.TopicARN == nil {
		return nil
	}
	var errs []error
	for _, p := range []struct {
		what  string
		value int
	}{{"engine CPU", a.CPUPercent}, {"memory", a.MemoryPercent}} {
		if p.value < 1 || p.value > 100 {
			errs = append(errs, fmt.Errorf("alarm %s threshold %d%% must be 1 to 100", p.what, p.value))
		}
	}
	if a.Evictions < 0 {
		errs = append(errs, fmt.Errorf("alarm evictions threshold %d must not be negative", a.Evictions))
	}
	return errors.Join(errs...)
}

// CacheNodeID is the ID ElastiCache gives the n-th (from 1) cache cluster of a replication
// group without cluster mode; its metrics' CacheClusterId dimension.
func CacheNodeID(replicationGroupID string, n int) string {
	return fmt.Sprintf("%s-%03d", replicationGroupID, n)
}

// cacheAlarms registers engine CPU, memory and evictions alarms on every node: whichever node is
// primary after a failover, its alarms stay in place.
func cacheAlarms(ctx *pulumi.Context, name, groupID string, nodes int, a *CacheAlarmArgs, opts ...pulumi.ResourceOption) (alarm.Set, error) {
	var specs []alarm.Named
	for n := 1; n <= nodes; n++ {
		node := CacheNodeID(groupID, n)
		dims := pulumi.StringMap{"CacheClusterId": pulumi.String(node)}
		for _, k := range []struct {
			suffix string
			spec   alarm.Spec
		}{
			{"engine-cpu", alarm.Spec{Metric: "EngineCPUUtilization", Statistic: "Average", Period: 300, EvaluationPeriods: 3, DatapointsToAlarm: 3,
				Comparison: alarm.Above, Threshold: float64(a.CPUPercent), TreatMissingData: alarm.Missing,
				Description: fmt.Sprintf("%s: the Redis engine thread above %d%% CPU for 15 minutes; commands queue up. Check the slow log and for large keys or KEYS/SCAN patterns.", node, a.CPUPercent)}},
			{"memory", alarm.Spec{Metric: "DatabaseMemoryUsagePercentage", Statistic: "Average", Period: 300, EvaluationPeriods: 3, DatapointsToAlarm: 3,
				Comparison: alarm.Above, Threshold: float64(a.MemoryPercent), TreatMissingData: alarm.Missing,
				Description: fmt.Sprintf("%s: more than %d%% of maxmemory used for 15 minutes; evictions follow. Check key TTLs, or move to a larger node type.", node, a.MemoryPercent)}},
			{"evictions", alarm.Spec{Metric: "Evictions", Statistic: "Sum", Period: 300, EvaluationPeriods: 1, DatapointsToAlarm: 1,
				Comparison: alarm.Above, Threshold: float64(a.Evictions), TreatMissingData: alarm.NotBreaching,
				Description: fmt.Sprintf("%s: more than %d keys evicted in 5 minutes for lack of memory; sessions or cached data are being dropped.", node, a.Evictions)}},
		} {
			k.spec.Name, k.spec.Namespace, k.spec.Dimensions = node+"-"+k.suffix, "AWS/ElastiCache", dims
			specs = append(specs, alarm.Named{Suffix: fmt.Sprintf("%03d-%s", n, k.suffix), Spec: k.spec})
		}
	}
	return alarm.NewSet(ctx, name, specs, a.TopicARN, opts...)
}
