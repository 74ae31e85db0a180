package stack

import "github.com/webstack/webstack/contract"

// Stack output names, as this package's wiring spells them: each is the contract's (package
// contract documents them), so an output is named once and renaming one breaks the build of
// the release tool too.
const (
	OutVPCID                    = contract.OutVPCID
	OutPublicSubnetIDs          = contract.OutPublicSubnetIDs
	OutAppSubnetIDs             = contract.OutAppSubnetIDs
	OutDataSubnetIDs            = contract.OutDataSubnetIDs
	OutBastionInstanceID        = contract.OutBastionInstanceID
	OutBastionPublicIP          = contract.OutBastionPublicIP
	OutDBWriterEndpoint         = contract.OutDBWriterEndpoint
	OutDBReaderEndpoints        = contract.OutDBReaderEndpoints
	OutDBPort                   = contract.OutDBPort
	OutDBSecretARN              = contract.OutDBSecretARN
	OutRedisPrimaryEndpoint     = contract.OutRedisPrimaryEndpoint
	OutRedisReaderEndpoint      = contract.OutRedisReaderEndpoint
	OutRedisAuthSecretARN       = contract.OutRedisAuthSecretARN
	OutALBDNSName               = contract.OutALBDNSName
	OutALBARN                   = contract.OutALBARN
	OutProductionListenerARN    = contract.OutProductionListenerARN
	OutTestListenerARN          = contract.OutTestListenerARN
	OutTestURL                  = contract.OutTestURL
	OutBlueTargetGroupARN       = contract.OutBlueTargetGroupARN
	OutGreenTargetGroupARN      = contract.OutGreenTargetGroupARN
	OutBlueASGName              = contract.OutBlueASGName
	OutGreenASGName             = contract.OutGreenASGName
	OutActiveColor              = contract.OutActiveColor
	OutIdleColor                = contract.OutIdleColor
	OutBlueVersion              = contract.OutBlueVersion
	OutGreenVersion             = contract.OutGreenVersion
	OutECRRepositoryURL         = contract.OutECRRepositoryURL
	OutFrontendBucketName       = contract.OutFrontendBucketName
	OutCloudFrontDistributionID = contract.OutCloudFrontDistributionID
	OutCloudFrontDomainName     = contract.OutCloudFrontDomainName
	OutSiteURL                  = contract.OutSiteURL
	OutAPIURL                   = contract.OutAPIURL
	OutUploadsBucketName        = contract.OutUploadsBucketName
	OutCanaryWeight             = contract.OutCanaryWeight
	OutBlueCapacity             = contract.OutBlueCapacity
	OutGreenCapacity            = contract.OutGreenCapacity
	OutReleaseCheckURL          = contract.OutReleaseCheckURL
	OutReleaseCheckParameter    = contract.OutReleaseCheckParameter
	OutAlarmNamePrefix          = contract.OutAlarmNamePrefix
	OutAlertTopicARN            = contract.OutAlertTopicARN
	OutAlertWebhookSecretARN    = contract.OutAlertWebhookSecretARN
	OutAppSettingsPath          = contract.OutAppSettingsPath
	OutMigrateLaunchTemplateID  = contract.OutMigrateLaunchTemplateID
	OutMigrateLogGroupName      = contract.OutMigrateLogGroupName
)

// OutputNames lists every stack output the program exports, in documentation order.
var OutputNames = contract.OutputNames
