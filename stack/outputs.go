package stack

// Stack output names: the contract with deploy jobs (`pulumi stack output --json`). The README
// documents each one; renaming one breaks every job that reads it.
const (
	OutVpcID             = "vpcId"
	OutPublicSubnetIDs   = "publicSubnetIds"
	OutAppSubnetIDs      = "appSubnetIds"
	OutDataSubnetIDs     = "dataSubnetIds"
	OutBastionInstanceID = "bastionInstanceId"
	OutBastionPublicIP   = "bastionPublicIp"

	OutFrontendBucketName       = "frontendBucketName"
	OutCloudfrontDistributionID = "cloudfrontDistributionId"
	OutCloudfrontDomainName     = "cloudfrontDomainName"
	OutSiteURL                  = "siteUrl"
	OutAPIURL                   = "apiUrl"
)

// OutputNames lists every stack output the program exports, in documentation order.
var OutputNames = []string{
	OutVpcID, OutPublicSubnetIDs, OutAppSubnetIDs, OutDataSubnetIDs,
	OutBastionInstanceID, OutBastionPublicIP,
	OutFrontendBucketName, OutCloudfrontDistributionID, OutCloudfrontDomainName, OutSiteURL, OutAPIURL,
}
