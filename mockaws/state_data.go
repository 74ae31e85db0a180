package mockaws

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/webstack/webstack/contract"
)

// dataIDPrefixes give the data tier's resources the ID shapes the provider reports.
var dataIDPrefixes = map[string]string{
	// Since v6 the provider's id of an RDS instance is its DbiResourceId.
	contract.TypeRDSInstance: "db-",
}

// dataStates are the attributes RDS, ElastiCache, Secrets Manager and pulumi-random compute.
var dataStates = map[string]stateFunc{
	contract.TypeRDSInstance: func(e *Engine, r *Resource, s resource.PropertyMap) {
		id := str(s, "identifier")
		if id == "" {
			id = r.Name + "-" + hash(r.URN, 8)
			s["identifier"] = resource.NewProperty(id)
		}
		port := 3306.0
		if v, ok := s["port"]; ok {
			if u, ok := unwrap(v); ok && u.IsNumber() {
				port = u.NumberValue()
			}
		}
		address := fmt.Sprintf("%s.c%s.%s.rds.amazonaws.com", id, hash(e.Region+AccountID, 12), e.Region)
		s["address"] = resource.NewProperty(address)
		s["endpoint"] = resource.NewProperty(fmt.Sprintf("%s:%d", address, int(port)))
		s["port"] = resource.NewProperty(port)
		s["arn"] = resource.NewProperty(e.arn("rds", "db:"+id))
		// The DbiResourceId: "db-" and 26 upper-case letters and digits, never the identifier
		// (what rds-db:connect policies name).
		s["resourceId"] = resource.NewProperty("db-" + strings.ToUpper(hash(r.URN+"dbi", 26)))
		s["hostedZoneId"] = resource.NewProperty("ZLA2NUCOLGUUR")
		s["status"] = resource.NewProperty("available")
		if str(s, "availabilityZone") == "" {
			s["availabilityZone"] = resource.NewProperty(e.Region + "a")
		}
		if str(s, "replicateSourceDb") != "" {
			// A replica takes engine, user and database from its source.
			s["engine"] = resource.NewProperty("mysql")
			s["replicas"] = resource.NewProperty([]resource.PropertyValue{})
		}
		if boolean(s, "manageMasterUserPassword") {
			s["masterUserSecrets"] = resource.NewProperty([]resource.PropertyValue{
				resource.NewProperty(resource.PropertyMap{
					"secretArn":    resource.NewProperty(e.arn("secretsmanager", fmt.Sprintf("secret:rds!db-%s-%s", uuid(r.URN), hash(r.URN+"s", 6)))),
					"secretStatus": resource.NewProperty("active"),
					"kmsKeyId":     resource.NewProperty(e.arn("kms", "key/"+uuid(e.Region+"aws/secretsmanager"))),
				}),
			})
		}
	},
	// An EventBridge rule on the default bus is named (auto-named without a name) and
	// identified by that name, its ARN "arn:aws:events:<region>:<account>:rule/<name>".
	contract.TypeCloudWatchEventRule: func(e *Engine, r *Resource, s resource.PropertyMap) {
		name := autoName(r, s)
		s["name"] = resource.NewProperty(name)
		s["arn"] = resource.NewProperty(e.arn("events", "rule/"+name))
	},
	contract.TypeRDSParameterGroup:      namedState("rds", "pg:"),
	contract.TypeRDSOptionGroup:         namedState("rds", "og:"),
	contract.TypeRDSSubnetGroup:         namedState("rds", "subgrp:"),
	contract.TypeElastiCacheSubnetGroup: namedState("elasticache", "subnetgroup:"),
	contract.TypeElastiCacheReplicationGroup: func(e *Engine, r *Resource, s resource.PropertyMap) {
		id := str(s, "replicationGroupId")
		if id == "" {
			id = r.ID
		}
		suffix := fmt.Sprintf("%s.%s.cache.amazonaws.com", hash(r.URN, 6), regionCode(e.Region))
		s["replicationGroupId"] = resource.NewProperty(id)
		s["arn"] = resource.NewProperty(e.arn("elasticache", "replicationgroup:"+id))
		s["primaryEndpointAddress"] = resource.NewProperty(fmt.Sprintf("master.%s.%s", id, suffix))
		s["readerEndpointAddress"] = resource.NewProperty(fmt.Sprintf("replica.%s.%s", id, suffix))
		if _, ok := s["port"]; !ok {
			s["port"] = resource.NewProperty(6379.0)
		}
		n := 1
		if v, ok := s["numCacheClusters"]; ok {
			if u, ok := unwrap(v); ok && u.IsNumber() {
				n = int(u.NumberValue())
			}
		}
		var members []resource.PropertyValue
		for i := 1; i <= n; i++ {
			members = append(members, resource.NewProperty(fmt.Sprintf("%s-%03d", id, i)))
		}
		s["memberClusters"] = resource.NewProperty(members)
		s["clusterEnabled"] = resource.NewProperty(false)
		s["engineVersionActual"] = resource.NewProperty(str(s, "engineVersion") + ".0")
	},
	contract.TypeSecretsManagerSecret: func(e *Engine, r *Resource, s resource.PropertyMap) {
		name := str(s, "name")
		if name == "" {
			name = r.Name + "-" + hash(r.URN, 7)
			s["name"] = resource.NewProperty(name)
		}
		s["arn"] = resource.NewProperty(e.arn("secretsmanager", fmt.Sprintf("secret:%s-%s", name, hash(r.URN+"s", 6))))
	},
	contract.TypeSecretsManagerSecretVersion: func(e *Engine, r *Resource, s resource.PropertyMap) {
		s["versionId"] = resource.NewProperty(uuid(r.URN))
		s["versionStages"] = resource.NewProperty([]resource.PropertyValue{resource.NewProperty("AWSCURRENT")})
	},
	contract.TypeSecretsManagerSecretRotation: func(e *Engine, r *Resource, s resource.PropertyMap) {
		s["rotationEnabled"] = resource.NewProperty(true)
		s["arn"] = resource.NewProperty(str(s, "secretId"))
	},
	contract.TypeServerlessRepositoryCloudFormationStack: func(e *Engine, r *Resource, s resource.PropertyMap) {
		// The provider's ID is the stack's ARN; AWS prefixes the name with "serverlessrepo-".
		// The MySQL rotation template's only output is the function's ARN.
		stack := "serverlessrepo-" + str(s, "name")
		s["arn"] = resource.NewProperty(e.arn("cloudformation", fmt.Sprintf("stack/%s/%s", stack, uuid(r.URN))))
		fn := ""
		if p, ok := s["parameters"]; ok {
			if u, ok := unwrap(p); ok && u.IsObject() {
				fn = str(u.ObjectValue(), "functionName")
			}
		}
		s["outputs"] = resource.NewProperty(resource.PropertyMap{
			"RotationLambdaARN": resource.NewProperty(e.arn("lambda", "function:"+fn)),
		})
	},
	contract.TypeRandomID: func(e *Engine, r *Resource, s resource.PropertyMap) {
		delete(s, "arn")
		n := 8
		if v, ok := s["byteLength"]; ok {
			if u, ok := unwrap(v); ok && u.IsNumber() {
				n = int(u.NumberValue())
			}
		}
		h := hash(r.URN+"randomid", 2*n)
		s["hex"] = resource.NewProperty(h)
		s["b64Url"] = resource.NewProperty(h)
		s["b64Std"] = resource.NewProperty(h)
		s["dec"] = resource.NewProperty(h)
	},
	contract.TypeRandomPassword: func(e *Engine, r *Resource, s resource.PropertyMap) {
		// A deterministic stand-in from the requested alphabet; a secret, like the real one.
		// pulumi-random resources have no ARN.
		delete(s, "arn")
		length := 16
		if v, ok := s["length"]; ok {
			if u, ok := unwrap(v); ok && u.IsNumber() {
				length = int(u.NumberValue())
			}
		}
		alphabet := "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789" + str(s, "overrideSpecial")
		var b strings.Builder
		for i := 0; b.Len() < length; i++ {
			h := hash(fmt.Sprintf("%s#%d", r.URN, i), 2)
			var x int
			fmt.Sscanf(h, "%x", &x)
			b.WriteByte(alphabet[x%len(alphabet)])
		}
		s["result"] = resource.MakeSecret(resource.NewProperty(b.String()))
		s["bcryptHash"] = resource.MakeSecret(resource.NewProperty("$2a$10$" + hash(r.URN+"bcrypt", 53)))
	},
}

// namedState gives an auto-named resource the name the provider would generate and its ARN.
func namedState(service, arnKind string) stateFunc {
	return func(e *Engine, r *Resource, s resource.PropertyMap) {
		name := str(s, "name")
		if name == "" {
			name = r.ID
			s["name"] = resource.NewProperty(name)
		}
		s["arn"] = resource.NewProperty(e.arn(service, arnKind+name))
	}
}

// uuid returns a stable UUID-shaped string derived from s.
func uuid(s string) string {
	h := hash(s, 32)
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}
