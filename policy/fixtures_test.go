package policy

import (
	"encoding/base64"
	"encoding/json"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/webstack/webstack/contract"
	"github.com/webstack/webstack/mockaws"
)

// fx is a synthetic resource: what a program would have registered, built directly.
type fx struct {
	typ, name, id string
	in            map[string]any
	state         map[string]any
	protect       bool
}

// policyJSON renders a policy document as the JSON text programs register.
func policyJSON(statements ...map[string]any) string {
	b, err := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": statements})
	if err != nil {
		panic(err)
	}
	return string(b)
}

// compliant returns a small stack in which every check has a resource to judge and every
// resource complies. Negative tests break one field of it.
func compliant() []*fx {
	sslDeny := map[string]any{"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::site/*",
		"Condition": map[string]any{"Bool": map[string]any{"aws:SecureTransport": "false"}}}
	oac := map[string]any{"Effect": "Allow", "Principal": map[string]any{"Service": "cloudfront.amazonaws.com"}, "Action": "s3:GetObject",
		"Resource": "arn:aws:s3:::site/*", "Condition": map[string]any{"StringEquals": map[string]any{"AWS:SourceArn": "arn:aws:cloudfront::1:distribution/d"}}}
	elbLogs := map[string]any{"Effect": "Allow", "Principal": map[string]any{"Service": "logdelivery.elasticloadbalancing.amazonaws.com"}, "Action": "s3:PutObject",
		"Resource": "arn:aws:s3:::site-bucket/alb/AWSLogs/1/*"}
	fxs := []*fx{
		{typ: contract.TypeAWSProvider, name: "aws", in: map[string]any{"region": "ap-northeast-2"}},
		{typ: contract.TypeEC2VPC, name: "vpc", id: "vpc-1", in: map[string]any{"cidrBlock": "10.0.0.0/16"}},
		{typ: contract.TypeEC2DefaultSecurityGroup, name: "vpc-default-sg", in: map[string]any{"vpcId": "vpc-1"}},
		{typ: contract.TypeEC2Subnet, name: "public-a", id: "subnet-pa", in: map[string]any{"vpcId": "vpc-1", "availabilityZone": "az-a", "mapPublicIpOnLaunch": false, "tags": map[string]any{"Tier": "public"}}},
		{typ: contract.TypeEC2Subnet, name: "public-b", id: "subnet-pb", in: map[string]any{"vpcId": "vpc-1", "availabilityZone": "az-b", "mapPublicIpOnLaunch": false, "tags": map[string]any{"Tier": "public"}}},
		{typ: contract.TypeEC2Subnet, name: "app-a", id: "subnet-aa", in: map[string]any{"vpcId": "vpc-1", "availabilityZone": "az-a", "tags": map[string]any{"Tier": "app"}}},
		{typ: contract.TypeEC2Subnet, name: "app-b", id: "subnet-ab", in: map[string]any{"vpcId": "vpc-1", "availabilityZone": "az-b", "tags": map[string]any{"Tier": "app"}}},
		{typ: contract.TypeEC2FlowLog, name: "flow-log", in: map[string]any{"vpcId": "vpc-1", "trafficType": "ALL", "logDestinationType": "cloud-watch-logs", "iamRoleArn": "arn:aws:iam::1:role/fl"}},
		{typ: contract.TypeEC2VPCEndpoint, name: "ep-ec2", in: map[string]any{"vpcId": "vpc-1", "serviceName": "com.amazonaws.r.ec2", "vpcEndpointType": "Interface", "privateDnsEnabled": true}},
		{typ: contract.TypeEC2VPCEndpoint, name: "ep-ecr-api", in: map[string]any{"vpcId": "vpc-1", "serviceName": "com.amazonaws.r.ecr.api", "vpcEndpointType": "Interface", "privateDnsEnabled": true}},
		{typ: contract.TypeEC2VPCEndpoint, name: "ep-ecr-dkr", in: map[string]any{"vpcId": "vpc-1", "serviceName": "com.amazonaws.r.ecr.dkr", "vpcEndpointType": "Interface", "privateDnsEnabled": true}},
		{typ: contract.TypeEC2VPCEndpoint, name: "ep-ssm", in: map[string]any{"vpcId": "vpc-1", "serviceName": "com.amazonaws.r.ssm", "vpcEndpointType": "Interface", "privateDnsEnabled": true}},
		{typ: contract.TypeEC2NatGateway, name: "nat-a", id: "nat-1", in: map[string]any{"subnetId": "subnet-pa"}},
		{typ: contract.TypeEC2RouteTable, name: "app-a-rt", id: "rtb-a", in: map[string]any{"vpcId": "vpc-1"}},
		{typ: contract.TypeEC2Route, name: "app-a-default", in: map[string]any{"routeTableId": "rtb-a", "destinationCidrBlock": "0.0.0.0/0", "natGatewayId": "nat-1"}},
		{typ: contract.TypeEC2RouteTableAssociation, name: "app-a-rta", in: map[string]any{"routeTableId": "rtb-a", "subnetId": "subnet-aa"}},
		{typ: contract.TypeVPCSecurityGroupIngressRule, name: "alb-from-internet-443", in: map[string]any{"cidrIpv4": "0.0.0.0/0", "ipProtocol": "tcp", "fromPort": 443.0, "toPort": 443.0}},
		{typ: contract.TypeVPCSecurityGroupIngressRule, name: "app-from-alb", in: map[string]any{"referencedSecurityGroupId": "sg-alb", "ipProtocol": "tcp", "fromPort": 8080.0, "toPort": 8080.0}},
		{typ: contract.TypeEC2NetworkACLRule, name: "nacl-ssh-admin", in: map[string]any{"egress": false, "ruleAction": "allow", "cidrBlock": "10.0.0.0/8", "protocol": "tcp", "fromPort": 22.0, "toPort": 22.0}},

		{typ: contract.TypeIAMRole, name: "role", in: map[string]any{"assumeRolePolicy": policyJSON(map[string]any{"Effect": "Allow", "Principal": map[string]any{"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}),
			"inlinePolicies": []any{map[string]any{"name": "read", "policy": policyJSON(map[string]any{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"})}}},
			state: map[string]any{"name": "role-1234"}},
		{typ: contract.TypeIAMRolePolicyAttachment, name: "role-ssm", in: map[string]any{"role": "role-1234", "policyArn": "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"}},
		{typ: contract.TypeIAMInstanceProfile, name: "profile", in: map[string]any{"role": "role-1234"}, state: map[string]any{"name": "profile-1234"}},
		{typ: contract.TypeIAMPolicy, name: "app-policy", in: map[string]any{"policy": policyJSON(map[string]any{"Effect": "Allow", "Action": []any{"logs:PutLogEvents", "ssm:GetParameter"}, "Resource": "*"})}},
		{typ: contract.TypeIAMRolePolicy, name: "role-inline", in: map[string]any{"role": "role-1234", "policy": policyJSON(map[string]any{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "arn:aws:kms:r:1:key/k"})}},
		{typ: contract.TypeEC2Instance, name: "bastion", in: map[string]any{"subnetId": "subnet-aa", "associatePublicIpAddress": false, "iamInstanceProfile": "profile-1234",
			"metadataOptions": map[string]any{"httpTokens": "required", "httpPutResponseHopLimit": 1.0},
			"rootBlockDevice": map[string]any{"encrypted": true}}},
		{typ: contract.TypeEC2LaunchTemplate, name: "lt", id: "lt-1", in: map[string]any{
			"iamInstanceProfile":  map[string]any{"name": "profile-1234"},
			"metadataOptions":     map[string]any{"httpTokens": "required", "httpPutResponseHopLimit": 1.0},
			"blockDeviceMappings": []any{map[string]any{"deviceName": "/dev/xvda", "ebs": map[string]any{"encrypted": "true", "volumeSize": 20.0}}},
			"networkInterfaces":   []any{map[string]any{"associatePublicIpAddress": "false"}},
			"userData":            userData("#!/bin/bash\ndocker run --rm --log-driver awslogs --log-opt awslogs-group=/webstack/t/app app:1\n")}},
		{typ: contract.TypeAutoscalingGroup, name: "asg", in: map[string]any{"launchTemplate": map[string]any{"id": "lt-1", "version": "$Latest"}, "vpcZoneIdentifiers": []any{"subnet-aa", "subnet-ab"},
			"healthCheckType": "ELB", "targetGroupArns": []any{"arn:tg-blue"}}},

		{typ: contract.TypeLBLoadBalancer, name: "alb", in: map[string]any{"loadBalancerType": "application", "subnets": []any{"subnet-pa", "subnet-pb"}, "dropInvalidHeaderFields": true,
			"desyncMitigationMode": "defensive", "enableDeletionProtection": true, "accessLogs": map[string]any{"bucket": "site-bucket", "enabled": true, "prefix": "alb"}},
			state: map[string]any{"arnSuffix": "app/alb/1", "arn": "arn:aws:elasticloadbalancing:r:111122223333:loadbalancer/app/alb/1"}},
		{typ: contract.TypeLBListener, name: "http", in: map[string]any{"port": 80.0, "protocol": "HTTP", "defaultActions": []any{map[string]any{"type": "redirect",
			"redirect": map[string]any{"protocol": "HTTPS", "port": "443", "statusCode": "HTTP_301"}}}}},
		{typ: contract.TypeLBListener, name: "https", in: map[string]any{"port": 443.0, "protocol": "HTTPS", "sslPolicy": "ELBSecurityPolicy-TLS13-1-2-2021-06", "certificateArn": "arn:cert",
			"defaultActions": []any{map[string]any{"type": "forward", "targetGroupArn": "arn:tg-blue"}}}},
		{typ: contract.TypeLBTargetGroup, name: "tg-blue", id: "arn:tg-blue", in: map[string]any{"port": 8080.0, "healthCheck": map[string]any{"enabled": true, "path": "/health", "matcher": "200"}},
			state: map[string]any{"arnSuffix": "targetgroup/blue/1"}},

		{typ: contract.TypeRDSInstance, name: "db", id: "db-1", protect: true, in: map[string]any{"engine": "mysql", "identifier": "webstack-db", "publiclyAccessible": false, "storageEncrypted": true,
			"multiAz": true, "monitoringInterval": 60.0, "monitoringRoleArn": "arn:role/mon", "deletionProtection": true,
			"enabledCloudwatchLogsExports": []any{"audit", "error", "general", "slowquery"}, "iamDatabaseAuthenticationEnabled": true,
			"backupRetentionPeriod": 7.0, "copyTagsToSnapshot": true, "dbSubnetGroupName": "db-subnets", "port": 3307.0, "username": "webstack_admin",
			"skipFinalSnapshot": false, "finalSnapshotIdentifier": "db-final", "performanceInsightsEnabled": true, "performanceInsightsKmsKeyId": "arn:aws:kms:r:1:key/k"},
			state: map[string]any{"resourceId": "db-WRITER0123456789ABCDEFGHIJ"}},
		{typ: contract.TypeRDSInstance, name: "db-replica", protect: true, in: map[string]any{"identifier": "webstack-db-replica-1", "replicateSourceDb": "webstack-db", "availabilityZone": "az-b", "publiclyAccessible": false,
			"monitoringInterval": 60.0, "monitoringRoleArn": "arn:role/mon", "deletionProtection": true, "iamDatabaseAuthenticationEnabled": true,
			"enabledCloudwatchLogsExports": []any{"audit", "error", "general", "slowquery"}, "copyTagsToSnapshot": true, "port": 3307.0, "skipFinalSnapshot": true},
			state: map[string]any{"resourceId": "db-REPLICA123456789ABCDEFGHI"}},
		{typ: contract.TypeIAMRolePolicy, name: "role-db-connect", in: map[string]any{"role": "role-1234", "policy": policyJSON(map[string]any{"Effect": "Allow", "Action": "rds-db:connect",
			"Resource": []any{"arn:aws:rds-db:r:111122223333:dbuser:db-WRITER0123456789ABCDEFGHIJ/webstack_app", "arn:aws:rds-db:r:111122223333:dbuser:db-REPLICA123456789ABCDEFGHI/webstack_app"}})}},
		{typ: contract.TypeElastiCacheReplicationGroup, name: "redis", protect: true, in: map[string]any{"engine": "redis", "snapshotRetentionLimit": 1.0, "automaticFailoverEnabled": true,
			"multiAzEnabled": true, "numCacheClusters": 2.0, "atRestEncryptionEnabled": true, "transitEncryptionEnabled": true, "transitEncryptionMode": "required",
			"authToken": mockaws.Secret, "subnetGroupName": "cache-subnets"}, state: map[string]any{"memberClusters": []any{"redis-001", "redis-002"}}},
		{typ: contract.TypeRDSParameterGroup, name: "db-params", id: "db-params", in: map[string]any{"family": "mysql8.4"}, state: map[string]any{"name": "db-params"}},
		{typ: tSecret, name: "db-secret", id: "db-secret-1", in: map[string]any{"recoveryWindowInDays": 7.0}},
		{typ: tSecretRotation, name: "db-rotation", in: map[string]any{"secretId": "db-secret-1",
			"rotationLambdaArn": "arn:aws:lambda:r:1:function:rotate", "rotationRules": map[string]any{"automaticallyAfterDays": 30.0}}},
		{typ: contract.TypeRDSEventSubscription, name: "db-events", in: map[string]any{"snsTopic": fixtureTopic, "sourceType": "db-instance", "sourceIds": []any{"webstack-db", "webstack-db-replica-1"},
			"eventCategories": []any{"maintenance", "configuration change", "failure"}}},
		{typ: contract.TypeRDSEventSubscription, name: "pg-events", in: map[string]any{"snsTopic": fixtureTopic, "sourceType": "db-parameter-group", "sourceIds": []any{"db-params"},
			"eventCategories": []any{"configuration change"}, "enabled": true}},

		{typ: contract.TypeS3BucketV2, name: "site", id: "site-bucket", protect: true, in: map[string]any{}, state: map[string]any{"bucket": "site-bucket", "bucketRegionalDomainName": "site-bucket.s3.r.amazonaws.com"}},
		{typ: contract.TypeS3BucketPublicAccessBlock, name: "site-pab", in: map[string]any{"bucket": "site-bucket", "blockPublicAcls": true, "blockPublicPolicy": true, "ignorePublicAcls": true, "restrictPublicBuckets": true}},
		{typ: contract.TypeS3BucketPolicy, name: "site-policy", in: map[string]any{"bucket": "site-bucket", "policy": policyJSON(sslDeny, oac, elbLogs)}},
		{typ: contract.TypeS3BucketOwnershipControls, name: "site-ownership", in: map[string]any{"bucket": "site-bucket", "rule": map[string]any{"objectOwnership": "BucketOwnerEnforced"}}},
		{typ: contract.TypeS3BucketLoggingV2, name: "site-logging", in: map[string]any{"bucket": "site-bucket", "targetBucket": "logs-bucket", "targetPrefix": "s3/"}},
		{typ: contract.TypeS3BucketLifecycleConfigurationV2, name: "site-lifecycle", in: map[string]any{"bucket": "site-bucket", "rules": []any{map[string]any{"id": "old", "status": "Enabled"}}}},
		{typ: contract.TypeS3BucketVersioningV2, name: "site-versioning", in: map[string]any{"bucket": "site-bucket", "versioningConfiguration": map[string]any{"status": "Enabled"}}},
		{typ: contract.TypeS3BucketServerSideEncryptionConfigurationV2, name: "site-sse", in: map[string]any{"bucket": "site-bucket", "rules": []any{map[string]any{"applyServerSideEncryptionByDefault": map[string]any{"sseAlgorithm": "AES256"}}}}},

		// A bucket encrypted with a key of the stack (S3.17) that the distribution reads through
		// OAC, so its key must let CloudFront decrypt (webstack/s3-kms-access).
		{typ: contract.TypeS3BucketV2, name: "assets", id: "assets-bucket", protect: true, in: map[string]any{},
			state: map[string]any{"bucket": "assets-bucket", "bucketRegionalDomainName": "assets-bucket.s3.r.amazonaws.com", "bucketDomainName": "assets-bucket.s3.amazonaws.com"}},
		{typ: contract.TypeS3BucketPublicAccessBlock, name: "assets-pab", in: map[string]any{"bucket": "assets-bucket", "blockPublicAcls": true, "blockPublicPolicy": true, "ignorePublicAcls": true, "restrictPublicBuckets": true}},
		{typ: contract.TypeS3BucketPolicy, name: "assets-policy", in: map[string]any{"bucket": "assets-bucket", "policy": policyJSON(sslDeny, oac)}},
		{typ: contract.TypeS3BucketOwnershipControls, name: "assets-ownership", in: map[string]any{"bucket": "assets-bucket", "rule": map[string]any{"objectOwnership": "BucketOwnerEnforced"}}},
		{typ: contract.TypeS3BucketLoggingV2, name: "assets-logging", in: map[string]any{"bucket": "assets-bucket", "targetBucket": "logs-bucket", "targetPrefix": "s3/"}},
		{typ: contract.TypeS3BucketLifecycleConfigurationV2, name: "assets-lifecycle", in: map[string]any{"bucket": "assets-bucket", "rules": []any{map[string]any{"id": "old", "status": "Enabled"}}}},
		{typ: contract.TypeS3BucketVersioningV2, name: "assets-versioning", in: map[string]any{"bucket": "assets-bucket", "versioningConfiguration": map[string]any{"status": "Enabled"}}},
		{typ: contract.TypeS3BucketServerSideEncryptionConfigurationV2, name: "assets-sse", in: map[string]any{"bucket": "assets-bucket", "rules": []any{map[string]any{"bucketKeyEnabled": true,
			"applyServerSideEncryptionByDefault": map[string]any{"sseAlgorithm": "aws:kms", "kmsMasterKeyId": fixtureAssetsKey}}}}},
		{typ: contract.TypeKMSKey, name: "assets-key", in: map[string]any{"enableKeyRotation": true, "policy": policyJSON(keyAdmin, oacDecrypt(fixtureCDN))},
			state: map[string]any{"arn": fixtureAssetsKey}},

		{typ: contract.TypeCloudFrontDistribution, name: "cdn", in: map[string]any{"defaultRootObject": "index.html",
			"defaultCacheBehavior": map[string]any{"viewerProtocolPolicy": "redirect-to-https", "targetOriginId": "s3", "allowedMethods": []any{"GET", "HEAD"}},
			"orderedCacheBehaviors": []any{map[string]any{"pathPattern": "/api/*", "viewerProtocolPolicy": "https-only", "targetOriginId": "alb",
				"allowedMethods": []any{"GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"}}},
			"origins": []any{
				map[string]any{"originId": "s3", "domainName": "site-bucket.s3.r.amazonaws.com", "originAccessControlId": "oac-1"},
				map[string]any{"originId": "alb", "domainName": "api.example.com", "customOriginConfig": map[string]any{"originProtocolPolicy": "https-only", "originSslProtocols": []any{"TLSv1.2"}, "httpPort": 80.0, "httpsPort": 443.0}},
				map[string]any{"originId": "assets", "domainName": "assets-bucket.s3.r.amazonaws.com", "originAccessControlId": "oac-1"},
			},
			"originGroups":      []any{map[string]any{"originId": "group", "members": []any{map[string]any{"originId": "s3"}, map[string]any{"originId": "s3-replica"}}}},
			"loggingConfig":     map[string]any{"bucket": "logs-bucket.s3.amazonaws.com"},
			"webAclId":          "arn:aws:wafv2:us-east-1:1:global/webacl/w",
			"viewerCertificate": map[string]any{"acmCertificateArn": "arn:aws:acm:us-east-1:1:certificate/c", "sslSupportMethod": "sni-only", "minimumProtocolVersion": "TLSv1.2_2021"}},
			state: map[string]any{"arn": fixtureCDN}},

		{typ: contract.TypeCloudWatchLogGroup, name: "app-logs", in: map[string]any{"name": "/webstack/t/app", "retentionInDays": 365.0}},
		{typ: contract.TypeKMSKey, name: "alerts-key", in: map[string]any{"enableKeyRotation": true, "policy": policyJSON(keyAdmin, publishersMay("kms:Decrypt", "kms:GenerateDataKey*"))},
			state: map[string]any{"arn": "arn:aws:kms:r:1:key/k"}},
		{typ: contract.TypeSNSTopic, name: "alerts", id: "topic", in: map[string]any{"kmsMasterKeyId": "arn:aws:kms:r:1:key/k"}, state: map[string]any{"arn": fixtureTopic}},
		{typ: contract.TypeSNSTopicPolicy, name: "alerts-policy", in: map[string]any{"arn": fixtureTopic, "policy": policyJSON(publishersMay("sns:Publish"))}},
		{typ: contract.TypeSNSTopicSubscription, name: "alerts-email", in: map[string]any{"topic": fixtureTopic, "protocol": "email", "endpoint": "oncall@example.com"}},
		{typ: contract.TypeACMCertificate, name: "cert", in: map[string]any{"domainName": "example.com", "validationMethod": "DNS", "keyAlgorithm": "RSA_2048"}},
	}
	// An alarm on every metric REL06-BP01/alarms watches; "alb-5xx" is the one the
	// CloudWatch.15 and .17 negatives break.
	tg := map[string]any{"TargetGroup": "targetgroup/blue/1", "LoadBalancer": "app/alb/1"}
	for _, a := range []struct {
		name, ns, metric string
		dims             map[string]any
		percentile       string
	}{
		{"alb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", map[string]any{"LoadBalancer": "app/alb/1"}, ""},
		{"tg-blue-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", tg, ""},
		{"tg-blue-latency", "AWS/ApplicationELB", "TargetResponseTime", tg, "p99"},
		{"tg-blue-unhealthy", "AWS/ApplicationELB", "UnHealthyHostCount", tg, ""},
		{"nat-a-ports", "AWS/NATGateway", "ErrorPortAllocation", map[string]any{"NatGatewayId": "nat-1"}, ""},
		{"db-replica-replica-lag", "AWS/RDS", "ReplicaLag", map[string]any{"DBInstanceIdentifier": "webstack-db-replica-1"}, ""},
	} {
		f := alarmFx(a.name, a.ns, a.metric, a.dims)
		if a.percentile != "" {
			f.in["extendedStatistic"] = a.percentile
		}
		fxs = append(fxs, f)
	}
	// What posts alerts to chat (monitoring/chat.go, monitoring/webhook.go).
	fxs = append(fxs,
		&fx{typ: contract.TypeChatbotSlackChannelConfiguration, name: "slack", in: map[string]any{
			"guardrailPolicyArns": []any{"arn:aws:iam::aws:policy/ReadOnlyAccess"}, "snsTopicArns": []any{fixtureTopic}}},
		&fx{typ: contract.TypeLambdaFunction, name: "alert-webhook", in: map[string]any{"runtime": "python3.13", "handler": "index.handler"}},
		&fx{typ: contract.TypeLambdaPermission, name: "alert-webhook-from-topic", in: map[string]any{
			"principal": "sns.amazonaws.com", "action": "lambda:InvokeFunction", "sourceArn": fixtureTopic}},
		&fx{typ: contract.TypeSQSQueue, name: "alert-webhook-failures", in: map[string]any{"sqsManagedSseEnabled": true}},
	)
	for _, db := range []string{"db", "db-replica"} {
		id := map[string]string{"db": "webstack-db", "db-replica": "webstack-db-replica-1"}[db]
		for _, m := range []string{"CPUUtilization", "FreeStorageSpace", "FreeableMemory", "DatabaseConnections"} {
			fxs = append(fxs, alarmFx(db+"-"+m, "AWS/RDS", m, map[string]any{"DBInstanceIdentifier": id}))
		}
	}
	for _, node := range []string{"redis-001", "redis-002"} {
		for m, suffix := range map[string]string{"EngineCPUUtilization": "cpu", "DatabaseMemoryUsagePercentage": "memory", "Evictions": "evictions"} {
			fxs = append(fxs, alarmFx(node+"-"+suffix, "AWS/ElastiCache", m, map[string]any{"CacheClusterId": node}))
		}
	}
	return fxs
}

// fixtureTopic is the alert topic's ARN, in account 1 as the other fixtures.
const fixtureTopic = "arn:aws:sns:r:1:alerts"

// The distribution's ARN and the assets bucket's key.
const (
	fixtureCDN       = "arn:aws:cloudfront::1:distribution/d"
	fixtureAssetsKey = "arn:aws:kms:r:1:key/assets"
)

// compliantExceptions are the relaxations the compliant fixture declares, as a stack's config
// would: its site bucket takes the ALB's access logs, which Elastic Load Balancing delivers
// only to SSE-S3 buckets.
var compliantExceptions = []contract.Relaxation{{Check: "S3.17", Name: "site", Key: "webstack:app.accessLogs"}}

// oacDecrypt is the key policy statement that lets CloudFront decrypt for a distribution.
func oacDecrypt(distribution string) map[string]any {
	return map[string]any{"Sid": "OAC", "Effect": "Allow", "Principal": map[string]any{"Service": "cloudfront.amazonaws.com"}, "Action": "kms:Decrypt", "Resource": "*",
		"Condition": map[string]any{"StringEquals": map[string]any{"AWS:SourceArn": distribution}}}
}

// The alert key's administrator statement, and a statement letting the services that notify
// the alert topic do actions.
var keyAdmin = map[string]any{"Sid": "Admin", "Effect": "Allow", "Principal": map[string]any{"AWS": "arn:aws:iam::1:root"}, "Action": "kms:*", "Resource": "*"}

func publishersMay(actions ...string) map[string]any {
	return map[string]any{"Effect": "Allow", "Principal": map[string]any{"Service": []any{"cloudwatch.amazonaws.com", "events.rds.amazonaws.com"}},
		"Action": actions, "Resource": "*", "Condition": map[string]any{"StringEquals": map[string]any{"aws:SourceAccount": "1"}}}
}

// alarmFx is an alarm on one metric of one resource that notifies the alert topic.
func alarmFx(name, namespace, metric string, dims map[string]any) *fx {
	copied := map[string]any{}
	for k, v := range dims {
		copied[k] = v
	}
	return &fx{typ: contract.TypeCloudWatchMetricAlarm, name: name, in: map[string]any{"namespace": namespace, "metricName": metric,
		"dimensions": copied, "alarmActions": []any{fixtureTopic}, "okActions": []any{fixtureTopic}, "actionsEnabled": true}}
}

// userData renders a launch template's user data as programs register it: base64.
func userData(script string) string { return base64.StdEncoding.EncodeToString([]byte(script)) }

// result builds a mock result from synthetic resources.
func result(t testing.TB, fxs []*fx) *mockaws.Result {
	t.Helper()
	res := &mockaws.Result{Project: "webstack", Stack: "t"}
	for _, f := range fxs {
		id := f.id
		if id == "" {
			id = f.name + "-id"
		}
		state := map[string]any{"arn": "arn:" + id}
		for k, v := range f.state {
			state[k] = v
		}
		res.Resources = append(res.Resources, &mockaws.Resource{
			URN:     "urn:pulumi:t::webstack::" + f.typ + "::" + f.name,
			Type:    f.typ,
			Name:    f.name,
			Custom:  true,
			ID:      id,
			Protect: f.protect,
			Inputs:  resource.NewPropertyMapFromMap(f.in),
			State:   resource.NewPropertyMapFromMap(state),
		})
	}
	sort.Slice(res.Resources, func(i, j int) bool { return res.Resources[i].URN < res.Resources[j].URN })
	return res
}

// set changes one input of the named fixture at a dotted path ("origins.1.customOriginConfig.x");
// a nil value deletes the input.
func set(t testing.TB, fxs []*fx, name, path string, v any) {
	t.Helper()
	for _, f := range fxs {
		if f.name != name {
			continue
		}
		parts := strings.Split(path, ".")
		var cur any = f.in
		for i, p := range parts {
			last := i == len(parts)-1
			switch c := cur.(type) {
			case map[string]any:
				if last {
					if v == nil {
						delete(c, p)
					} else {
						c[p] = v
					}
					return
				}
				if c[p] == nil {
					c[p] = map[string]any{}
				}
				cur = c[p]
			case []any:
				n, err := strconv.Atoi(p)
				if err != nil || n >= len(c) {
					t.Fatalf("fixture %s: bad index %q in %s", name, p, path)
				}
				if last {
					c[n] = v
					return
				}
				cur = c[n]
			default:
				t.Fatalf("fixture %s: %s is not an object or list at %q", name, path, p)
			}
		}
	}
	t.Fatalf("no fixture named %q", name)
}

// without returns the fixtures minus the named ones.
func without(fxs []*fx, names ...string) []*fx {
	var out []*fx
	for _, f := range fxs {
		drop := false
		for _, n := range names {
			drop = drop || f.name == n
		}
		if !drop {
			out = append(out, f)
		}
	}
	return out
}
