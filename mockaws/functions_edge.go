package mockaws

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/webstack/webstack/contract"
)

// CloudFrontPrefixListID is the ID the mock gives CloudFront's origin-facing prefix list.
const CloudFrontPrefixListID = "pl-82a045eb"

// CanonicalUserID is the account's S3 canonical user ID in the mock.
const CanonicalUserID = "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"

// edgeFunctions answer the provider functions of the edge tier (and of the network tier's
// CloudFront-only ALB ingress).
var edgeFunctions = map[string]function{
	contract.InvokeEC2GetManagedPrefixList: func(e *Engine, args resource.PropertyMap) (resource.PropertyMap, error) {
		name := str(args, "name")
		if name != "com.amazonaws.global.cloudfront.origin-facing" {
			return nil, fmt.Errorf("managed prefix list %q is not one the mock knows (look it up by name)", name)
		}
		return resource.PropertyMap{
			"id":            resource.NewProperty(CloudFrontPrefixListID),
			"name":          resource.NewProperty(name),
			"arn":           resource.NewProperty(fmt.Sprintf("arn:%s:ec2:%s:aws:prefix-list/%s", Partition, e.Region, CloudFrontPrefixListID)),
			"addressFamily": resource.NewProperty("IPv4"),
			"maxEntries":    resource.NewProperty(55.0),
			"ownerId":       resource.NewProperty("AWS"),
			"version":       resource.NewProperty(1.0),
			"entries":       resource.NewProperty([]resource.PropertyValue{}),
			"tags":          resource.NewProperty(resource.PropertyMap{}),
		}, nil
	},
	contract.InvokeRoute53GetZone: func(e *Engine, args resource.PropertyMap) (resource.PropertyMap, error) {
		name := strings.TrimSuffix(str(args, "name"), ".")
		id := str(args, "zoneId")
		switch {
		case name == "" && id == "":
			return nil, fmt.Errorf("getZone needs a name or a zoneId")
		case id == "":
			id = "Z" + strings.ToUpper(hash("zone:"+name, 20))
		case name == "":
			name = "example.com"
		}
		return resource.PropertyMap{
			"id":                       resource.NewProperty(id),
			"zoneId":                   resource.NewProperty(id),
			"name":                     resource.NewProperty(name),
			"arn":                      resource.NewProperty(fmt.Sprintf("arn:%s:route53:::hostedzone/%s", Partition, id)),
			"privateZone":              resource.NewProperty(false),
			"callerReference":          resource.NewProperty(hash(id, 16)),
			"comment":                  resource.NewProperty(""),
			"nameServers":              resource.NewProperty([]resource.PropertyValue{resource.NewProperty("ns-1.awsdns-00.com")}),
			"primaryNameServer":        resource.NewProperty("ns-1.awsdns-00.com"),
			"resourceRecordSetCount":   resource.NewProperty(2.0),
			"tags":                     resource.NewProperty(resource.PropertyMap{}),
			"linkedServiceDescription": resource.NewProperty(""),
			"linkedServicePrincipal":   resource.NewProperty(""),
		}, nil
	},
	contract.InvokeS3GetCanonicalUserID: func(e *Engine, _ resource.PropertyMap) (resource.PropertyMap, error) {
		return resource.PropertyMap{
			"id":          resource.NewProperty(CanonicalUserID),
			"displayName": resource.NewProperty("plan"),
		}, nil
	},
}
