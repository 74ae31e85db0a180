package mockaws

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/webstack/webstack/contract"
)

// CloudFrontHostedZoneID is the Route 53 zone of every CloudFront distribution (AWS documents
// it as the alias target zone for CloudFront).
const CloudFrontHostedZoneID = "Z2FDTNDATAQYW2"

// edgeStates are the computed attributes of the edge tier's resources. Where AWS's physical ID
// is not "<prefix>-<hex>" (bucket names, distribution IDs, record IDs), the function also sets
// r.ID, which the engine returns as the physical ID.
var edgeStates = map[string]stateFunc{
	contract.TypeS3BucketV2: func(e *Engine, r *Resource, s resource.PropertyMap) {
		name := str(s, "bucket")
		if name == "" {
			// S3 appends a 26-character unique suffix to a prefix.
			name = str(s, "bucketPrefix") + hash(r.URN, 26)
			s["bucket"] = resource.NewProperty(name)
		}
		r.ID = name
		s["arn"] = resource.NewProperty(fmt.Sprintf("arn:%s:s3:::%s", Partition, name))
		s["bucketDomainName"] = resource.NewProperty(name + ".s3.amazonaws.com")
		s["bucketRegionalDomainName"] = resource.NewProperty(fmt.Sprintf("%s.s3.%s.amazonaws.com", name, e.Region))
		s["region"] = resource.NewProperty(e.Region)
		s["hostedZoneId"] = resource.NewProperty("Z3W03O7B5YMIYP")
	},
	contract.TypeCloudFrontDistribution: func(e *Engine, r *Resource, s resource.PropertyMap) {
		id := strings.ToUpper(hash(r.URN, 13))
		r.ID = "E" + id
		s["arn"] = resource.NewProperty(fmt.Sprintf("arn:%s:cloudfront::%s:distribution/%s", Partition, AccountID, r.ID))
		s["domainName"] = resource.NewProperty("d" + hash(r.URN+"d", 13) + ".cloudfront.net")
		s["hostedZoneId"] = resource.NewProperty(CloudFrontHostedZoneID)
		s["status"] = resource.NewProperty("Deployed")
		s["etag"] = resource.NewProperty("E" + strings.ToUpper(hash(r.URN+"e", 13)))
		s["callerReference"] = resource.NewProperty("terraform-" + hash(r.URN+"c", 20))
	},
	contract.TypeCloudFrontOriginAccessControl: func(e *Engine, r *Resource, s resource.PropertyMap) {
		r.ID = "E" + strings.ToUpper(hash(r.URN, 13))
		delete(s, "arn")
		s["etag"] = resource.NewProperty("E" + strings.ToUpper(hash(r.URN+"e", 13)))
	},
	contract.TypeCloudFrontFunction: func(e *Engine, r *Resource, s resource.PropertyMap) {
		name := str(s, "name")
		if name == "" {
			name = r.Name + "-" + hash(r.URN, 7)
			s["name"] = resource.NewProperty(name)
		}
		r.ID = name
		s["arn"] = resource.NewProperty(fmt.Sprintf("arn:%s:cloudfront::%s:function/%s", Partition, AccountID, name))
		s["status"] = resource.NewProperty("UNASSOCIATED")
		s["etag"] = resource.NewProperty("E" + strings.ToUpper(hash(r.URN+"e", 13)))
		s["liveStageEtag"] = s["etag"]
	},
	contract.TypeCloudFrontResponseHeadersPolicy: func(e *Engine, r *Resource, s resource.PropertyMap) {
		r.ID = edgeUUID(r.URN)
		delete(s, "arn")
		s["etag"] = resource.NewProperty("E" + strings.ToUpper(hash(r.URN+"e", 13)))
	},
	contract.TypeACMCertificate: func(e *Engine, r *Resource, s resource.PropertyMap) {
		region := e.providerRegion(r.Provider)
		r.ID = fmt.Sprintf("arn:%s:acm:%s:%s:certificate/%s", Partition, region, AccountID, edgeUUID(r.URN))
		s["arn"] = resource.NewProperty(r.ID)
		domain := str(s, "domainName")
		token := hash(r.URN+"v", 32)
		s["domainValidationOptions"] = resource.NewProperty([]resource.PropertyValue{resource.NewProperty(resource.PropertyMap{
			"domainName":          resource.NewProperty(domain),
			"resourceRecordName":  resource.NewProperty("_" + token + "." + domain + "."),
			"resourceRecordType":  resource.NewProperty("CNAME"),
			"resourceRecordValue": resource.NewProperty("_" + hash(r.URN+"w", 32) + ".acm-validations.aws."),
		})})
		s["status"] = resource.NewProperty("PENDING_VALIDATION")
	},
	contract.TypeACMCertificateValidation: func(e *Engine, r *Resource, s resource.PropertyMap) {
		delete(s, "arn")
	},
	contract.TypeRoute53Record: func(e *Engine, r *Resource, s resource.PropertyMap) {
		delete(s, "arn")
		fqdn := strings.TrimSuffix(str(s, "name"), ".")
		r.ID = fmt.Sprintf("%s_%s_%s", str(s, "zoneId"), fqdn, str(s, "type"))
		s["fqdn"] = resource.NewProperty(fqdn)
	},
	contract.TypeWAFv2WebACL: func(e *Engine, r *Resource, s resource.PropertyMap) {
		name := str(s, "name")
		if name == "" {
			name = r.Name + "-" + hash(r.URN, 7)
			s["name"] = resource.NewProperty(name)
		}
		scope := "regional"
		if str(s, "scope") == "CLOUDFRONT" {
			scope = "global"
		}
		r.ID = edgeUUID(r.URN)
		s["arn"] = resource.NewProperty(fmt.Sprintf("arn:%s:wafv2:%s:%s:%s/webacl/%s/%s", Partition, e.providerRegion(r.Provider), AccountID, scope, name, r.ID))
		s["capacity"] = resource.NewProperty(float64(webACLCapacity(r)))
		s["lockToken"] = resource.NewProperty(edgeUUID(r.URN + "lock"))
	},
}

// edgeUUID returns a stable UUID-shaped string derived from s.
func edgeUUID(s string) string {
	h := hash(s, 32)
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// providerRegion returns the region of the provider a resource uses: its explicit region
// input, or the engine's region.
func (e *Engine) providerRegion(providerRef string) string {
	urn := providerURN(providerRef)
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, p := range e.resources {
		if p.URN == urn {
			if region := str(p.Inputs, "region"); region != "" {
				return region
			}
		}
	}
	return e.Region
}
