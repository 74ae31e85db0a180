package data

import (
	"encoding/json"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// PIKeyDeletionWindowDays is how long a deleted Performance Insights key can still be restored.
const PIKeyDeletionWindowDays = 30

// newPerformanceInsightsKey creates the customer-managed key that encrypts the instances'
// Performance Insights data (PerformanceInsightsKmsKeyId) instead of the account's aws/rds key.
// The key costs $1 a month. Its policy is the default key policy: the account's IAM policies
// decide who may use it. RDS uses the key through grants it creates for the principal that
// creates or modifies the instance, which that principal's IAM permissions allow
// (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_PerfInsights.access-control.html);
// no service principal needs a statement of its own. A key cannot be changed once Performance
// Insights uses it, so the key is never replaced: it has no input that depends on config.
func newPerformanceInsightsKey(ctx *pulumi.Context, name, identifier, partition, accountID string, opts ...pulumi.ResourceOption) (*kms.Key, error) {
	policy, err := json.Marshal(map[string]any{
		"Version": "2012-10-17",
		"Statement": []map[string]any{{
			"Sid": "AccountAdministersKey", "Effect": "Allow",
			"Principal": map[string]any{"AWS": fmt.Sprintf("arn:%s:iam::%s:root", partition, accountID)},
			"Action":    "kms:*", "Resource": "*",
		}},
	})
	if err != nil {
		return nil, fmt.Errorf("performance insights key policy: %w", err)
	}
	key, err := kms.NewKey(ctx, name+"-pi-key", &kms.KeyArgs{
		Description:          pulumi.Sprintf("%s: encrypts Performance Insights data", identifier),
		KeyUsage:             pulumi.String("ENCRYPT_DECRYPT"),
		EnableKeyRotation:    pulumi.Bool(true),
		DeletionWindowInDays: pulumi.Int(PIKeyDeletionWindowDays),
		Policy:               pulumi.String(string(policy)),
	}, opts...)
	if err != nil {
		return nil, fmt.Errorf("performance insights key: %w", err)
	}
	if _, err := kms.NewAlias(ctx, name+"-pi-key-alias", &kms.AliasArgs{
		Name:        pulumi.Sprintf("alias/%s-performance-insights", identifier),
		TargetKeyId: key.KeyId,
	}, opts...); err != nil {
		return nil, fmt.Errorf("performance insights key alias: %w", err)
	}
	return key, nil
}
