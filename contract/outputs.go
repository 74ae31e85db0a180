package contract

// Stack output names: the contract with deploy jobs and the release tool (`pulumi stack output
// --json`). docs/outputs.md documents each one; renaming one breaks every job that reads it.
const (
	OutVPCID             = "vpcId"
	OutPublicSubnetIDs   = "publicSubnetIds"
	OutAppSubnetIDs      = "appSubnetIds"
	OutDataSubnetIDs     = "dataSubnetIds"
	OutBastionInstanceID = "bastionInstanceId"
	OutBastionPublicIP   = "bastionPublicIp"

	// Data tier (docs/data.md). Endpoints are DNS names without the port; no output holds a
	// secret value, only the ARNs of the secrets.
	OutDBWriterEndpoint         = "dbWriterEndpoint"
	OutDBReaderEndpoints        = "dbReaderEndpoints"
	OutDBPort                   = "dbPort"
	OutDBSecretARN              = "dbSecretArn"
	OutRedisPrimaryEndpoint     = "redisPrimaryEndpoint"
	OutRedisReaderEndpoint      = "redisReaderEndpoint"
	OutRedisAuthSecretARN       = "redisAuthSecretArn"
	OutALBDNSName               = "albDnsName"
	OutALBARN                   = "albArn"
	OutProductionListenerARN    = "productionListenerArn"
	OutTestListenerARN          = "testListenerArn"
	OutTestURL                  = "testUrl"
	OutBlueTargetGroupARN       = "blueTargetGroupArn"
	OutGreenTargetGroupARN      = "greenTargetGroupArn"
	OutBlueASGName              = "blueAsgName"
	OutGreenASGName             = "greenAsgName"
	OutActiveColor              = "activeColor"
	OutIdleColor                = "idleColor"
	OutBlueVersion              = "blueVersion"
	OutGreenVersion             = "greenVersion"
	OutECRRepositoryURL         = "ecrRepositoryUrl"
	OutFrontendBucketName       = "frontendBucketName"
	OutCloudFrontDistributionID = "cloudfrontDistributionId"
	OutCloudFrontDomainName     = "cloudfrontDomainName"
	OutSiteURL                  = "siteUrl"
	OutAPIURL                   = "apiUrl"
	// OutUploadsBucketName is the uploads bucket (webstack:edge.uploads), "" without it.
	OutUploadsBucketName = "uploadsBucketName"

	// The release state as deployed, which the release tool starts from (it refuses a stack
	// file that disagrees): the canary weight and each color's sizes (a Capacity as JSON:
	// {minSize, desiredCapacity, maxSize}); the colors and versions are above.
	OutCanaryWeight  = "canaryWeight"
	OutBlueCapacity  = "blueCapacity"
	OutGreenCapacity = "greenCapacity"
	// OutReleaseCheckURL is siteUrl plus webstack:app.releaseCheckPath: the one URL every
	// release check requests, through CloudFront. With the header ReleaseCheckHeader set to
	// the value of the SSM SecureString parameter OutReleaseCheckParameter names, a request
	// reaches the idle color; without, the live one.
	OutReleaseCheckURL       = "releaseCheckUrl"
	OutReleaseCheckParameter = "releaseCheckParameter"
	// OutAlarmNamePrefix starts every alarm's name ("<project>-<stack>"); a color's alarms
	// start with "<prefix>-<color>-".
	OutAlarmNamePrefix = "alarmNamePrefix"
	// OutAppSettingsPath is the Parameter Store path the app's settings live under
	// ("/<project>/<stack>/app"): one String parameter per setting and a _manifest listing
	// them, which the instances read at boot and at every restart of the application.
	OutAppSettingsPath = "appSettingsPath"

	// OutAlertTopicARN is the SNS topic every alarm and RDS event notifies: subscribe an
	// on-call tool (PagerDuty, Opsgenie, a chat webhook) to it.
	OutAlertTopicARN = "alertTopicArn"
	// OutAlertWebhookSecretARN is webstack:alerts.webhookSecretArn: the Secrets Manager secret
	// whose value is the chat's incoming-webhook URL, which the release tool posts releases to
	// (empty without a webhook). Only the ARN: the URL is never an output.
	OutAlertWebhookSecretARN = "alertWebhookSecretArn"

	// The migration runner (docs/release.md, "The migration step"): the launch template the
	// release tool launches one instance from before each release, and the log group that
	// holds each run's whole output.
	OutMigrateLaunchTemplateID = "migrateLaunchTemplateId"
	OutMigrateLogGroupName     = "migrateLogGroupName"
)

// OutputNames lists every stack output the program exports, in documentation order.
var OutputNames = []string{
	OutVPCID, OutPublicSubnetIDs, OutAppSubnetIDs, OutDataSubnetIDs,
	OutBastionInstanceID, OutBastionPublicIP,
	OutDBWriterEndpoint, OutDBReaderEndpoints, OutDBPort, OutDBSecretARN,
	OutRedisPrimaryEndpoint, OutRedisReaderEndpoint, OutRedisAuthSecretARN,
	OutALBDNSName, OutALBARN, OutProductionListenerARN, OutTestListenerARN, OutTestURL,
	OutBlueTargetGroupARN, OutGreenTargetGroupARN, OutBlueASGName, OutGreenASGName,
	OutActiveColor, OutIdleColor, OutBlueVersion, OutGreenVersion, OutECRRepositoryURL,
	OutFrontendBucketName, OutCloudFrontDistributionID, OutCloudFrontDomainName, OutSiteURL, OutAPIURL,
	OutUploadsBucketName,
	OutAlertTopicARN, OutAlertWebhookSecretARN,
	OutCanaryWeight, OutBlueCapacity, OutGreenCapacity, OutReleaseCheckURL, OutReleaseCheckParameter, OutAlarmNamePrefix,
	OutAppSettingsPath,
	OutMigrateLaunchTemplateID, OutMigrateLogGroupName,
}

// OutVersion names the output that holds color c's version.
func OutVersion(c Color) string {
	if c == Green {
		return OutGreenVersion
	}
	return OutBlueVersion
}

// OutCapacity names the output that holds color c's capacity.
func OutCapacity(c Color) string {
	if c == Green {
		return OutGreenCapacity
	}
	return OutBlueCapacity
}
