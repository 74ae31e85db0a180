package mockaws

import (
	"reflect"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/acm"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/autoscaling"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudfront"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ecr"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/elasticache"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lb"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/rds"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/route53"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/secretsmanager"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/serverlessrepository"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sns"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ssm"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/vpc"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/wafv2"
	"github.com/webstack/webstack/contract"
)

// awsTypes are the pulumi-aws resource types the program registers, each with its SDK type:
// the mock engine refuses any other (add it here), and answers tagsAll for exactly the types
// whose SDK resource has a TagsAll output, as the real provider does.
var awsTypes = map[string]reflect.Type{
	contract.TypeACMCertificate:                              reflect.TypeOf(acm.Certificate{}),
	contract.TypeACMCertificateValidation:                    reflect.TypeOf(acm.CertificateValidation{}),
	contract.TypeAutoscalingGroup:                            reflect.TypeOf(autoscaling.Group{}),
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
	contract.TypeSSMParameter:                                reflect.TypeOf(ssm.Parameter{}),
	contract.TypeVPCSecurityGroupEgressRule:                  reflect.TypeOf(vpc.SecurityGroupEgressRule{}),
	contract.TypeVPCSecurityGroupIngressRule:                 reflect.TypeOf(vpc.SecurityGroupIngressRule{}),
	contract.TypeWAFv2WebACL:                                 reflect.TypeOf(wafv2.WebAcl{}),
}

// Taggable reports whether the provider computes tagsAll (its default tags merged with the
// resource's own tags) for a resource type: whether the type takes tags at all.
func Taggable(typ string) bool {
	t, ok := awsTypes[typ]
	if !ok {
		return false
	}
	_, has := t.FieldByName("TagsAll")
	return has
}
