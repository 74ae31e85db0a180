package policy

// Resource type tokens the checks judge (pulumi-aws v6.83.0). The lb and alb modules register
// the same AWS resources under two tokens; the checks accept both.
const (
	tVpc               = "aws:ec2/vpc:Vpc"
	tSubnet            = "aws:ec2/subnet:Subnet"
	tDefaultSG         = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"
	tSecurityGroup     = "aws:ec2/securityGroup:SecurityGroup"
	tSecurityGroupRule = "aws:ec2/securityGroupRule:SecurityGroupRule"
	tIngressRule       = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
	tNetworkACLRule    = "aws:ec2/networkAclRule:NetworkAclRule"
	tFlowLog           = "aws:ec2/flowLog:FlowLog"
	tVpcEndpoint       = "aws:ec2/vpcEndpoint:VpcEndpoint"
	tNatGateway        = "aws:ec2/natGateway:NatGateway"
	tRoute             = "aws:ec2/route:Route"
	tRouteTable        = "aws:ec2/routeTable:RouteTable"
	tRouteTableAssoc   = "aws:ec2/routeTableAssociation:RouteTableAssociation"
	tInstance          = "aws:ec2/instance:Instance"
	tLaunchTemplate    = "aws:ec2/launchTemplate:LaunchTemplate"
	tInstanceProfile   = "aws:iam/instanceProfile:InstanceProfile"
	tRole              = "aws:iam/role:Role"
	tPolicy            = "aws:iam/policy:Policy"
	tRolePolicy        = "aws:iam/rolePolicy:RolePolicy"
	tRolePolicyAttach  = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
	tASG               = "aws:autoscaling/group:Group"
	tLB                = "aws:lb/loadBalancer:LoadBalancer"
	tALB               = "aws:alb/loadBalancer:LoadBalancer"
	tListener          = "aws:lb/listener:Listener"
	tALBListener       = "aws:alb/listener:Listener"
	tTargetGroup       = "aws:lb/targetGroup:TargetGroup"
	tALBTargetGroup    = "aws:alb/targetGroup:TargetGroup"
	tDBInstance        = "aws:rds/instance:Instance"
	tReplicationGroup  = "aws:elasticache/replicationGroup:ReplicationGroup"
	tBucketV2          = "aws:s3/bucketV2:BucketV2"
	tBucket            = "aws:s3/bucket:Bucket"
	tBucketPAB         = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
	tBucketOwnership   = "aws:s3/bucketOwnershipControls:BucketOwnershipControls"
	tBucketLogging     = "aws:s3/bucketLoggingV2:BucketLoggingV2"
	tBucketVersioning  = "aws:s3/bucketVersioningV2:BucketVersioningV2"
	tBucketSSE         = "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2"
	tBucketPolicy      = "aws:s3/bucketPolicy:BucketPolicy"
	tBucketLifecycle   = "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2"
	tDistribution      = "aws:cloudfront/distribution:Distribution"
	tLogGroup          = "aws:cloudwatch/logGroup:LogGroup"
	tMetricAlarm       = "aws:cloudwatch/metricAlarm:MetricAlarm"
	tTopic             = "aws:sns/topic:Topic"
	tTopicPolicy       = "aws:sns/topicPolicy:TopicPolicy"
	tCertificate       = "aws:acm/certificate:Certificate"
	tKMSKey            = "aws:kms/key:Key"
	tTopicSubscription = "aws:sns/topicSubscription:TopicSubscription"
	tEventSubscription = "aws:rds/eventSubscription:EventSubscription"
	tParameterGroup    = "aws:rds/parameterGroup:ParameterGroup"
)

var (
	loadBalancerTypes = []string{tLB, tALB}
	listenerTypes     = []string{tListener, tALBListener}
	targetGroupTypes  = []string{tTargetGroup, tALBTargetGroup}
	bucketTypes       = []string{tBucketV2, tBucket}
)
