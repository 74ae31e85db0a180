package mockaws

import "slices"

// logRetentions are the retention periods CloudWatch Logs accepts (0: never expire).
var logRetentions = []int{0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}

// monitoringRules are the AWS rules of CloudWatch (logs, alarms, dashboards), SNS, KMS and IAM.
var monitoringRules = []Rule{
	// logs/retention-values: a log group's retentionInDays must be one of the periods
	// CloudWatch Logs offers. The provider refuses anything else before calling AWS:
	// `expected retention_in_days to be one of [0 1 3 5 7 ...], got 2`. Source: CloudWatch
	// Logs API reference, PutRetentionPolicy (retentionInDays "Valid Values"), and the
	// provider's schema validation (validation.IntInSlice).
	{
		ID:     "logs/retention-values",
		Type:   "aws:cloudwatch/logGroup:LogGroup",
		Source: "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html",
		Create: func(e *Engine, r *Resource) error {
			days, ok := r.inNum("retentionInDays")
			if ok && !slices.Contains(logRetentions, int(days)) {
				return providerErr("expected retention_in_days to be one of %s, got %d", quotedList(logRetentions), int(days))
			}
			return nil
		},
	},
}
