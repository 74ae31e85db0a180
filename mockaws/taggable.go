package mockaws

import "github.com/webstack/webstack/contract"

// awsTypes are the pulumi-aws resource types the program registers, each with whether the
// provider computes tagsAll for it (its SDK resource has a TagsAll output): the mock engine
// refuses any other type (add it here, and its SDK type to sdkTypes in taggable_test.go, which
// holds this table to the SDK). A table of booleans rather than of SDK types, so that linking
// the mock engine does not link every pulumi-aws package: a tier's tests link only the SDK
// packages that tier uses, and each pulumi-aws package costs seconds of linking per test binary.
var awsTypes = map[string]bool{
	contract.TypeACMCertificate:                              true,
	contract.TypeACMCertificateValidation:                    false,
	contract.TypeAutoscalingGroup:                            false,
	contract.TypeCloudFrontDistribution:                      true,
	contract.TypeCloudFrontFunction:                          false,
	contract.TypeCloudFrontOriginAccessControl:               false,
	contract.TypeCloudFrontResponseHeadersPolicy:             false,
	contract.TypeCloudWatchDashboard:                         false,
	contract.TypeCloudWatchEventRule:                         true,
	contract.TypeCloudWatchEventTarget:                       false,
	contract.TypeCloudWatchLogGroup:                          true,
	contract.TypeCloudWatchMetricAlarm:                       true,
	contract.TypeEC2DefaultSecurityGroup:                     true,
	contract.TypeEC2EIP:                                      true,
	contract.TypeEC2FlowLog:                                  true,
	contract.TypeEC2Instance:                                 true,
	contract.TypeEC2InternetGateway:                          true,
	contract.TypeEC2LaunchTemplate:                           true,
	contract.TypeEC2NatGateway:                               true,
	contract.TypeEC2Route:                                    false,
	contract.TypeEC2RouteTable:                               true,
	contract.TypeEC2RouteTableAssociation:                    false,
	contract.TypeEC2SecurityGroup:                            true,
	contract.TypeEC2Subnet:                                   true,
	contract.TypeEC2VPC:                                      true,
	contract.TypeEC2VPCEndpoint:                              true,
	contract.TypeECRLifecyclePolicy:                          false,
	contract.TypeECRRepository:                               true,
	contract.TypeElastiCacheReplicationGroup:                 true,
	contract.TypeElastiCacheSubnetGroup:                      true,
	contract.TypeIAMInstanceProfile:                          true,
	contract.TypeIAMRole:                                     true,
	contract.TypeIAMRolePolicy:                               false,
	contract.TypeIAMRolePolicyAttachment:                     false,
	contract.TypeKMSAlias:                                    false,
	contract.TypeKMSKey:                                      true,
	contract.TypeLBListener:                                  true,
	contract.TypeLBListenerRule:                              true,
	contract.TypeLBLoadBalancer:                              true,
	contract.TypeLBTargetGroup:                               true,
	contract.TypeRDSEventSubscription:                        true,
	contract.TypeRDSInstance:                                 true,
	contract.TypeRDSOptionGroup:                              true,
	contract.TypeRDSParameterGroup:                           true,
	contract.TypeRDSSubnetGroup:                              true,
	contract.TypeRoute53Record:                               false,
	contract.TypeS3BucketACLV2:                               false,
	contract.TypeS3BucketLifecycleConfigurationV2:            false,
	contract.TypeS3BucketLoggingV2:                           false,
	contract.TypeS3BucketNotification:                        false,
	contract.TypeS3BucketOwnershipControls:                   false,
	contract.TypeS3BucketPolicy:                              false,
	contract.TypeS3BucketPublicAccessBlock:                   false,
	contract.TypeS3BucketServerSideEncryptionConfigurationV2: false,
	contract.TypeS3BucketV2:                                  true,
	contract.TypeS3BucketVersioningV2:                        false,
	contract.TypeSecretsManagerSecret:                        true,
	contract.TypeSecretsManagerSecretRotation:                false,
	contract.TypeSecretsManagerSecretVersion:                 false,
	contract.TypeServerlessRepositoryCloudFormationStack:     true,
	contract.TypeSNSTopic:                                    true,
	contract.TypeSNSTopicPolicy:                              false,
	contract.TypeSNSTopicSubscription:                        false,
	contract.TypeSSMParameter:                                true,
	contract.TypeVPCSecurityGroupEgressRule:                  true,
	contract.TypeVPCSecurityGroupIngressRule:                 true,
	contract.TypeWAFv2WebACL:                                 true,
}

// Taggable reports whether the provider computes tagsAll (its default tags merged with the
// resource's own tags) for a resource type: whether the type takes tags at all.
func Taggable(typ string) bool { return awsTypes[typ] }
