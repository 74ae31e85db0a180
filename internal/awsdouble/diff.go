package awsdouble

import (
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
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
	"aws:ec2/vpc:Vpc":                                   {"cidrBlock": true},
	"aws:ec2/subnet:Subnet":                             {"vpcId": true, "cidrBlock": true, "availabilityZone": true},
	"aws:ec2/securityGroup:SecurityGroup":               {"vpcId": true, "name": true, "namePrefix": true, "description": true},
	"aws:ec2/natGateway:NatGateway":                     {"subnetId": true, "allocationId": true},
	"aws:ec2/routeTable:RouteTable":                     {"vpcId": true},
	"aws:ec2/route:Route":                               {"routeTableId": true, "destinationCidrBlock": true},
	"aws:ec2/vpcEndpoint:VpcEndpoint":                   {"vpcId": true, "serviceName": true, "vpcEndpointType": true},
	"aws:ec2/instance:Instance":                         {"ami": true, "subnetId": true, "availabilityZone": true},
	"aws:lb/loadBalancer:LoadBalancer":                  {"name": true, "namePrefix": true, "internal": true, "loadBalancerType": true},
	"aws:lb/targetGroup:TargetGroup":                    {"name": true, "namePrefix": true, "port": true, "protocol": true, "vpcId": true, "targetType": true, "protocolVersion": true},
	"aws:lb/listener:Listener":                          {"loadBalancerArn": true},
	"aws:lb/listenerRule:ListenerRule":                  {"listenerArn": true},
	"aws:autoscaling/group:Group":                       {"name": true, "namePrefix": true},
	"aws:ecr/repository:Repository":                     {"name": true},
	"aws:rds/instance:Instance":                         {"identifier": true, "engine": true, "dbName": true, "username": true, "storageEncrypted": true, "kmsKeyId": true, "availabilityZone": true, "replicateSourceDb": false},
	"aws:rds/subnetGroup:SubnetGroup":                   {"name": true, "namePrefix": true},
	"aws:rds/parameterGroup:ParameterGroup":             {"name": true, "namePrefix": true, "family": true},
	"aws:rds/optionGroup:OptionGroup":                   {"name": true, "namePrefix": true, "engineName": true, "majorEngineVersion": true},
	"aws:elasticache/replicationGroup:ReplicationGroup": {"replicationGroupId": true, "engine": true, "atRestEncryptionEnabled": true, "subnetGroupName": true},
	"aws:s3/bucketV2:BucketV2":                          {"bucket": true, "bucketPrefix": true},
	"aws:cloudwatch/logGroup:LogGroup":                  {"name": true, "namePrefix": true},
	"aws:secretsmanager/secret:Secret":                  {"name": true, "namePrefix": true},
	"aws:kms/alias:Alias":                               {"name": true},
	"aws:sns/topic:Topic":                               {"name": true, "namePrefix": true},
	"aws:sns/topicSubscription:TopicSubscription":       {"topic": true, "protocol": true, "endpoint": true},
	"aws:iam/role:Role":                                 {"name": true, "namePrefix": true},
	"aws:iam/instanceProfile:InstanceProfile":           {"name": true, "namePrefix": true},
	"aws:cloudfront/function:Function":                  {"name": true},
	"aws:wafv2/webAcl:WebAcl":                           {"name": true, "scope": true},
	"aws:acm/certificate:Certificate":                   {"domainName": true, "validationMethod": true, "keyAlgorithm": true},
	"aws:route53/record:Record":                         {"zoneId": true, "name": true, "type": true},
}
