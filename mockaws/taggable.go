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
)

// awsTypes are the pulumi-aws resource types the program registers, each with its SDK type:
// the mock engine refuses any other (add it here), and answers tagsAll for exactly the types
// whose SDK resource has a TagsAll output, as the real provider does.
var awsTypes = map[string]reflect.Type{
	"aws:acm/certificate:Certificate":                                      reflect.TypeOf(acm.Certificate{}),
	"aws:acm/certificateValidation:CertificateValidation":                  reflect.TypeOf(acm.CertificateValidation{}),
	"aws:autoscaling/group:Group":                                          reflect.TypeOf(autoscaling.Group{}),
	"aws:cloudfront/distribution:Distribution":                             reflect.TypeOf(cloudfront.Distribution{}),
	"aws:cloudfront/function:Function":                                     reflect.TypeOf(cloudfront.Function{}),
	"aws:cloudfront/originAccessControl:OriginAccessControl":               reflect.TypeOf(cloudfront.OriginAccessControl{}),
	"aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy":           reflect.TypeOf(cloudfront.ResponseHeadersPolicy{}),
	"aws:cloudwatch/dashboard:Dashboard":                                   reflect.TypeOf(cloudwatch.Dashboard{}),
	"aws:cloudwatch/eventRule:EventRule":                                   reflect.TypeOf(cloudwatch.EventRule{}),
	"aws:cloudwatch/eventTarget:EventTarget":                               reflect.TypeOf(cloudwatch.EventTarget{}),
	"aws:cloudwatch/logGroup:LogGroup":                                     reflect.TypeOf(cloudwatch.LogGroup{}),
	"aws:cloudwatch/metricAlarm:MetricAlarm":                               reflect.TypeOf(cloudwatch.MetricAlarm{}),
	"aws:ec2/defaultSecurityGroup:DefaultSecurityGroup":                    reflect.TypeOf(ec2.DefaultSecurityGroup{}),
	"aws:ec2/eip:Eip":                                                      reflect.TypeOf(ec2.Eip{}),
	"aws:ec2/flowLog:FlowLog":                                              reflect.TypeOf(ec2.FlowLog{}),
	"aws:ec2/instance:Instance":                                            reflect.TypeOf(ec2.Instance{}),
	"aws:ec2/internetGateway:InternetGateway":                              reflect.TypeOf(ec2.InternetGateway{}),
	"aws:ec2/launchTemplate:LaunchTemplate":                                reflect.TypeOf(ec2.LaunchTemplate{}),
	"aws:ec2/natGateway:NatGateway":                                        reflect.TypeOf(ec2.NatGateway{}),
	"aws:ec2/route:Route":                                                  reflect.TypeOf(ec2.Route{}),
	"aws:ec2/routeTable:RouteTable":                                        reflect.TypeOf(ec2.RouteTable{}),
	"aws:ec2/routeTableAssociation:RouteTableAssociation":                  reflect.TypeOf(ec2.RouteTableAssociation{}),
	"aws:ec2/securityGroup:SecurityGroup":                                  reflect.TypeOf(ec2.SecurityGroup{}),
	"aws:ec2/subnet:Subnet":                                                reflect.TypeOf(ec2.Subnet{}),
	"aws:ec2/vpc:Vpc":                                                      reflect.TypeOf(ec2.Vpc{}),
	"aws:ec2/vpcEndpoint:VpcEndpoint":                                      reflect.TypeOf(ec2.VpcEndpoint{}),
	"aws:ecr/lifecyclePolicy:LifecyclePolicy":                              reflect.TypeOf(ecr.LifecyclePolicy{}),
	"aws:ecr/repository:Repository":                                        reflect.TypeOf(ecr.Repository{}),
	"aws:elasticache/replicationGroup:ReplicationGroup":                    reflect.TypeOf(elasticache.ReplicationGroup{}),
	"aws:elasticache/subnetGroup:SubnetGroup":                              reflect.TypeOf(elasticache.SubnetGroup{}),
	"aws:iam/instanceProfile:InstanceProfile":                              reflect.TypeOf(iam.InstanceProfile{}),
	"aws:iam/role:Role":                                                    reflect.TypeOf(iam.Role{}),
	"aws:iam/rolePolicy:RolePolicy":                                        reflect.TypeOf(iam.RolePolicy{}),
	"aws:iam/rolePolicyAttachment:RolePolicyAttachment":                    reflect.TypeOf(iam.RolePolicyAttachment{}),
	"aws:kms/alias:Alias":                                                  reflect.TypeOf(kms.Alias{}),
	"aws:kms/key:Key":                                                      reflect.TypeOf(kms.Key{}),
	"aws:lb/listener:Listener":                                             reflect.TypeOf(lb.Listener{}),
	"aws:lb/listenerRule:ListenerRule":                                     reflect.TypeOf(lb.ListenerRule{}),
	"aws:lb/loadBalancer:LoadBalancer":                                     reflect.TypeOf(lb.LoadBalancer{}),
	"aws:lb/targetGroup:TargetGroup":                                       reflect.TypeOf(lb.TargetGroup{}),
	"aws:rds/eventSubscription:EventSubscription":                          reflect.TypeOf(rds.EventSubscription{}),
	"aws:rds/instance:Instance":                                            reflect.TypeOf(rds.Instance{}),
	"aws:rds/optionGroup:OptionGroup":                                      reflect.TypeOf(rds.OptionGroup{}),
	"aws:rds/parameterGroup:ParameterGroup":                                reflect.TypeOf(rds.ParameterGroup{}),
	"aws:rds/subnetGroup:SubnetGroup":                                      reflect.TypeOf(rds.SubnetGroup{}),
	"aws:route53/record:Record":                                            reflect.TypeOf(route53.Record{}),
	"aws:s3/bucketAclV2:BucketAclV2":                                       reflect.TypeOf(s3.BucketAclV2{}),
	"aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2": reflect.TypeOf(s3.BucketLifecycleConfigurationV2{}),
	"aws:s3/bucketLoggingV2:BucketLoggingV2":                               reflect.TypeOf(s3.BucketLoggingV2{}),
	"aws:s3/bucketNotification:BucketNotification":                         reflect.TypeOf(s3.BucketNotification{}),
	"aws:s3/bucketOwnershipControls:BucketOwnershipControls":               reflect.TypeOf(s3.BucketOwnershipControls{}),
	"aws:s3/bucketPolicy:BucketPolicy":                                     reflect.TypeOf(s3.BucketPolicy{}),
	"aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock":               reflect.TypeOf(s3.BucketPublicAccessBlock{}),
	"aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2": reflect.TypeOf(s3.BucketServerSideEncryptionConfigurationV2{}),
	"aws:s3/bucketV2:BucketV2":                                         reflect.TypeOf(s3.BucketV2{}),
	"aws:s3/bucketVersioningV2:BucketVersioningV2":                     reflect.TypeOf(s3.BucketVersioningV2{}),
	"aws:secretsmanager/secret:Secret":                                 reflect.TypeOf(secretsmanager.Secret{}),
	"aws:secretsmanager/secretRotation:SecretRotation":                 reflect.TypeOf(secretsmanager.SecretRotation{}),
	"aws:secretsmanager/secretVersion:SecretVersion":                   reflect.TypeOf(secretsmanager.SecretVersion{}),
	"aws:serverlessrepository/cloudFormationStack:CloudFormationStack": reflect.TypeOf(serverlessrepository.CloudFormationStack{}),
	"aws:sns/topic:Topic":                                              reflect.TypeOf(sns.Topic{}),
	"aws:sns/topicPolicy:TopicPolicy":                                  reflect.TypeOf(sns.TopicPolicy{}),
	"aws:sns/topicSubscription:TopicSubscription":                      reflect.TypeOf(sns.TopicSubscription{}),
	"aws:ssm/parameter:Parameter":                                      reflect.TypeOf(ssm.Parameter{}),
	"aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule":          reflect.TypeOf(vpc.SecurityGroupEgressRule{}),
	"aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule":        reflect.TypeOf(vpc.SecurityGroupIngressRule{}),
	"aws:wafv2/webAcl:WebAcl":                                          reflect.TypeOf(wafv2.WebAcl{}),
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
