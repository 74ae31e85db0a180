package contract

// Type tokens of the resources webstack registers (pulumi-aws v6.83.0, pulumi-random v4), as
// the analyses match them: the checks (policy), the plan's views, the AZ-loss analysis
// (resilience) and the mock engine (mockaws). Names are Type, the module's and the resource's
// names, with Go's initialisms. The lb and alb modules register the same AWS resources under
// two tokens; the analyses accept both.
const (
	// TypeAWSProvider is the AWS provider's token.
	TypeAWSProvider = "pulumi:providers:aws"
	// TypeStackReference is the token of a reference to another stack's outputs.
	TypeStackReference = "pulumi:pulumi:StackReference"

	TypeACMCertificate           = "aws:acm/certificate:Certificate"
	TypeACMCertificateValidation = "aws:acm/certificateValidation:CertificateValidation"

	TypeALBListener     = "aws:alb/listener:Listener"
	TypeALBLoadBalancer = "aws:alb/loadBalancer:LoadBalancer"
	TypeALBTargetGroup  = "aws:alb/targetGroup:TargetGroup"

	TypeAutoscalingGroup = "aws:autoscaling/group:Group"

	TypeChatbotSlackChannelConfiguration = "aws:chatbot/slackChannelConfiguration:SlackChannelConfiguration"

	TypeCloudFrontDistribution          = "aws:cloudfront/distribution:Distribution"
	TypeCloudFrontFunction              = "aws:cloudfront/function:Function"
	TypeCloudFrontOriginAccessControl   = "aws:cloudfront/originAccessControl:OriginAccessControl"
	TypeCloudFrontResponseHeadersPolicy = "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy"

	TypeCloudWatchDashboard   = "aws:cloudwatch/dashboard:Dashboard"
	TypeCloudWatchEventRule   = "aws:cloudwatch/eventRule:EventRule"
	TypeCloudWatchEventTarget = "aws:cloudwatch/eventTarget:EventTarget"
	TypeCloudWatchLogGroup    = "aws:cloudwatch/logGroup:LogGroup"
	TypeCloudWatchMetricAlarm = "aws:cloudwatch/metricAlarm:MetricAlarm"

	TypeEC2DefaultSecurityGroup  = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"
	TypeEC2EIP                   = "aws:ec2/eip:Eip"
	TypeEC2FlowLog               = "aws:ec2/flowLog:FlowLog"
	TypeEC2Instance              = "aws:ec2/instance:Instance"
	TypeEC2InternetGateway       = "aws:ec2/internetGateway:InternetGateway"
	TypeEC2LaunchTemplate        = "aws:ec2/launchTemplate:LaunchTemplate"
	TypeEC2NatGateway            = "aws:ec2/natGateway:NatGateway"
	TypeEC2NetworkACLRule        = "aws:ec2/networkAclRule:NetworkAclRule"
	TypeEC2Route                 = "aws:ec2/route:Route"
	TypeEC2RouteTable            = "aws:ec2/routeTable:RouteTable"
	TypeEC2RouteTableAssociation = "aws:ec2/routeTableAssociation:RouteTableAssociation"
	TypeEC2SecurityGroup         = "aws:ec2/securityGroup:SecurityGroup"
	TypeEC2SecurityGroupRule     = "aws:ec2/securityGroupRule:SecurityGroupRule"
	TypeEC2Subnet                = "aws:ec2/subnet:Subnet"
	TypeEC2VPC                   = "aws:ec2/vpc:Vpc"
	TypeEC2VPCEndpoint           = "aws:ec2/vpcEndpoint:VpcEndpoint"

	TypeECRLifecyclePolicy = "aws:ecr/lifecyclePolicy:LifecyclePolicy"
	TypeECRRepository      = "aws:ecr/repository:Repository"

	TypeElastiCacheReplicationGroup = "aws:elasticache/replicationGroup:ReplicationGroup"
	TypeElastiCacheSubnetGroup      = "aws:elasticache/subnetGroup:SubnetGroup"

	TypeIAMInstanceProfile      = "aws:iam/instanceProfile:InstanceProfile"
	TypeIAMPolicy               = "aws:iam/policy:Policy"
	TypeIAMRole                 = "aws:iam/role:Role"
	TypeIAMRolePolicy           = "aws:iam/rolePolicy:RolePolicy"
	TypeIAMRolePolicyAttachment = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"

	TypeKMSAlias = "aws:kms/alias:Alias"
	TypeKMSKey   = "aws:kms/key:Key"
	// TypeKMSKeyPolicy is a key's policy managed apart from the key (the uploads key's,
	// which names the distribution created after the key).
	TypeKMSKeyPolicy = "aws:kms/keyPolicy:KeyPolicy"

	TypeLambdaFunction                  = "aws:lambda/function:Function"
	TypeLambdaFunctionEventInvokeConfig = "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig"
	TypeLambdaPermission                = "aws:lambda/permission:Permission"

	TypeLBListener     = "aws:lb/listener:Listener"
	TypeLBListenerRule = "aws:lb/listenerRule:ListenerRule"
	TypeLBLoadBalancer = "aws:lb/loadBalancer:LoadBalancer"
	TypeLBTargetGroup  = "aws:lb/targetGroup:TargetGroup"

	TypeRDSEventSubscription = "aws:rds/eventSubscription:EventSubscription"
	TypeRDSInstance          = "aws:rds/instance:Instance"
	TypeRDSOptionGroup       = "aws:rds/optionGroup:OptionGroup"
	TypeRDSParameterGroup    = "aws:rds/parameterGroup:ParameterGroup"
	TypeRDSSubnetGroup       = "aws:rds/subnetGroup:SubnetGroup"

	TypeRoute53Record = "aws:route53/record:Record"

	TypeS3Bucket                                    = "aws:s3/bucket:Bucket"
	TypeS3BucketACLV2                               = "aws:s3/bucketAclV2:BucketAclV2"
	TypeS3BucketCORSConfigurationV2                 = "aws:s3/bucketCorsConfigurationV2:BucketCorsConfigurationV2"
	TypeS3BucketLifecycleConfigurationV2            = "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2"
	TypeS3BucketLoggingV2                           = "aws:s3/bucketLoggingV2:BucketLoggingV2"
	TypeS3BucketNotification                        = "aws:s3/bucketNotification:BucketNotification"
	TypeS3BucketOwnershipControls                   = "aws:s3/bucketOwnershipControls:BucketOwnershipControls"
	TypeS3BucketPolicy                              = "aws:s3/bucketPolicy:BucketPolicy"
	TypeS3BucketPublicAccessBlock                   = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
	TypeS3BucketServerSideEncryptionConfigurationV2 = "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2"
	TypeS3BucketV2                                  = "aws:s3/bucketV2:BucketV2"
	TypeS3BucketVersioningV2                        = "aws:s3/bucketVersioningV2:BucketVersioningV2"

	TypeSecretsManagerSecret         = "aws:secretsmanager/secret:Secret"
	TypeSecretsManagerSecretRotation = "aws:secretsmanager/secretRotation:SecretRotation"
	TypeSecretsManagerSecretVersion  = "aws:secretsmanager/secretVersion:SecretVersion"

	TypeServerlessRepositoryCloudFormationStack = "aws:serverlessrepository/cloudFormationStack:CloudFormationStack"

	TypeSNSTopic             = "aws:sns/topic:Topic"
	TypeSNSTopicPolicy       = "aws:sns/topicPolicy:TopicPolicy"
	TypeSNSTopicSubscription = "aws:sns/topicSubscription:TopicSubscription"

	TypeSQSQueue = "aws:sqs/queue:Queue"

	TypeSSMParameter = "aws:ssm/parameter:Parameter"

	TypeVPCSecurityGroupEgressRule  = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"
	TypeVPCSecurityGroupIngressRule = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"

	TypeWAFv2WebACL = "aws:wafv2/webAcl:WebAcl"

	TypeRandomID       = "random:index/randomId:RandomId"
	TypeRandomPassword = "random:index/randomPassword:RandomPassword"
)

// Tokens of the provider functions (invokes) the program calls, as the mock engine answers
// them.
const (
	InvokeEC2GetManagedPrefixList = "aws:ec2/getManagedPrefixList:getManagedPrefixList"
	InvokeECRGetImage             = "aws:ecr/getImage:getImage"
	InvokeECRGetRepository        = "aws:ecr/getRepository:getRepository"
	InvokeELBGetServiceAccount    = "aws:elb/getServiceAccount:getServiceAccount"
	InvokeGetAvailabilityZones    = "aws:index/getAvailabilityZones:getAvailabilityZones"
	InvokeGetCallerIdentity       = "aws:index/getCallerIdentity:getCallerIdentity"
	InvokeGetPartition            = "aws:index/getPartition:getPartition"
	InvokeGetRegion               = "aws:index/getRegion:getRegion"
	InvokeRoute53GetZone          = "aws:route53/getZone:getZone"
	InvokeS3GetCanonicalUserID    = "aws:s3/getCanonicalUserId:getCanonicalUserId"
	InvokeSSMGetParameter         = "aws:ssm/getParameter:getParameter"
)

// Component type tokens: the tiers register their components under these, and a resource's
// URN carries its parents' tokens, so the release tool finds what a step may change by them.
const (
	TypeCompute             = "webstack:compute:Compute"
	TypeComputeFleet        = "webstack:compute:Fleet"
	TypeComputeInstanceRole = "webstack:compute:InstanceRole"
	TypeComputeLoadBalancer = "webstack:compute:LoadBalancer"
	TypeComputeRepository   = "webstack:compute:Repository"
	TypeDataCache           = "webstack:data:Cache"
	TypeDataDatabase        = "webstack:data:Database"
	TypeEdge                = "webstack:edge:Edge"
	TypeEdgeOrigin          = "webstack:edge:Origin"
	TypeMonitoringAlerts    = "webstack:monitoring:Alerts"
	TypeMonitoringDashboard = "webstack:monitoring:Dashboard"
	TypeNetworkBastion      = "webstack:network:Bastion"
	TypeNetwork             = "webstack:network:Network"
	// TypeAppSettings is the app's settings in Parameter Store, registered by the wiring.
	TypeAppSettings            = "webstack:stack:AppSettings"
	TypeComputeMigrationRunner = "webstack:compute:MigrationRunner"
	TypeEdgeUploads            = "webstack:edge:Uploads"
	TypeMonitoringSlackChannel = "webstack:monitoring:SlackChannel"
	TypeMonitoringWebhook      = "webstack:monitoring:Webhook"
)
