package mockaws

import (
	"reflect"
	"strings"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/acm"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/autoscaling"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/chatbot"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudfront"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ecr"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/elasticache"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lambda"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lb"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/rds"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/route53"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/secretsmanager"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/serverlessrepository"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sns"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sqs"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ssm"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/vpc"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/wafv2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/webstack/webstack/contract"
)

func TestTaggable(t *testing.T) {
	for typ, want := range map[string]bool{
		"aws:ec2/vpc:Vpc":                      true,
		"aws:sns/topic:Topic":                  true,
		"aws:ec2/route:Route":                  false,
		"aws:iam/rolePolicy:RolePolicy":        false,
		"aws:autoscaling/group:Group":          false, // tags are blocks, propagated by the group itself
		"aws:ec2/notRegisteredHere:Anything":   false,
		"random:index/randomPassword:Password": false,
	} {
		if got := Taggable(typ); got != want {
			t.Errorf("Taggable(%s) = %v, want %v", typ, got, want)
		}
	}
	for typ, rt := range sdkTypes {
		// The token's last part names the SDK type.
		if name := typ[strings.LastIndex(typ, ":")+1:]; rt.Name() != name {
			t.Errorf("sdkTypes[%s] is %s", typ, rt.Name())
		}
		taggable, known := awsTypes[typ]
		if _, has := rt.FieldByName("TagsAll"); !known || taggable != has {
			t.Errorf("awsTypes[%s] = %v (known %v), but its SDK type %s has a TagsAll output: %v", typ, taggable, known, rt, has)
		}
	}
	for typ := range awsTypes {
		if sdkTypes[typ] == nil {
			t.Errorf("awsTypes knows %s, which sdkTypes does not map to its SDK type", typ)
		}
	}
}

// sdkTypes maps each type awsTypes knows to its SDK type: the truth awsTypes is held to.
var sdkTypes = map[string]reflect.Type{
	contract.TypeACMCertificate:                              reflect.TypeOf(acm.Certificate{}),
	contract.TypeACMCertificateValidation:                    reflect.TypeOf(acm.CertificateValidation{}),
	contract.TypeAutoscalingGroup:                            reflect.TypeOf(autoscaling.Group{}),
	contract.TypeChatbotSlackChannelConfiguration:            reflect.TypeOf(chatbot.SlackChannelConfiguration{}),
	contract.TypeCloudFrontDistribution:                      reflect.TypeOf(cloudfront.Distribution{}),
	contract.TypeCloudFrontFunction:                          reflect.TypeOf(cloudfront.Function{}),
	contract.TypeCloudFrontOriginAccessControl:               reflect.TypeOf(cloudfront.OriginAccessControl{}),
	contract.TypeCloudFrontResponseHeadersPolicy:             reflect.TypeOf(cloudfront.ResponseHeadersPolicy{}),
	contract.TypeCloudWatchDashboard:                         reflect.TypeOf(cloudwatch.Dashboard{}),
	contract.TypeCloudWatchEventRule:                         reflect.TypeOf(cloudwatch.EventRule{}),
	contract.TypeCloudWatchEventTarget:                       reflect.TypeOf(cloudwatch.EventTarget{}),
	contract.TypeCloudWatchLogGroup:                          reflect.TypeOf(cloudwatch.LogGroup{}),
	contract.TypeCloudWatchMetricAlarm:                       reflect.TypeOf(cloudwatch.MetricAlarm{}),
	contract.TypeEC2DefaultSecurityGroup:                     reflect.TypeOf(ec2.DefaultSecurityGroup{}),
	contract.TypeEC2EIP:                                      reflect.TypeOf(ec2.Eip{}),
	contract.TypeEC2FlowLog:                                  reflect.TypeOf(ec2.FlowLog{}),
	contract.TypeEC2Instance:                                 reflect.TypeOf(ec2.Instance{}),
	contract.TypeEC2InternetGateway:                          reflect.TypeOf(ec2.InternetGateway{}),
	contract.TypeEC2LaunchTemplate:                           reflect.TypeOf(ec2.LaunchTemplate{}),
	contract.TypeEC2NatGateway:                               reflect.TypeOf(ec2.NatGateway{}),
	contract.TypeEC2Route:                                    reflect.TypeOf(ec2.Route{}),
	contract.TypeEC2RouteTable:                               reflect.TypeOf(ec2.RouteTable{}),
	contract.TypeEC2RouteTableAssociation:                    reflect.TypeOf(ec2.RouteTableAssociation{}),
	contract.TypeEC2SecurityGroup:                            reflect.TypeOf(ec2.SecurityGroup{}),
	contract.TypeEC2Subnet:                                   reflect.TypeOf(ec2.Subnet{}),
	contract.TypeEC2VPC:                                      reflect.TypeOf(ec2.Vpc{}),
	contract.TypeEC2VPCEndpoint:                              reflect.TypeOf(ec2.VpcEndpoint{}),
	contract.TypeECRLifecyclePolicy:                          reflect.TypeOf(ecr.LifecyclePolicy{}),
	contract.TypeECRRepository:                               reflect.TypeOf(ecr.Repository{}),
	contract.TypeElastiCacheReplicationGroup:                 reflect.TypeOf(elasticache.ReplicationGroup{}),
	contract.TypeElastiCacheSubnetGroup:                      reflect.TypeOf(elasticache.SubnetGroup{}),
	contract.TypeIAMInstanceProfile:                          reflect.TypeOf(iam.InstanceProfile{}),
	contract.TypeIAMRole:                                     reflect.TypeOf(iam.Role{}),
	contract.TypeIAMRolePolicy:                               reflect.TypeOf(iam.RolePolicy{}),
	contract.TypeIAMRolePolicyAttachment:                     reflect.TypeOf(iam.RolePolicyAttachment{}),
	contract.TypeKMSAlias:                                    reflect.TypeOf(kms.Alias{}),
	contract.TypeKMSKey:                                      reflect.TypeOf(kms.Key{}),
	contract.TypeLambdaFunction:                              reflect.TypeOf(lambda.Function{}),
	contract.TypeLambdaFunctionEventInvokeConfig:             reflect.TypeOf(lambda.FunctionEventInvokeConfig{}),
	contract.TypeLambdaPermission:                            reflect.TypeOf(lambda.Permission{}),
	contract.TypeLBListener:                                  reflect.TypeOf(lb.Listener{}),
	contract.TypeLBListenerRule:                              reflect.TypeOf(lb.ListenerRule{}),
	contract.TypeLBLoadBalancer:                              reflect.TypeOf(lb.LoadBalancer{}),
	contract.TypeLBTargetGroup:                               reflect.TypeOf(lb.TargetGroup{}),
	contract.TypeRDSEventSubscription:                        reflect.TypeOf(rds.EventSubscription{}),
	contract.TypeRDSInstance:                                 reflect.TypeOf(rds.Instance{}),
	contract.TypeRDSOptionGroup:                              reflect.TypeOf(rds.OptionGroup{}),
	contract.TypeRDSParameterGroup:                           reflect.TypeOf(rds.ParameterGroup{}),
	contract.TypeRDSSubnetGroup:                              reflect.TypeOf(rds.SubnetGroup{}),
	contract.TypeRoute53Record:                               reflect.TypeOf(route53.Record{}),
	contract.TypeS3BucketACLV2:                               reflect.TypeOf(s3.BucketAclV2{}),
	contract.TypeS3BucketLifecycleConfigurationV2:            reflect.TypeOf(s3.BucketLifecycleConfigurationV2{}),
	contract.TypeS3BucketLoggingV2:                           reflect.TypeOf(s3.BucketLoggingV2{}),
	contract.TypeS3BucketNotification:                        reflect.TypeOf(s3.BucketNotification{}),
	contract.TypeS3BucketOwnershipControls:                   reflect.TypeOf(s3.BucketOwnershipControls{}),
	contract.TypeS3BucketPolicy:                              reflect.TypeOf(s3.BucketPolicy{}),
	contract.TypeS3BucketPublicAccessBlock:                   reflect.TypeOf(s3.BucketPublicAccessBlock{}),
	contract.TypeS3BucketServerSideEncryptionConfigurationV2: reflect.TypeOf(s3.BucketServerSideEncryptionConfigurationV2{}),
	contract.TypeS3BucketV2:                                  reflect.TypeOf(s3.BucketV2{}),
	contract.TypeS3BucketVersioningV2:                        reflect.TypeOf(s3.BucketVersioningV2{}),
	contract.TypeSecretsManagerSecret:                        reflect.TypeOf(secretsmanager.Secret{}),
	contract.TypeSecretsManagerSecretRotation:                reflect.TypeOf(secretsmanager.SecretRotation{}),
	contract.TypeSecretsManagerSecretVersion:                 reflect.TypeOf(secretsmanager.SecretVersion{}),
	contract.TypeServerlessRepositoryCloudFormationStack:     reflect.TypeOf(serverlessrepository.CloudFormationStack{}),
	contract.TypeSNSTopic:                                    reflect.TypeOf(sns.Topic{}),
	contract.TypeSNSTopicPolicy:                              reflect.TypeOf(sns.TopicPolicy{}),
	contract.TypeSNSTopicSubscription:                        reflect.TypeOf(sns.TopicSubscription{}),
	contract.TypeSQSQueue:                                    reflect.TypeOf(sqs.Queue{}),
	contract.TypeSSMParameter:                                reflect.TypeOf(ssm.Parameter{}),
	contract.TypeVPCSecurityGroupEgressRule:                  reflect.TypeOf(vpc.SecurityGroupEgressRule{}),
	contract.TypeVPCSecurityGroupIngressRule:                 reflect.TypeOf(vpc.SecurityGroupIngressRule{}),
	contract.TypeWAFv2WebACL:                                 reflect.TypeOf(wafv2.WebAcl{}),
}

func TestDefaultTagsAndUnknownTypes(t *testing.T) {
	res, err := Run("webstack", "unit", Options{Region: "ap-northeast-2"}, func(ctx *pulumi.Context) error {
		_, err := ec2.NewVpc(ctx, "plain", &ec2.VpcArgs{CidrBlock: pulumi.String("10.0.0.0/16")})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	// Without tags of its own and with the default provider, the VPC still reports tagsAll.
	if v := res.Find("aws:ec2/vpc:Vpc", "plain"); v == nil || v.Output("tagsAll") == nil {
		t.Errorf("a taggable resource without tags has no tagsAll: %v", v)
	}

	_, err = Run("webstack", "unit", Options{Region: "ap-northeast-2"}, func(ctx *pulumi.Context) error {
		var r pulumi.CustomResourceState
		return ctx.RegisterResource("aws:ec2/madeUp:MadeUp", "x", pulumi.Map{}, &r)
	})
	if err == nil || !strings.Contains(err.Error(), "not in awsTypes") {
		t.Errorf("an unknown resource type was accepted: %v", err)
	}
}
