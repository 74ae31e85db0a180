package awsdouble

import (
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/webstack/webstack/contract"
)

// changedKeys returns the top-level input keys whose values differ between olds and news, sorted.
// A value not known yet (a preview of something that depends on an unapplied change) counts as
// changed.
func changedKeys(olds, news resource.PropertyMap) []string {
	seen := map[resource.PropertyKey]bool{}
	var out []string
	for _, m := range []resource.PropertyMap{olds, news} {
		for k := range m {
			if seen[k] {
				continue
			}
			seen[k] = true
			o, inOld := olds[k]
			n, inNew := news[k]
			switch {
			case inOld != inNew:
				// A key set to null is the same as an absent one.
				if (inOld && !o.IsNull()) || (inNew && !n.IsNull()) {
					out = append(out, string(k))
				}
			case n.ContainsUnknowns():
				out = append(out, string(k))
			case !o.DeepEquals(n):
				out = append(out, string(k))
			}
		}
	}
	sort.Strings(out)
	return out
}

// replaceOnChange reports whether AWS (through the provider) replaces a resource of type typ
// when input key changes, instead of updating it in place. It lists the properties the program
// sets that the provider marks ForceNew; everything else is updated in place.
func replaceOnChange(typ, key string) bool {
	if strings.HasPrefix(typ, "random:") {
		// Every input of a pulumi-random resource forces a new value.
		return true
	}
	return forceNew[typ][key]
}

// forceNew lists, per resource type, the inputs the program sets that cannot change in place
// (the provider's ForceNew schema attributes).
var forceNew = map[string]map[string]bool{
	contract.TypeEC2VPC:                      {"cidrBlock": true},
	contract.TypeEC2Subnet:                   {"vpcId": true, "cidrBlock": true, "availabilityZone": true},
	contract.TypeEC2SecurityGroup:            {"vpcId": true, "name": true, "namePrefix": true, "description": true},
	contract.TypeEC2NatGateway:               {"subnetId": true, "allocationId": true},
	contract.TypeEC2RouteTable:               {"vpcId": true},
	contract.TypeEC2Route:                    {"routeTableId": true, "destinationCidrBlock": true},
	contract.TypeEC2VPCEndpoint:              {"vpcId": true, "serviceName": true, "vpcEndpointType": true},
	contract.TypeEC2Instance:                 {"ami": true, "subnetId": true, "availabilityZone": true},
	contract.TypeLBLoadBalancer:              {"name": true, "namePrefix": true, "internal": true, "loadBalancerType": true},
	contract.TypeLBTargetGroup:               {"name": true, "namePrefix": true, "port": true, "protocol": true, "vpcId": true, "targetType": true, "protocolVersion": true},
	contract.TypeLBListener:                  {"loadBalancerArn": true},
	contract.TypeLBListenerRule:              {"listenerArn": true},
	contract.TypeAutoscalingGroup:            {"name": true, "namePrefix": true},
	contract.TypeECRRepository:               {"name": true},
	contract.TypeRDSInstance:                 {"identifier": true, "engine": true, "dbName": true, "username": true, "storageEncrypted": true, "kmsKeyId": true, "availabilityZone": true, "replicateSourceDb": false},
	contract.TypeRDSSubnetGroup:              {"name": true, "namePrefix": true},
	contract.TypeRDSParameterGroup:           {"name": true, "namePrefix": true, "family": true},
	contract.TypeRDSOptionGroup:              {"name": true, "namePrefix": true, "engineName": true, "majorEngineVersion": true},
	contract.TypeElastiCacheReplicationGroup: {"replicationGroupId": true, "engine": true, "atRestEncryptionEnabled": true, "subnetGroupName": true},
	contract.TypeS3BucketV2:                  {"bucket": true, "bucketPrefix": true},
	contract.TypeCloudWatchLogGroup:          {"name": true, "namePrefix": true},
	contract.TypeSecretsManagerSecret:        {"name": true, "namePrefix": true},
	contract.TypeKMSAlias:                    {"name": true},
	contract.TypeSNSTopic:                    {"name": true, "namePrefix": true},
	contract.TypeSNSTopicSubscription:        {"topic": true, "protocol": true, "endpoint": true},
	contract.TypeIAMRole:                     {"name": true, "namePrefix": true},
	contract.TypeIAMInstanceProfile:          {"name": true, "namePrefix": true},
	contract.TypeCloudFrontFunction:          {"name": true},
	contract.TypeWAFv2WebACL:                 {"name": true, "scope": true},
	contract.TypeACMCertificate:              {"domainName": true, "validationMethod": true, "keyAlgorithm": true},
	contract.TypeRoute53Record:               {"zoneId": true, "name": true, "type": true},
}
