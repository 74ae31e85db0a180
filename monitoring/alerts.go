// Package monitoring owns what watches a stack as a whole: the alert topic that every alarm and
// every RDS event notifies (with its customer-managed KMS key, its policy and its email
// subscriptions) and the CloudWatch dashboard. The alarms themselves live with the tier whose
// resource they watch (package internal/alarm gives them one shape) and publish to this topic.
package monitoring

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/mail"
	"regexp"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sns"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/webstack/webstack/contract"
)

// KeyDeletionWindowDays is how long a deleted alert key can still be recovered: the longest
// waiting period KMS allows, since nothing can decrypt a message queued under a deleted key.
const KeyDeletionWindowDays = 30

// Publishers are the AWS services that publish to the alert topic: CloudWatch alarms, RDS event
// subscriptions and EventBridge rules (the data tier's failed-rotation rule). Each needs
// sns:Publish in the topic policy and, because the topic is encrypted with a customer-managed
// key, kms:Decrypt and kms:GenerateDataKey* in the key policy: without the key grant an alarm
// deploys cleanly and delivers nothing (Amazon SNS Developer Guide, "Enable compatibility
// between event sources from AWS services and encrypted topics").
var Publishers = []string{"cloudwatch.amazonaws.com", "events.rds.amazonaws.com", "events.amazonaws.com"}

var topicName = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)

// AlertsArgs configures Alerts.
type AlertsArgs struct {
	// TopicName is the SNS topic's name, unique in the account and region
	// ("webstack-prod-alerts"). Required.
	TopicName string
	// DisplayName is the sender name of the notification emails. Optional. Defaults to
	// TopicName.
	DisplayName string
	// Emails are the addresses subscribed to the topic. Each receives a confirmation email
	// and gets notifications only once it confirms. Optional. Defaults to none.
	Emails []string
	// AccountID, Region and Partition locate the stack for the policies' conditions. Required.
	AccountID, Region, Partition string
}

func (a *AlertsArgs) validate() error {
	var errs []error
	if !topicName.MatchString(a.TopicName) {
		errs = append(errs, fmt.Errorf("topic name %q must be 1 to 256 letters, digits, hyphens and underscores", a.TopicName))
	}
	if len(a.DisplayName) > 100 {
		errs = append(errs, fmt.Errorf("display name %q is longer than 100 characters", a.DisplayName))
	}
	if a.AccountID == "" || a.Region == "" || a.Partition == "" {
		errs = append(errs, errors.New("account id, region and partition are required"))
	}
	seen := map[string]bool{}
	for _, e := range a.Emails {
		if err := ValidateEmail(e); err != nil {
			errs = append(errs, err)
		}
		if seen[strings.ToLower(e)] {
			errs = append(errs, fmt.Errorf("email %q is listed twice", e))
		}
		seen[strings.ToLower(e)] = true
	}
	return errors.Join(errs...)
}

// ValidateEmail reports whether s is a bare email address ("oncall@example.com"), the form an
// SNS email subscription takes: no display name, no angle brackets.
func ValidateEmail(s string) error {
	addr, err := mail.ParseAddress(s)
	if err != nil || addr.Name != "" || addr.Address != s || !strings.Contains(s[strings.LastIndex(s, "@")+1:], ".") {
		return fmt.Errorf("%q is not a bare email address such as \"oncall@example.com\"", s)
	}
	return nil
}

// Alerts is the stack's alert topic, encrypted with a key of its own.
type Alerts struct {
	pulumi.ResourceState

	// TopicARN is the topic alarms and RDS event subscriptions notify.
	TopicARN pulumi.StringOutput `pulumi:"topicArn"`
	// KeyARN is the KMS key the topic is encrypted with.
	KeyARN pulumi.StringOutput `pulumi:"keyArn"`
}

// NewAlerts registers the KMS key and its alias, the topic, its policy and one email
// subscription per address.
func NewAlerts(ctx *pulumi.Context, name string, args *AlertsArgs, opts ...pulumi.ResourceOption) (*Alerts, error) {
	if args == nil {
		return nil, errors.New("monitoring: alerts: args are required")
	}
	a := *args
	if a.DisplayName == "" {
		a.DisplayName = a.TopicName
	}
	if err := a.validate(); err != nil {
		return nil, fmt.Errorf("monitoring: alerts: %w", err)
	}
	al := &Alerts{}
	if err := ctx.RegisterComponentResource(contract.TypeMonitoringAlerts, name, al, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(al)

	keyPolicy, err := alertKeyPolicy(&a)
	if err != nil {
		return nil, fmt.Errorf("monitoring: alerts: key policy: %w", err)
	}
	key, err := kms.NewKey(ctx, name+"-key", &kms.KeyArgs{
		Description:          pulumi.Sprintf("%s: encrypts the alert topic's messages", a.TopicName),
		KeyUsage:             pulumi.String("ENCRYPT_DECRYPT"),
		EnableKeyRotation:    pulumi.Bool(true),
		DeletionWindowInDays: pulumi.Int(KeyDeletionWindowDays),
		Policy:               pulumi.String(keyPolicy),
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("monitoring: alerts: key: %w", err)
	}
	if _, err := kms.NewAlias(ctx, name+"-key-alias", &kms.AliasArgs{
		Name:        pulumi.String("alias/" + a.TopicName),
		TargetKeyId: key.KeyId,
	}, parent); err != nil {
		return nil, fmt.Errorf("monitoring: alerts: key alias: %w", err)
	}
	topic, err := sns.NewTopic(ctx, contract.Child(name, contract.RoleTopic), &sns.TopicArgs{
		Name:           pulumi.String(a.TopicName),
		DisplayName:    pulumi.String(a.DisplayName),
		KmsMasterKeyId: key.Arn,
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("monitoring: alerts: topic: %w", err)
	}
	policy := topic.Arn.ApplyT(func(arn string) (string, error) { return alertTopicPolicy(&a, arn) }).(pulumi.StringOutput)
	topicPolicy, err := sns.NewTopicPolicy(ctx, name+"-topic-policy", &sns.TopicPolicyArgs{
		Arn:    topic.Arn,
		Policy: policy,
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("monitoring: alerts: topic policy: %w", err)
	}
	for _, email := range a.Emails {
		// Named by a hash of the address, so that reordering the list replaces nothing.
		sum := sha256.Sum256([]byte(strings.ToLower(email)))
		if _, err := sns.NewTopicSubscription(ctx, fmt.Sprintf("%s-email-%s", name, hex.EncodeToString(sum[:])[:8]), &sns.TopicSubscriptionArgs{
			Topic:    topic.Arn,
			Protocol: pulumi.String("email"),
			Endpoint: pulumi.String(email),
		}, parent); err != nil {
			return nil, fmt.Errorf("monitoring: alerts: email subscription %q: %w", email, err)
		}
	}

	// The ARN the tiers' alarms and event subscriptions take resolves only once the topic
	// policy exists, so that nothing is created that could publish before it may.
	al.TopicARN = pulumi.All(topic.Arn, topicPolicy.ID()).ApplyT(func(v []any) string { return v[0].(string) }).(pulumi.StringOutput)
	al.KeyARN = key.Arn
	if err := ctx.RegisterResourceOutputs(al, pulumi.Map{
		"topicArn": al.TopicARN,
		"keyArn":   al.KeyARN,
	}); err != nil {
		return nil, err
	}
	return al, nil
}

// alertKeyPolicy lets the account administer the key through IAM, and the publishing services
// encrypt messages for this account's topic.
func alertKeyPolicy(a *AlertsArgs) (string, error) {
	root := fmt.Sprintf("arn:%s:iam::%s:root", a.Partition, a.AccountID)
	b, err := json.Marshal(map[string]any{
		"Version": "2012-10-17",
		"Statement": []map[string]any{
			// The key policy every KMS key starts with: IAM policies of the account decide who
			// may use and manage it, so that the account can never lock itself out.
			{"Sid": "AccountAdministersKey", "Effect": "Allow", "Principal": map[string]any{"AWS": root},
				"Action": "kms:*", "Resource": "*"},
			{"Sid": "CloudWatchAlarmsEncrypt", "Effect": "Allow", "Principal": map[string]any{"Service": Publishers[0]},
				"Action": []string{"kms:Decrypt", "kms:GenerateDataKey*"}, "Resource": "*",
				"Condition": map[string]any{"StringEquals": map[string]any{"aws:SourceAccount": a.AccountID}}},
			// RDS event notifications carry no source condition keys to KMS that AWS documents,
			// so this grant is unconditioned; only this account's RDS can publish to the topic
			// (the topic policy), which is the only place the key is used.
			{"Sid": "RdsEventsEncrypt", "Effect": "Allow", "Principal": map[string]any{"Service": Publishers[1]},
				"Action": []string{"kms:Decrypt", "kms:GenerateDataKey*"}, "Resource": "*"},
			// EventBridge rules: unconditioned as AWS documents it for a rule's encrypted SNS
			// target, since EventBridge's delivery to SNS carries no aws:SourceAccount or
			// aws:SourceArn for a condition to match (EventBridge User Guide, "Using
			// resource-based policies for Amazon EventBridge", Amazon SNS permissions).
			{"Sid": "EventBridgeRulesEncrypt", "Effect": "Allow", "Principal": map[string]any{"Service": Publishers[2]},
				"Action": []string{"kms:Decrypt", "kms:GenerateDataKey*"}, "Resource": "*"},
		},
	})
	return string(b), err
}

// alertTopicPolicy limits the topic to the account (management, subscriptions, publishing), to
// CloudWatch alarms and RDS events of the account, and to EventBridge rules (which AWS lets no
// condition narrow). An encrypted topic accepts requests only over HTTPS, so no statement needs
// to deny plain HTTP.
func alertTopicPolicy(a *AlertsArgs, topicARN string) (string, error) {
	root := fmt.Sprintf("arn:%s:iam::%s:root", a.Partition, a.AccountID)
	account := map[string]any{"aws:SourceAccount": a.AccountID}
	b, err := json.Marshal(map[string]any{
		"Version": "2012-10-17",
		"Statement": []map[string]any{
			{"Sid": "AccountManagesTopic", "Effect": "Allow", "Principal": map[string]any{"AWS": root},
				"Action": []string{"sns:GetTopicAttributes", "sns:SetTopicAttributes", "sns:AddPermission", "sns:RemovePermission",
					"sns:DeleteTopic", "sns:Subscribe", "sns:ListSubscriptionsByTopic", "sns:Publish"},
				"Resource": topicARN},
			{"Sid": "CloudWatchAlarmsPublish", "Effect": "Allow", "Principal": map[string]any{"Service": Publishers[0]},
				"Action": "sns:Publish", "Resource": topicARN,
				"Condition": map[string]any{
					"StringEquals": account,
					"ArnLike":      map[string]any{"aws:SourceArn": fmt.Sprintf("arn:%s:cloudwatch:%s:%s:alarm:*", a.Partition, a.Region, a.AccountID)},
				}},
			{"Sid": "RdsEventsPublish", "Effect": "Allow", "Principal": map[string]any{"Service": Publishers[1]},
				"Action": "sns:Publish", "Resource": topicARN,
				"Condition": map[string]any{
					"StringEquals": account,
					"ArnLike":      map[string]any{"aws:SourceArn": fmt.Sprintf("arn:%s:rds:%s:%s:*", a.Partition, a.Region, a.AccountID)},
				}},
			// "You can't use Condition blocks in Amazon SNS topic policies for EventBridge"
			// (EventBridge User Guide, "Using resource-based policies for Amazon EventBridge",
			// Amazon SNS permissions): a condition here would never match, and every rule's
			// delivery would fail with only the rule's FailedInvocations metric to show it.
			{"Sid": "EventBridgeRulesPublish", "Effect": "Allow", "Principal": map[string]any{"Service": Publishers[2]},
				"Action": "sns:Publish", "Resource": topicARN},
		},
	})
	return string(b), err
}
