package policy

import (
	"testing"

	"github.com/webstack/webstack/contract"
)

// TestCompliantStackPasses is every check's positive test: on a stack built to comply, every
// check judges at least one resource and none fails.
func TestCompliantStackPasses(t *testing.T) {
	rep := Evaluate(result(t, compliant()), contract.CheckOptions{Exceptions: compliantExceptions})
	if len(rep.NotApplicable) > 0 {
		t.Errorf("checks with nothing to judge in the compliant fixture: %v", rep.NotApplicable)
	}
	passed := map[string]bool{}
	for _, r := range rep.Results {
		declared := false
		for _, x := range compliantExceptions {
			declared = declared || (r.Check.ID == x.Check && r.Name == x.Name && r.Status == Exception)
		}
		if r.Status != Passed && !declared {
			t.Errorf("%s on %s: %s: %s", r.Check.ID, r.Name, r.Status, r.Message)
		}
		passed[r.Check.ID] = true
	}
	for _, id := range IDs() {
		if !passed[id] {
			t.Errorf("check %s has no passing result on the compliant fixture", id)
		}
	}
}

// negative is one violation: break the compliant fixture, and the check must fail on the
// resource with exactly this message (after "<name> (<type>): ").
type negative struct {
	check, resource string
	breakIt         func(t *testing.T, fxs []*fx) []*fx
	msg             string
}

// to returns a breakIt that sets one input.
func to(name, path string, v any) func(*testing.T, []*fx) []*fx {
	return func(t *testing.T, fxs []*fx) []*fx { set(t, fxs, name, path, v); return fxs }
}

// drop returns a breakIt that removes fixtures.
func drop(names ...string) func(*testing.T, []*fx) []*fx {
	return func(t *testing.T, fxs []*fx) []*fx { return without(fxs, names...) }
}

var negatives = []negative{
	// Alerts in chat
	{"webstack/chatbot-guardrail", "slack", to("slack", "guardrailPolicyArns", nil),
		`guardrailPolicyArns is not set: Chatbot applies AdministratorAccess, so anyone in the channel may act on the account through the role; set arn:aws:iam::aws:policy/ReadOnlyAccess`},
	{"webstack/chatbot-guardrail", "slack", to("slack", "guardrailPolicyArns", []any{"arn:aws:iam::aws:policy/AdministratorAccess"}),
		`guardrailPolicyArns holds arn:aws:iam::aws:policy/AdministratorAccess: the guardrail should be ReadOnlyAccess only`},
	{"Lambda.1", "alert-webhook-from-topic", to("alert-webhook-from-topic", "sourceArn", nil),
		`principal is "sns.amazonaws.com" without sourceArn or sourceAccount: any account's sns resource may invoke the function (confused deputy)`},
	{"Lambda.1", "alert-webhook-from-topic", to("alert-webhook-from-topic", "principal", "*"), `principal is "*": anyone may invoke the function`},
	{"Lambda.2", "alert-webhook", to("alert-webhook", "runtime", "python3.9"), `runtime is "python3.9", which Lambda no longer supports (or soon will not)`},
	{"SQS.1", "alert-webhook-failures", to("alert-webhook-failures", "sqsManagedSseEnabled", false),
		`sqsManagedSseEnabled is false and no kmsMasterKeyId is set: messages are stored unencrypted`},
	// IAM database authentication
	{"webstack/rds-iam-connect", "role-db-connect", to("role-db-connect", "policy", policyJSON(map[string]any{"Effect": "Allow", "Action": "rds-db:connect",
		"Resource": "arn:aws:rds-db:r:111122223333:dbuser:db-WRITER0123456789ABCDEFGHIJ/webstack_app"})),
		`rds-db:connect as "webstack_app" does not name db-replica's DbiResourceId db-REPLICA123456789ABCDEFGHI: connections to it are refused`},
	{"webstack/rds-iam-connect", "role-db-connect", to("role-db-connect", "policy", policyJSON(map[string]any{"Effect": "Allow", "Action": "rds-db:connect",
		"Resource": "arn:aws:rds-db:r:111122223333:dbuser:webstack-db/webstack_app"})),
		`policy statement 0 names "arn:aws:rds-db:r:111122223333:dbuser:webstack-db/webstack_app": rds-db:connect needs arn:<partition>:rds-db:<region>:<account>:dbuser:<DbiResourceId>/<user>, one per instance, no wildcard`},
	{"webstack/rds-iam-connect", "role-db-connect", to("role-db-connect", "policy", policyJSON(map[string]any{"Effect": "Allow", "Action": "rds-db:connect",
		"Resource": "arn:aws:rds-db:r:111122223333:dbuser:*/webstack_app"})),
		`policy statement 0 names "arn:aws:rds-db:r:111122223333:dbuser:*/webstack_app": rds-db:connect needs arn:<partition>:rds-db:<region>:<account>:dbuser:<DbiResourceId>/<user>, one per instance, no wildcard`},
	{"webstack/rds-iam-connect", "role-db-connect", to("role-db-connect", "policy", policyJSON(map[string]any{"Effect": "Allow", "Action": "rds-db:connect",
		"Resource": []any{"arn:aws:rds-db:r:111122223333:dbuser:db-WRITER0123456789ABCDEFGHIJ/webstack_admin", "arn:aws:rds-db:r:111122223333:dbuser:db-REPLICA123456789ABCDEFGHI/webstack_admin"}})),
		`rds-db:connect as "webstack_admin", the database's master user: the application connects as a user of its own with only the grants it needs`},
	// Secrets Manager
	{"SecretsManager.1", "db-secret", drop("db-rotation"), `no aws:secretsmanager/secretRotation:SecretRotation names this secret in secretId: it never rotates`},
	{"SecretsManager.1", "db-secret", to("db-rotation", "rotationLambdaArn", nil), `db-rotation has no rotationLambdaArn: Secrets Manager cannot rotate a secret it does not manage without a rotation function`},
	{"SecretsManager.4", "db-secret", to("db-rotation", "rotationRules", map[string]any{"automaticallyAfterDays": 120.0}), `db-rotation rotates every 120 days, want at most 90`},
	// VPC
	{"EC2.2", "vpc", drop("vpc-default-sg"), `no aws:ec2/defaultSecurityGroup:DefaultSecurityGroup adopts the VPC's default security group, which keeps AWS's allow-all rules`},
	{"EC2.2", "vpc", to("vpc-default-sg", "ingress", []any{map[string]any{"protocol": "-1", "fromPort": 0.0, "toPort": 0.0, "self": true}}),
		`default security group vpc-default-sg has 1 ingress rule(s): [{"fromPort":0,"protocol":"-1","self":true,"toPort":0}]`},
	{"EC2.6", "vpc", drop("flow-log"), `no aws:ec2/flowLog:FlowLog has vpcId = "vpc-1"`},
	{"EC2.6", "vpc", to("flow-log", "trafficType", "ACCEPT"), `flow log flow-log: trafficType is "ACCEPT", want "ALL" or "REJECT"`},
	{"EC2.6", "vpc", to("flow-log", "iamRoleArn", nil), `flow log flow-log: logDestinationType is "cloud-watch-logs" but iamRoleArn is not set`},
	{"EC2.10", "vpc", drop("ep-ec2"), `no aws:ec2/vpcEndpoint:VpcEndpoint with vpcEndpointType "Interface" and serviceName "com.amazonaws.<region>.ec2" has vpcId = "vpc-1"`},
	{"EC2.10", "vpc", to("ep-ec2", "privateDnsEnabled", false), `the ec2 endpoint is not a usable interface endpoint: ep-ec2 has privateDnsEnabled is false`},
	{"EC2.55", "vpc", to("ep-ecr-api", "vpcEndpointType", "Gateway"), `the ecr.api endpoint is not a usable interface endpoint: ep-ecr-api has vpcEndpointType is "Gateway"`},
	{"EC2.56", "vpc", drop("ep-ecr-dkr"), `no aws:ec2/vpcEndpoint:VpcEndpoint with vpcEndpointType "Interface" and serviceName "com.amazonaws.<region>.ecr.dkr" has vpcId = "vpc-1"`},
	{"EC2.57", "vpc", drop("ep-ssm"), `no aws:ec2/vpcEndpoint:VpcEndpoint with vpcEndpointType "Interface" and serviceName "com.amazonaws.<region>.ssm" has vpcId = "vpc-1"`},
	{"EC2.15", "public-a", to("public-a", "mapPublicIpOnLaunch", true), `mapPublicIpOnLaunch is true; instances launched here get a public IPv4 address`},
	{"EC2.18", "alb-from-internet-443", to("alb-from-internet-443", "fromPort", 0.0), `opens ports 0-443 to 0.0.0.0/0; only ports 80, 443 may be open to the internet`},
	{"EC2.18", "app-from-alb", to("app-from-alb", "cidrIpv6", "::/0"), `opens port 8080 to ::/0; only ports 80, 443 may be open to the internet`},
	{"EC2.19", "alb-from-internet-443", to("alb-from-internet-443", "ipProtocol", "-1"), `opens all ports (protocol "-1") to 0.0.0.0/0, including high-risk port 20`},
	{"EC2.19", "app-from-alb", to("app-from-alb", "cidrIpv4", "0.0.0.0/0"), `opens port 8080 to 0.0.0.0/0, including high-risk port 8080`},
	{"EC2.21", "nacl-ssh-admin", to("nacl-ssh-admin", "cidrBlock", "0.0.0.0/0"), `allows ingress from 0.0.0.0/0 on protocol "tcp" ports 22-22, including port 22`},
	{"REL10-BP01/subnets", "vpc", to("app-b", "availabilityZone", "az-a"), `Tier "app" subnets are all in az-a; every tier needs at least two availability zones`},
	{"REL10-BP01/nat", "app-a-rt", to("app-a-rta", "subnetId", "subnet-ab"), `routes subnet app-b in az-b through NAT gateway nat-a in az-a; losing az-a cuts az-b's egress`},

	// EC2 and launch templates
	{"EC2.3", "bastion", to("bastion", "rootBlockDevice.encrypted", false), `rootBlockDevice.encrypted is false, want true`},
	{"EC2.3", "bastion", to("bastion", "ebsBlockDevices", []any{map[string]any{"deviceName": "/dev/sdf"}}), `ebsBlockDevices[0].encrypted is not set, want true`},
	{"EC2.8", "bastion", to("bastion", "metadataOptions.httpTokens", "optional"), `metadataOptions.httpTokens is "optional", want "required" (the SDK default "optional" allows IMDSv1)`},
	{"EC2.9", "bastion", to("bastion", "associatePublicIpAddress", true), `associatePublicIpAddress is true`},
	{"EC2.9", "bastion", func(t *testing.T, fxs []*fx) []*fx {
		set(t, fxs, "bastion", "associatePublicIpAddress", nil)
		set(t, fxs, "app-a", "mapPublicIpOnLaunch", true)
		return fxs
	}, `associatePublicIpAddress is not set and subnet app-a has mapPublicIpOnLaunch = true`},
	{"EC2.170", "lt", to("lt", "metadataOptions", nil), `metadataOptions.httpTokens is not set, want "required" (the SDK default "optional" allows IMDSv1)`},
	{"EC2.181", "lt", to("lt", "blockDeviceMappings.0.ebs.encrypted", "false"), `blockDeviceMappings[0].ebs.encrypted is "false", want "true"`},
	{"EC2.181", "lt", to("lt", "blockDeviceMappings", nil), `blockDeviceMappings is not set, so the root volume keeps the AMI's unencrypted setting; set blockDeviceMappings[].ebs.encrypted = "true"`},
	{"EC2.25", "lt", to("lt", "networkInterfaces.0.associatePublicIpAddress", "true"), `networkInterfaces[0].associatePublicIpAddress is "true"`},
	{"AutoScaling.4", "lt", to("lt", "metadataOptions.httpPutResponseHopLimit", 2.0), `metadataOptions.httpPutResponseHopLimit is 2; containers on a bridge network can then reach the instance role's credentials`},
	{"SSM.1", "bastion", drop("role-ssm"), `role role (through instance profile profile) has no AmazonSSMManagedInstanceCore attachment`},
	{"SSM.1", "lt", to("lt", "iamInstanceProfile", nil), `iamInstanceProfile.arn is not set: without an instance role the SSM agent cannot register`},
	{"SSM.1", "bastion", to("bastion", "iamInstanceProfile", "elsewhere"), `iamInstanceProfile is "elsewhere", not an instance profile of this stack`},

	// Auto Scaling
	{"AutoScaling.1", "asg", to("asg", "healthCheckType", "EC2"), `healthCheckType is "EC2", want "ELB": instances failing the target group's health check are never replaced`},
	{"AutoScaling.2", "asg", to("asg", "vpcZoneIdentifiers", []any{"subnet-aa"}), `vpcZoneIdentifiers ["subnet-aa"] cover 1 availability zone(s) (az-a); want at least 2`},
	{"AutoScaling.3", "asg", to("lt", "metadataOptions.httpTokens", "optional"), `launch template lt (launchTemplate.id ("lt-1")): metadataOptions.httpTokens is "optional", want "required"`},
	{"AutoScaling.3", "asg", to("asg", "launchTemplate.id", "lt-elsewhere"), `launchTemplate.id ("lt-elsewhere") does not name a launch template of this stack`},
	{"AutoScaling.9", "asg", to("asg", "launchConfiguration", "old-lc"), `launchConfiguration is "old-lc"; use launchTemplate`},
	{"AutoScaling.9", "asg", to("asg", "launchTemplate", nil), `neither launchTemplate nor mixedInstancesPolicy.launchTemplate is set`},

	// Load balancers
	{"ELB.1", "http", to("http", "defaultActions.0.type", "forward"), `port 80 HTTP listener: defaultActions[0].type is "forward", want "redirect" to HTTPS`},
	{"ELB.1", "http", to("http", "defaultActions.0.redirect.protocol", "HTTP"), `port 80 HTTP listener: defaultActions[0].redirect.protocol is "HTTP", want "HTTPS"`},
	{"ELB.17", "https", to("https", "sslPolicy", nil), `sslPolicy is not set (not set means the SDK default "ELBSecurityPolicy-2016-08"); want e.g. "ELBSecurityPolicy-TLS13-1-2-2021-06"`},
	{"ELB.17", "https", to("https", "sslPolicy", "ELBSecurityPolicy-TLS13-1-0-2021-06"), `sslPolicy is "ELBSecurityPolicy-TLS13-1-0-2021-06" (not set means the SDK default "ELBSecurityPolicy-2016-08"); want e.g. "ELBSecurityPolicy-TLS13-1-2-2021-06"`},
	{"ELB.4", "alb", to("alb", "dropInvalidHeaderFields", nil), `dropInvalidHeaderFields is not set, want true (the default is false)`},
	{"ELB.12", "alb", to("alb", "desyncMitigationMode", "monitor"), `desyncMitigationMode is "monitor", want "defensive" or "strictest"`},
	{"ELB.5", "alb", to("alb", "accessLogs.enabled", nil), `accessLogs.enabled is not set and accessLogs.bucket is "site-bucket"; enabled defaults to false even with a bucket`},
	{"ELB.6", "alb", to("alb", "enableDeletionProtection", false), `enableDeletionProtection is false, want true`},
	{"ELB.13", "alb", to("alb", "subnets", []any{"subnet-pa"}), `subnets ["subnet-pa"] are in 1 availability zone(s) (az-a); want at least 2`},
	{"REL11-BP01/health-check", "tg-blue", to("tg-blue", "healthCheck.enabled", false), `healthCheck.enabled is false`},
	{"REL11-BP01/health-check", "tg-blue", to("tg-blue", "healthCheck.path", nil), `healthCheck.path is not set and healthCheck.matcher is "200"; set both so that a release is judged by the application's own health endpoint`},

	// RDS
	{"RDS.2", "db", to("db", "publiclyAccessible", true), `publiclyAccessible is true`},
	{"RDS.3", "db", to("db", "storageEncrypted", nil), `storageEncrypted is not set, want true`},
	{"RDS.3", "db-replica", to("db", "storageEncrypted", false), `storageEncrypted is not set, want true`},
	{"RDS.5", "db", to("db", "multiAz", false), `multiAz is false, want true`},
	{"RDS.6", "db", to("db", "monitoringInterval", 0.0), `monitoringInterval is 0 and monitoringRoleArn is "arn:role/mon"; want an interval > 0 with a role`},
	{"RDS.8", "db-replica", to("db-replica", "deletionProtection", nil), `deletionProtection is not set, want true`},
	{"RDS.9", "db", to("db", "enabledCloudwatchLogsExports", []any{"error", "slowquery"}), `enabledCloudwatchLogsExports is ["error","slowquery"], missing ["audit","general"]`},
	{"RDS.10", "db", to("db", "iamDatabaseAuthenticationEnabled", false), `iamDatabaseAuthenticationEnabled is false, want true`},
	{"RDS.11", "db", to("db", "backupRetentionPeriod", 1.0), `backupRetentionPeriod is 1 (not set means 0: no backups), want 7 to 35`},
	{"RDS.13", "db", to("db", "autoMinorVersionUpgrade", false), `autoMinorVersionUpgrade is false, want true`},
	{"RDS.17", "db", to("db", "copyTagsToSnapshot", nil), `copyTagsToSnapshot is not set, want true`},
	{"RDS.18", "db", to("db", "dbSubnetGroupName", nil), `dbSubnetGroupName is not set; the instance would land in the default VPC`},
	{"RDS.23", "db", to("db", "port", 3306.0), `port is 3306; the mysql default is 3306`},
	{"RDS.23", "db-replica", to("db-replica", "port", nil), `port is not set; the mysql default is 3306`},
	{"RDS.25", "db", to("db", "username", "admin"), `username is "admin"; use a name that is not the engine's default`},
	{"REL09-BP03/final-snapshot", "db", to("db", "skipFinalSnapshot", true), `skipFinalSnapshot is true and finalSnapshotIdentifier is "db-final"; want false and a name`},
	{"REL09-BP03/final-snapshot", "db", to("db", "deleteAutomatedBackups", true), `deleteAutomatedBackups is true, want false`},
	{"webstack/performance-insights-cmk", "db", to("db", "performanceInsightsKmsKeyId", nil), `performanceInsightsKmsKeyId is not set, not a KMS key of this stack: the data is encrypted with the account's aws/rds key (checkov CKV_AWS_354)`},
	{"REL10-BP01/replica", "db", drop("db-replica"), `no aws:rds/instance:Instance has replicateSourceDb naming this instance`},
	{"REL10-BP01/replica", "db", to("db", "availabilityZone", "az-b"), `every read replica is in the primary's availability zone "az-b": db-replica in az-b`},

	// ElastiCache
	{"ElastiCache.1", "redis", to("redis", "snapshotRetentionLimit", nil), `snapshotRetentionLimit is not set (not set means 0: no backups), want at least 1`},
	{"ElastiCache.2", "redis", to("redis", "autoMinorVersionUpgrade", false), `autoMinorVersionUpgrade is false, want true`},
	{"ElastiCache.3", "redis", to("redis", "automaticFailoverEnabled", false), `automaticFailoverEnabled is false, want true (with multiAzEnabled and at least 2 cache clusters)`},
	{"ElastiCache.3", "redis", to("redis", "numCacheClusters", 1.0), `numCacheClusters is 1 and replicasPerNodeGroup is not set; failover needs a replica`},
	{"ElastiCache.4", "redis", to("redis", "atRestEncryptionEnabled", nil), `atRestEncryptionEnabled is not set, want true (the redis default is false)`},
	{"ElastiCache.5", "redis", to("redis", "transitEncryptionEnabled", false), `transitEncryptionEnabled is false, want true`},
	{"ElastiCache.5", "redis", to("redis", "transitEncryptionMode", "preferred"), `transitEncryptionMode is "preferred": clients may still connect in clear text; want "required"`},
	{"ElastiCache.6", "redis", to("redis", "authToken", nil), `authToken is not set and userGroupIds is not set: any client in the security group can connect`},
	{"ElastiCache.7", "redis", to("redis", "subnetGroupName", "default"), `subnetGroupName is "default", want the stack's own subnet group in the data subnets`},

	// S3
	{"S3.8", "site", drop("site-pab"), `no aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock has bucket = "site-bucket"`},
	{"S3.8", "site", to("site-pab", "restrictPublicBuckets", false), `public access block site-pab: restrictPublicBuckets is false, want true`},
	{"S3.2", "site-policy", to("site-policy", "policy", policyJSON(map[string]any{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"})),
		`policy statement 0 allows Principal "*" ["s3:GetObject"] without a condition`},
	{"S3.5", "site", to("site-policy", "policy", policyJSON(map[string]any{"Effect": "Allow", "Principal": map[string]any{"Service": "cloudfront.amazonaws.com"}, "Action": "s3:GetObject", "Resource": "*",
		"Condition": map[string]any{"StringEquals": map[string]any{"AWS:SourceArn": "d"}}})),
		`bucket policy site-policy has no Deny statement with Condition Bool aws:SecureTransport = "false"`},
	{"S3.5", "site", drop("site-policy"), `no aws:s3/bucketPolicy:BucketPolicy has bucket = "site-bucket", so nothing denies aws:SecureTransport = false`},
	{"S3.12", "site", to("site-ownership", "rule.objectOwnership", "ObjectWriter"), `ownership controls site-ownership: rule.objectOwnership is "ObjectWriter", want "BucketOwnerEnforced"`},
	{"S3.9", "site", func(t *testing.T, fxs []*fx) []*fx {
		// The fixture's ALB logs to site-bucket, which makes it a log bucket S3.9 excepts.
		set(t, fxs, "alb", "accessLogs.bucket", "other-bucket")
		return without(fxs, "site-logging")
	}, `no aws:s3/bucketLoggingV2:BucketLoggingV2 has bucket = "site-bucket"`},
	{"S3.13", "site", to("site-lifecycle", "rules.0.status", "Disabled"), `lifecycle configuration site-lifecycle has no rule with status "Enabled": rules is [{"id":"old","status":"Disabled"}]`},
	{"S3.14", "site", to("site-versioning", "versioningConfiguration.status", "Suspended"), `versioning site-versioning: versioningConfiguration.status is "Suspended", want "Enabled"`},
	{"webstack/s3-encryption", "site", drop("site-sse"), `no aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2 has bucket = "site-bucket"`},
	{"S3.17", "assets", to("assets-sse", "rules.0.applyServerSideEncryptionByDefault", map[string]any{"sseAlgorithm": "AES256"}),
		`encryption assets-sse: rules[0].applyServerSideEncryptionByDefault.sseAlgorithm is "AES256", want "aws:kms" (or "aws:kms:dsse") with a customer managed key`},
	{"S3.17", "assets", drop("assets-sse"), `no aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2 has bucket = "assets-bucket", so S3 applies SSE-S3`},
	{"webstack/s3-kms-access", "assets", to("assets-key", "policy", policyJSON(keyAdmin)),
		`the policy of key assets-key does not allow cloudfront.amazonaws.com kms:Decrypt for arn:aws:cloudfront::1:distribution/d: CloudFront is refused every object of the bucket (403)`},
	{"webstack/s3-kms-access", "assets", to("assets-key", "policy", policyJSON(keyAdmin, oacDecrypt("arn:aws:cloudfront::1:distribution/other"))),
		`the policy of key assets-key does not allow cloudfront.amazonaws.com kms:Decrypt for arn:aws:cloudfront::1:distribution/d: CloudFront is refused every object of the bucket (403)`},
	{"webstack/s3-kms-access", "assets", to("assets-key", "policy", policyJSON(keyAdmin, oacDecrypt(fixtureCDN),
		map[string]any{"Effect": "Deny", "Principal": "*", "Action": "kms:*", "Resource": "*"})),
		`the policy of key assets-key does not allow cloudfront.amazonaws.com kms:Decrypt for arn:aws:cloudfront::1:distribution/d: CloudFront is refused every object of the bucket (403)`},
	// A key whose policy is a kms.KeyPolicy of its own (the uploads key's) is judged by that
	// policy, not by the key's (default) one.
	{"webstack/s3-kms-access", "assets", func(t *testing.T, fxs []*fx) []*fx {
		return append(fxs, &fx{typ: contract.TypeKMSKeyPolicy, name: "assets-key-policy", in: map[string]any{"keyId": fixtureAssetsKey, "policy": policyJSON(keyAdmin)}})
	}, `the policy of key assets-key does not allow cloudfront.amazonaws.com kms:Decrypt for arn:aws:cloudfront::1:distribution/d: CloudFront is refused every object of the bucket (403)`},
	{"webstack/s3-kms-access", "assets", to("assets-sse", "rules.0.applyServerSideEncryptionByDefault.kmsMasterKeyId", "alias/aws/s3"),
		`kmsMasterKeyId is "alias/aws/s3", not a KMS key of this stack whose policy lets distribution cdn through OAC use it (an AWS managed key's policy cannot be changed)`},
	{"webstack/s3-kms-access", "assets", to("cdn", "loggingConfig.bucket", "assets-bucket.s3.amazonaws.com"),
		`the policy of key assets-key does not allow delivery.logs.amazonaws.com kms:GenerateDataKey: its standard logs are never delivered`},
	{"webstack/s3-kms-access", "assets", to("site-logging", "targetBucket", "assets-bucket"),
		`site-logging delivers S3 server access logs here, and S3 delivers them only to buckets encrypted with SSE-S3 (AES256)`},

	// CloudFront
	{"CloudFront.1", "cdn", to("cdn", "defaultRootObject", nil), `defaultRootObject is not set, want e.g. "index.html"`},
	{"CloudFront.3", "cdn", to("cdn", "orderedCacheBehaviors.0.viewerProtocolPolicy", "allow-all"), `orderedCacheBehaviors[0].viewerProtocolPolicy is "allow-all", want "redirect-to-https" or "https-only"`},
	{"webstack/cloudfront-https-bodies", "cdn", to("cdn", "orderedCacheBehaviors.0.viewerProtocolPolicy", "redirect-to-https"),
		`orderedCacheBehaviors[0] ("/api/*") accepts PUT, POST, PATCH, DELETE with viewerProtocolPolicy "redirect-to-https", want "https-only": a body sent over HTTP has crossed the network in clear before any redirect`},
	{"webstack/cloudfront-https-bodies", "cdn", to("cdn", "defaultCacheBehavior.allowedMethods", []any{"GET", "HEAD", "POST"}),
		`defaultCacheBehavior accepts POST with viewerProtocolPolicy "redirect-to-https", want "https-only": a body sent over HTTP has crossed the network in clear before any redirect`},
	{"CloudFront.4", "cdn", to("cdn", "originGroups", nil), `originGroups is not set`},
	{"CloudFront.5", "cdn", to("cdn", "loggingConfig", nil), `loggingConfig.bucket is not set`},
	{"CloudFront.6", "cdn", to("cdn", "webAclId", nil), `webAclId is not set, want a WAFv2 web ACL ARN (scope CLOUDFRONT)`},
	{"CloudFront.7", "cdn", to("cdn", "viewerCertificate", map[string]any{"cloudfrontDefaultCertificate": true}),
		`viewerCertificate.cloudfrontDefaultCertificate is true and viewerCertificate.acmCertificateArn is not set; want an ACM certificate (us-east-1) and aliases`},
	{"CloudFront.8", "cdn", to("cdn", "viewerCertificate.sslSupportMethod", "vip"), `viewerCertificate.sslSupportMethod is "vip", want "sni-only"`},
	{"CloudFront.9", "cdn", to("cdn", "origins.1.customOriginConfig.originProtocolPolicy", "http-only"), `origins[1].customOriginConfig.originProtocolPolicy is "http-only", want "https-only"`},
	{"CloudFront.10", "cdn", to("cdn", "origins.1.customOriginConfig.originSslProtocols", []any{"TLSv1", "TLSv1.2"}),
		`origins[1].customOriginConfig.originSslProtocols is ["TLSv1","TLSv1.2"], which includes "TLSv1"; want ["TLSv1.2"]`},
	{"CloudFront.12", "cdn", to("cdn", "origins.0.domainName", "gone.s3.r.amazonaws.com"), `origins[0].domainName is "gone.s3.r.amazonaws.com", which is not the bucketRegionalDomainName of a bucket in this stack`},
	{"CloudFront.13", "cdn", to("cdn", "origins.0.originAccessControlId", nil), `origins[0] ("site-bucket.s3.r.amazonaws.com"): originAccessControlId is not set`},
	{"CloudFront.15", "cdn", to("cdn", "viewerCertificate.minimumProtocolVersion", "TLSv1.2_2019"), `viewerCertificate.minimumProtocolVersion is "TLSv1.2_2019" (not set means "TLSv1"), want "TLSv1.2_2021"`},

	// IAM, monitoring, ACM, Pulumi
	{"IAM.1", "app-policy", to("app-policy", "policy", policyJSON(map[string]any{"Effect": "Allow", "Action": "*", "Resource": "*"})), `policy statement 0 allows Action "*" on Resource "*"`},
	{"IAM.1", "role-ssm", to("role-ssm", "policyArn", "arn:aws:iam::aws:policy/AdministratorAccess"), `policyArn is "arn:aws:iam::aws:policy/AdministratorAccess"`},
	{"IAM.21", "role", to("role", "inlinePolicies.0.policy", policyJSON(map[string]any{"Sid": "Logs", "Effect": "Allow", "Action": "logs:*", "Resource": "*"})),
		`inlinePolicies[0].policy statement 0 ("Logs") allows "logs:*"`},
	{"CloudWatch.15", "alb-5xx", to("alb-5xx", "alarmActions", nil), `alarmActions is not set: nobody is told when it fires`},
	{"CloudWatch.17", "alb-5xx", to("alb-5xx", "actionsEnabled", false), `actionsEnabled is false, want true`},
	{"CloudWatch.16", "app-logs", to("app-logs", "retentionInDays", 30.0), `retentionInDays is 30, want at least 365`},
	{"CloudWatch.16", "app-logs", to("app-logs", "retentionInDays", nil), `retentionInDays is not set: logs would be kept forever; webstack wants an explicit retention of at least 365`},
	{"SNS.1", "alerts", to("alerts", "kmsMasterKeyId", "alias/aws/sns"), `kmsMasterKeyId is "alias/aws/sns": CloudWatch cannot publish to a topic under the AWS managed key; use a kms.Key whose policy allows cloudwatch.amazonaws.com`},
	{"SNS.4", "alerts-policy", to("alerts-policy", "policy", policyJSON(map[string]any{"Effect": "Allow", "Principal": map[string]any{"AWS": "*"}, "Action": "sns:Publish", "Resource": "*"})),
		`policy statement 0 allows Principal "*" ["sns:Publish"] without a condition`},
	{"ACM.1", "cert", to("cert", "validationMethod", "EMAIL"), `validationMethod is "EMAIL", want "DNS" so that ACM renews it without anyone`},
	{"ACM.2", "cert", to("cert", "keyAlgorithm", "RSA_1024"), `keyAlgorithm is "RSA_1024", want RSA_2048 or stronger`},
	{"KMS.4", "alerts-key", to("alerts-key", "enableKeyRotation", false), `enableKeyRotation is false, want true (the default is false)`},
	{"webstack/alert-key", "alerts", to("alerts", "kmsMasterKeyId", "alias/aws/sns"),
		`kmsMasterKeyId is "alias/aws/sns", not a KMS key of this stack whose policy lets cloudwatch.amazonaws.com and events.rds.amazonaws.com use it (alarms deploy and deliver nothing: docs/gotchas.md, "Alarms to an encrypted topic need the key's grant")`},
	{"webstack/alert-key", "alerts", to("alerts-key", "policy", policyJSON(keyAdmin, map[string]any{"Effect": "Allow", "Principal": map[string]any{"Service": "cloudwatch.amazonaws.com"},
		"Action": []any{"kms:Decrypt", "kms:GenerateDataKey*"}, "Resource": "*"})),
		`the policy of key alerts-key does not allow events.rds.amazonaws.com kms:Decrypt and kms:GenerateDataKey*: its notifications are dropped (docs/gotchas.md, "Alarms to an encrypted topic need the key's grant")`},
	{"webstack/alert-key", "alerts", to("alerts-key", "policy", policyJSON(keyAdmin, publishersMay("kms:Decrypt"))),
		`the policy of key alerts-key does not allow cloudwatch.amazonaws.com kms:Decrypt and kms:GenerateDataKey*: its notifications are dropped (docs/gotchas.md, "Alarms to an encrypted topic need the key's grant")`},
	{"webstack/alert-key", "alerts", func(t *testing.T, fxs []*fx) []*fx {
		grant := publishersMay("kms:Decrypt", "kms:GenerateDataKey*")
		grant["Condition"] = map[string]any{"StringEquals": map[string]any{"aws:SourceAccount": "2"}}
		set(t, fxs, "alerts-key", "policy", policyJSON(keyAdmin, grant))
		return fxs
	}, `the policy of key alerts-key does not allow cloudwatch.amazonaws.com kms:Decrypt and kms:GenerateDataKey*: its notifications are dropped (docs/gotchas.md, "Alarms to an encrypted topic need the key's grant")`},
	{"webstack/alert-key", "alerts", to("alerts-key", "policy", policyJSON(keyAdmin, publishersMay("kms:Decrypt", "kms:GenerateDataKey*"),
		map[string]any{"Effect": "Deny", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*"})),
		`the policy of key alerts-key does not allow cloudwatch.amazonaws.com kms:Decrypt and kms:GenerateDataKey*: its notifications are dropped (docs/gotchas.md, "Alarms to an encrypted topic need the key's grant")`},
	{"webstack/alert-key", "alerts", to("alerts-policy", "policy", policyJSON(map[string]any{"Effect": "Allow", "Principal": map[string]any{"Service": "cloudwatch.amazonaws.com"}, "Action": "sns:Publish", "Resource": fixtureTopic})),
		`topic policy alerts-policy does not allow events.rds.amazonaws.com sns:Publish`},
	{"webstack/alert-subscribers", "alerts", drop("alerts-email"), `no aws:sns/topicSubscription:TopicSubscription has topic = "arn:aws:sns:r:1:alerts": alarms fire and nobody is told`},
	{"RDS.20", "db", drop("db-events"), `no enabled aws:rds/eventSubscription:EventSubscription with sourceType "db-instance" covers "webstack-db" with ["maintenance","configuration change","failure"]`},
	{"RDS.20", "db-replica", to("db-events", "eventCategories", []any{"failure"}),
		`no enabled aws:rds/eventSubscription:EventSubscription with sourceType "db-instance" covers "webstack-db-replica-1" with ["maintenance","configuration change","failure"]; event subscription db-events lacks the categories ["maintenance","configuration change"]`},
	{"RDS.21", "db-params", to("pg-events", "enabled", false), `no enabled aws:rds/eventSubscription:EventSubscription with sourceType "db-parameter-group" covers "db-params" with ["configuration change"]`},
	{"REL06-BP01/alarms", "db-replica", drop("db-replica-replica-lag"), `no alarm with an action watches AWS/RDS ReplicaLag with DBInstanceIdentifier = "webstack-db-replica-1"`},
	{"REL06-BP01/alarms", "redis", to("redis-002-evictions", "dimensions.CacheClusterId", "redis-003"), `no alarm with an action watches AWS/ElastiCache Evictions with CacheClusterId = "redis-002"`},
	{"REL06-BP01/alarms", "alb", to("alb-5xx", "alarmActions", nil), `no alarm with an action watches AWS/ApplicationELB HTTPCode_ELB_5XX_Count or HTTPCode_ELB_503_Count with LoadBalancer = "app/alb/1"`},
	{"REL06-BP01/alarms", "tg-blue", drop("tg-blue-unhealthy"), `no alarm with an action watches AWS/ApplicationELB UnHealthyHostCount with TargetGroup = "targetgroup/blue/1" and LoadBalancer`},
	{"REL06-BP01/alarms", "tg-blue", to("tg-blue-5xx", "dimensions.LoadBalancer", nil),
		`no alarm with an action watches AWS/ApplicationELB HTTPCode_Target_5XX_Count with TargetGroup = "targetgroup/blue/1" and LoadBalancer`},
	{"REL06-BP01/alarms", "tg-blue", func(t *testing.T, fxs []*fx) []*fx {
		set(t, fxs, "tg-blue-latency", "extendedStatistic", nil)
		set(t, fxs, "tg-blue-latency", "statistic", "Average")
		return fxs
	}, `no alarm with an action watches AWS/ApplicationELB TargetResponseTime with TargetGroup = "targetgroup/blue/1" and LoadBalancer (a percentile such as p99)`},
	{"REL06-BP01/alarms", "nat-a", to("nat-a-ports", "namespace", "AWS/EC2"), `no alarm with an action watches AWS/NATGateway ErrorPortAllocation with NatGatewayId = "nat-1"`},
	{"webstack/log-retention", "app-logs", to("app-logs", "retentionInDays", 0.0), `retentionInDays is 0: the logs would be kept (and billed) forever`},
	{"webstack/alb-log-bucket", "alb", to("site-sse", "rules.0.applyServerSideEncryptionByDefault.sseAlgorithm", "aws:kms"),
		`bucket site is encrypted with "aws:kms"; ALB access logs are delivered only to SSE-S3 (AES256) buckets (docs/gotchas.md, "ALB access logs need an SSE-S3 bucket")`},
	{"webstack/alb-log-bucket", "alb", to("site-policy", "policy", policyJSON(map[string]any{"Effect": "Allow", "Principal": map[string]any{"Service": "logdelivery.elasticloadbalancing.amazonaws.com"},
		"Action": "s3:PutObject", "Resource": "arn:aws:s3:::site-bucket/other/*"})),
		`no policy of bucket site allows logdelivery.elasticloadbalancing.amazonaws.com or the regional ELB account s3:PutObject under "alb/": the ALB cannot deliver its logs`},
	{"webstack/alb-log-bucket", "alb", to("alb", "accessLogs.bucket", "elsewhere"), `accessLogs.bucket is "elsewhere", not a bucket of this stack`},
	{"webstack/alb-log-bucket", "alb", to("site-policy", "policy", policyJSON(map[string]any{"Effect": "Allow", "Principal": map[string]any{"AWS": "arn:aws:iam::111122223333:root"},
		"Action": "s3:PutObject", "Resource": "arn:aws:s3:::site-bucket/alb/*"})),
		`no policy of bucket site allows logdelivery.elasticloadbalancing.amazonaws.com or the regional ELB account s3:PutObject under "alb/": the ALB cannot deliver its logs`},
	{"webstack/app-logs", "lt", to("lt", "userData", userData("docker run --log-driver journald app:1\n")),
		"the container's `docker run` has no --log-driver awslogs: its output stays on the instance and is lost with it"},
	{"webstack/app-logs", "lt", to("lt", "userData", userData("docker run --log-driver awslogs --log-opt awslogs-group=/elsewhere app:1\n")),
		`awslogs-group "/elsewhere" is not a log group of this stack, so nothing sets its retention`},
	{"webstack/protect", "redis", func(t *testing.T, fxs []*fx) []*fx {
		for _, f := range fxs {
			if f.name == "redis" {
				f.protect = false
			}
		}
		return fxs
	}, "resource options protect and retainOnDelete are both false: `pulumi destroy` or a replacement deletes its data"},
}

// optionNegatives are negative tests that need run options: the check judges what the config
// declares, not only what was registered.
var optionNegatives = []struct {
	negative
	opts contract.CheckOptions
}{
	{negative{PlaceholdersCheckID, "aws", drop(),
		`webstack:edge.hostedZoneName is "example.org", a domain reserved for documentation (RFC 2606): replace it with your own value before ` + "`pulumi up`" + ` (the README's "Deploying for real")`},
		contract.CheckOptions{Placeholders: []contract.Placeholder{{Key: "webstack:edge.hostedZoneName", Value: "example.org", Why: "a domain reserved for documentation (RFC 2606)"}}}},
	// The value is carried by a resource: the finding is on that resource.
	{negative{PlaceholdersCheckID, "nacl-ssh-admin", to("nacl-ssh-admin", "cidrBlock", "198.51.100.0/24"),
		`webstack:bastion.allowedCidrs[0] is "198.51.100.0/24", inside 198.51.100.0/24, an address range reserved for documentation: replace it with your own value before ` + "`pulumi up`" + ` (the README's "Deploying for real")`},
		contract.CheckOptions{Placeholders: []contract.Placeholder{{Key: "webstack:bastion.allowedCidrs[0]", Value: "198.51.100.0/24", Why: "inside 198.51.100.0/24, an address range reserved for documentation"}}}},
}

// TestPlaceholdersExceptedOutsideProduction: a nonproduction stack reports a placeholder as an
// exception naming the profile, not as a failure.
func TestPlaceholdersExceptedOutsideProduction(t *testing.T) {
	opts := optionNegatives[0].opts
	opts.Profile = contract.NonProduction
	for _, r := range Evaluate(result(t, compliant()), opts).Results {
		if r.Check.ID == PlaceholdersCheckID && (r.Status != Exception || r.Exception != contract.ProfileKey) {
			t.Errorf("nonproduction: %s on %s is %s (%s), want an exception naming %s", r.Check.ID, r.Name, r.Status, r.Exception, contract.ProfileKey)
		}
	}
}

// TestChecksFail is every check's negative test: one violation each, with the exact message.
func TestChecksFail(t *testing.T) {
	all := make([]struct {
		negative
		opts contract.CheckOptions
	}, 0, len(negatives)+len(optionNegatives))
	for _, n := range negatives {
		all = append(all, struct {
			negative
			opts contract.CheckOptions
		}{n, contract.CheckOptions{}})
	}
	all = append(all, optionNegatives...)
	for _, n := range all {
		t.Run(n.check+"/"+n.msg[:min(len(n.msg), 30)], func(t *testing.T) {
			fxs := n.breakIt(t, compliant())
			rep := Evaluate(result(t, fxs), n.opts)
			var found *Result
			for i, r := range rep.Results {
				if r.Check.ID == n.check && r.Name == n.resource {
					found = &rep.Results[i]
				}
			}
			if found == nil {
				t.Fatalf("%s judged no resource named %q", n.check, n.resource)
			}
			want := n.resource + " (" + found.Type + "): " + n.msg
			if found.Status != Failed || found.Message != want {
				t.Errorf("%s on %s:\n got %s: %s\nwant failed: %s", n.check, n.resource, found.Status, found.Message, want)
			}
		})
	}
}

// TestEveryCheckHasANegativeTest keeps the table above complete as checks are added.
func TestEveryCheckHasANegativeTest(t *testing.T) {
	covered := map[string]bool{}
	for _, n := range optionNegatives {
		covered[n.check] = true
	}
	for _, n := range negatives {
		if Lookup(n.check) == nil {
			t.Errorf("negative test for unknown check %q", n.check)
		}
		covered[n.check] = true
	}
	for _, id := range IDs() {
		if !covered[id] {
			t.Errorf("check %s has no negative test in negatives", id)
		}
	}
}
