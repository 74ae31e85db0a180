package monitoring

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/chatbot"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/webstack/webstack/contract"
)

// ChatbotRegions are the regions that have the AWS Chatbot (Amazon Q Developer in chat
// applications) API; a configuration registered through a provider in any other region fails
// on a host that does not exist. The configuration may subscribe topics of any region (Amazon Q
// Developer in chat applications API Reference, Welcome:
// https://docs.aws.amazon.com/chatbot/latest/APIReference/Welcome.html).
var ChatbotRegions = []string{"us-east-2", "us-west-2", "eu-west-1", "ap-southeast-1"}

// ChatbotLogRegion is where Chatbot writes its log group /aws/chatbot/<configuration name>,
// whatever region its API was called in (AWS CDK aws_chatbot README, "Log Group").
const ChatbotLogRegion = "us-east-1"

// ReadOnlyGuardrail is the AWS managed policy a Slack channel's guardrail is: without a
// guardrail Chatbot applies AdministratorAccess (the pulumi-aws doc comment of
// SlackChannelConfigurationArgs.GuardrailPolicyArns), so that anyone in the channel could act on
// the account through the role.
const ReadOnlyGuardrail = "ReadOnlyAccess"

var (
	// slackTeamID and slackChannelID are the forms of Slack's IDs: a workspace "T…", a public
	// channel "C…", a private one "G…" (the SDK's examples: T07EA123LEP, C07EZ1ABC23).
	slackTeamID    = regexp.MustCompile(`^T[0-9A-Z]{2,}$`)
	slackChannelID = regexp.MustCompile(`^[CG][0-9A-Z]{2,}$`)
	// chatConfigName is what CreateSlackChannelConfiguration accepts as ConfigurationName.
	chatConfigName = regexp.MustCompile(`^[A-Za-z0-9_-]{1,128}$`)
)

// ValidSlackTeamID reports whether id has the form of a Slack workspace (team) ID.
func ValidSlackTeamID(id string) bool { return slackTeamID.MatchString(id) }

// ValidSlackChannelID reports whether id has the form of a Slack channel ID.
func ValidSlackChannelID(id string) bool { return slackChannelID.MatchString(id) }

// SlackChannelArgs configures SlackChannel.
type SlackChannelArgs struct {
	// Name is the channel configuration's name, unique in the account ("webstack-prod-alerts").
	// Required.
	Name string
	// WorkspaceID is the Slack workspace (team) ID, authorized once in the Chatbot console;
	// ChannelID the channel's ID. Required.
	WorkspaceID, ChannelID string
	// TopicARN is the alert topic the channel subscribes to. Required.
	TopicARN pulumi.StringInput
	// Partition is the stack's partition, for the guardrail's ARN. Required.
	Partition string
	// Provider is a provider in one of ChatbotRegions, which the configuration is created
	// through. Required.
	Provider pulumi.ProviderResource
	// LogProvider is a provider in ChatbotLogRegion, through which the configuration's log
	// group is created first with LogRetentionDays. Optional: without it Chatbot creates a group
	// that never expires on its first error.
	LogProvider pulumi.ProviderResource
	// LogRetentionDays is how long the configuration's error log is kept. Required with
	// LogProvider.
	LogRetentionDays int
}

func (a *SlackChannelArgs) validate() error {
	var errs []error
	if !chatConfigName.MatchString(a.Name) {
		errs = append(errs, fmt.Errorf("configuration name %q must be 1 to 128 letters, digits, hyphens and underscores", a.Name))
	}
	if !ValidSlackTeamID(a.WorkspaceID) {
		errs = append(errs, fmt.Errorf("workspace ID %q is not a Slack team ID (T followed by capital letters and digits)", a.WorkspaceID))
	}
	if !ValidSlackChannelID(a.ChannelID) {
		errs = append(errs, fmt.Errorf("channel ID %q is not a Slack channel ID (C or G followed by capital letters and digits)", a.ChannelID))
	}
	if a.TopicARN == nil || a.Partition == "" || a.Provider == nil {
		errs = append(errs, errors.New("topic ARN, partition and a provider in a Chatbot region are required"))
	}
	if a.LogProvider != nil && a.LogRetentionDays < 1 {
		errs = append(errs, errors.New("log retention days are required with a log provider"))
	}
	return errors.Join(errs...)
}

// SlackChannel is the alert topic's Slack channel through AWS Chatbot.
type SlackChannel struct {
	pulumi.ResourceState

	// ConfigurationARN is the Chatbot channel configuration's ARN.
	ConfigurationARN pulumi.StringOutput `pulumi:"configurationArn"`
}

// NewSlackChannel registers the role Chatbot assumes (CloudWatch read only), the
// configuration's log group, and the Slack channel configuration subscribed to the alert topic
// with the read-only guardrail and error logging.
//
// The topic's key policy needs nothing for Chatbot: SNS decrypts a message before it delivers it
// to a subscriber, and only publishers use the key (Amazon SNS Developer Guide, "Key
// management"). The account must have authorized the Slack workspace once in the Chatbot
// console, and a channel can have one configuration per account (docs/alerts.md).
func NewSlackChannel(ctx *pulumi.Context, name string, args *SlackChannelArgs, opts ...pulumi.ResourceOption) (*SlackChannel, error) {
	if args == nil {
		return nil, errors.New("monitoring: slack channel: args are required")
	}
	a := *args
	if err := a.validate(); err != nil {
		return nil, fmt.Errorf("monitoring: slack channel: %w", err)
	}
	sc := &SlackChannel{}
	if err := ctx.RegisterComponentResource(contract.TypeMonitoringSlackChannel, name, sc, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(sc)

	role, err := iam.NewRole(ctx, name+"-role", &iam.RoleArgs{
		Description:      pulumi.Sprintf("%s: AWS Chatbot reads CloudWatch for the alert channel", a.Name),
		AssumeRolePolicy: pulumi.String(servicePrincipalTrust("chatbot.amazonaws.com")),
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("monitoring: slack channel: role: %w", err)
	}
	// The console's "Notification permissions" template: what rendering an alarm needs.
	readCloudWatch, err := json.Marshal(map[string]any{
		"Version": "2012-10-17",
		"Statement": []map[string]any{{"Sid": "ChatbotReadsCloudWatch", "Effect": "Allow",
			"Action": []string{"cloudwatch:Describe*", "cloudwatch:Get*", "cloudwatch:List*"}, "Resource": "*"}},
	})
	if err != nil {
		return nil, fmt.Errorf("monitoring: slack channel: role policy: %w", err)
	}
	rolePolicy, err := iam.NewRolePolicy(ctx, name+"-role-policy", &iam.RolePolicyArgs{
		Role:   role.ID(),
		Policy: pulumi.String(string(readCloudWatch)),
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("monitoring: slack channel: role policy: %w", err)
	}
	deps := []pulumi.Resource{rolePolicy}
	if a.LogProvider != nil {
		lg, err := cloudwatch.NewLogGroup(ctx, name+"-logs", &cloudwatch.LogGroupArgs{
			Name:            pulumi.String("/aws/chatbot/" + a.Name),
			RetentionInDays: pulumi.Int(a.LogRetentionDays),
		}, parent, pulumi.Provider(a.LogProvider))
		if err != nil {
			return nil, fmt.Errorf("monitoring: slack channel: log group: %w", err)
		}
		deps = append(deps, lg)
	}
	cfg, err := chatbot.NewSlackChannelConfiguration(ctx, name, &chatbot.SlackChannelConfigurationArgs{
		ConfigurationName:   pulumi.String(a.Name),
		IamRoleArn:          role.Arn,
		SlackTeamId:         pulumi.String(a.WorkspaceID),
		SlackChannelId:      pulumi.String(a.ChannelID),
		SnsTopicArns:        pulumi.StringArray{a.TopicARN},
		GuardrailPolicyArns: pulumi.StringArray{pulumi.String(fmt.Sprintf("arn:%s:iam::aws:policy/%s", a.Partition, ReadOnlyGuardrail))},
		LoggingLevel:        pulumi.String("ERROR"),
	}, parent, pulumi.Provider(a.Provider), pulumi.DependsOn(deps))
	if err != nil {
		return nil, fmt.Errorf("monitoring: slack channel: configuration: %w", err)
	}
	sc.ConfigurationARN = cfg.ChatConfigurationArn
	if err := ctx.RegisterResourceOutputs(sc, pulumi.Map{"configurationArn": sc.ConfigurationARN}); err != nil {
		return nil, err
	}
	return sc, nil
}

// servicePrincipalTrust is a trust policy that lets one AWS service assume a role.
func servicePrincipalTrust(service string) string {
	b, _ := json.Marshal(map[string]any{
		"Version": "2012-10-17",
		"Statement": []map[string]any{{"Effect": "Allow", "Principal": map[string]any{"Service": service},
			"Action": "sts:AssumeRole"}},
	})
	return string(b)
}

// IsChatbotRegion reports whether region has the Chatbot API.
func IsChatbotRegion(region string) bool { return slices.Contains(ChatbotRegions, region) }
