package stack_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/webstack/webstack/contract"
	"github.com/webstack/webstack/data"
	"github.com/webstack/webstack/mockaws"
	"github.com/webstack/webstack/plan"
)

const (
	rdsInstance      = "aws:rds/instance:Instance"
	replicationGroup = "aws:elasticache/replicationGroup:ReplicationGroup"
	ingressRule      = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
	egressRule       = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"
	securityGroup    = "aws:ec2/securityGroup:SecurityGroup"
)

var stacks = []string{"prod", "dev", "test"}

func runStack(t *testing.T, name string) (*plan.Plan, *mockaws.Result) {
	t.Helper()
	p, res, err := plan.Run("..", name)
	if err != nil {
		t.Fatalf("stack %s: %v", name, err)
	}
	return p, res
}

func find(t *testing.T, res *mockaws.Result, typ, name string) *mockaws.Resource {
	t.Helper()
	r := res.Find(typ, name)
	if r == nil {
		t.Fatalf("stack %s: no %s named %q", res.Stack, typ, name)
	}
	return r
}

func num(v any) int {
	f, _ := v.(float64)
	return int(f)
}

// TestDataTierShapePerStack holds each real stack file to the data tier each stack file asks for (docs/data.md).
func TestDataTierShapePerStack(t *testing.T) {
	type shape struct {
		multiAZ, protect, deletionProtection, finalSnapshot, cacheFailover bool
		minBackups, cacheNodes                                             int
	}
	wantShape := map[string]shape{
		"prod": {multiAZ: true, protect: true, deletionProtection: true, finalSnapshot: true, cacheFailover: true, minBackups: 7, cacheNodes: 2},
		"dev":  {minBackups: 1, cacheNodes: 1},
		"test": {multiAZ: true, cacheFailover: true, minBackups: 7, cacheNodes: 2},
	}
	for _, name := range stacks {
		t.Run(name, func(t *testing.T) {
			_, res := runStack(t, name)
			ws := wantShape[name]
			if n := len(res.ByType(rdsInstance)); n != 2 {
				t.Errorf("%d RDS instances, want a writer and one replica", n)
			}
			w := find(t, res, rdsInstance, "db-primary")
			r := find(t, res, rdsInstance, "db-replica-1")
			preferred := "ap-northeast-2a"
			if got := w.Input("multiAz"); got != ws.multiAZ {
				t.Errorf("writer multiAz = %v, want %v", got, ws.multiAZ)
			}
			if ws.multiAZ && w.Input("availabilityZone") != nil {
				t.Errorf("writer: Multi-AZ with availabilityZone %v (docs/gotchas.md, \"RDS Multi-AZ writers take no availability zone\")", w.Input("availabilityZone"))
			}
			if !ws.multiAZ && w.Input("availabilityZone") != preferred {
				t.Errorf("single-AZ writer in %v, want %s", w.Input("availabilityZone"), preferred)
			}
			if az := r.Input("availabilityZone"); az == nil || az == preferred {
				t.Errorf("replica in %v: want an AZ other than the writer's preferred %s", az, preferred)
			}
			if r.Input("replicateSourceDb") != w.Input("identifier") {
				t.Errorf("replica replicateSourceDb = %v, want the writer's identifier %v", r.Input("replicateSourceDb"), w.Input("identifier"))
			}
			if got := num(w.Input("backupRetentionPeriod")); got < ws.minBackups {
				t.Errorf("writer keeps backups %d days, want at least %d", got, ws.minBackups)
			}
			if w.Input("deletionProtection") != ws.deletionProtection {
				t.Errorf("writer deletionProtection = %v, want %v", w.Input("deletionProtection"), ws.deletionProtection)
			}
			if (w.Input("finalSnapshotIdentifier") != nil) != ws.finalSnapshot || w.Input("skipFinalSnapshot") != !ws.finalSnapshot {
				t.Errorf("writer final snapshot: skip=%v identifier=%v, want a final snapshot: %v", w.Input("skipFinalSnapshot"), w.Input("finalSnapshotIdentifier"), ws.finalSnapshot)
			}
			if w.Input("manageMasterUserPassword") != nil || w.Input("password") != mockaws.Secret || w.Input("storageEncrypted") != true || w.Input("publiclyAccessible") != false {
				t.Errorf("writer: the generated password (a secret, not RDS's managed one), encrypted and private are required")
			}
			if w.Input("engineVersion") != "8.4" || w.Input("engineLifecycleSupport") != "open-source-rds-extended-support-disabled" {
				t.Errorf("writer: engine %v with lifecycle %v, want 8.4 without RDS Extended Support", w.Input("engineVersion"), w.Input("engineLifecycleSupport"))
			}
			if w.Input("deleteAutomatedBackups") != !ws.finalSnapshot {
				t.Errorf("writer deleteAutomatedBackups = %v, want %v (kept only with a final snapshot)", w.Input("deleteAutomatedBackups"), !ws.finalSnapshot)
			}
			rot := find(t, res, "aws:secretsmanager/secretRotation:SecretRotation", "db-master-rotation")
			if rot.Input("rotationRules", "automaticallyAfterDays") != float64(30) || rot.Input("rotationLambdaArn") == nil {
				t.Errorf("master secret rotation %v, want every 30 days by the rotation function", rot.Inputs)
			}
			// The first rotation waits for the whole path out of the app subnets, their route
			// table associations included (until then they use the main route table, which
			// has no default route), and for the rule that reports its failure.
			var waits []string
			for _, urn := range rot.Dependencies {
				waits = append(waits, urn[strings.LastIndex(urn, "::")+2:])
			}
			rtas := 0
			for _, a := range res.ByType("aws:ec2/routeTableAssociation:RouteTableAssociation") {
				if strings.HasPrefix(a.Name, "net-app-") {
					rtas++
					if !slices.Contains(rot.Dependencies, a.URN) {
						t.Errorf("the first rotation does not wait for %s (waits for %v)", a.Name, waits)
					}
				}
			}
			if rtas == 0 {
				t.Errorf("no app route table associations found")
			}
			if alert := find(t, res, "aws:cloudwatch/eventTarget:EventTarget", "db-rotation-failed-alert"); !slices.Contains(rot.Dependencies, alert.URN) ||
				alert.Input("arn") != res.Outputs[contract.OutAlertTopicARN] {
				t.Errorf("failed rotations: target %v waited for %v, want the alert topic %v before the first rotation",
					alert.Input("arn"), slices.Contains(rot.Dependencies, alert.URN), res.Outputs[contract.OutAlertTopicARN])
			}
			// A failed rotation also pages where the account has no CloudTrail trail (which
			// the event rule needs): the rotation function's Errors alarm, in place before the
			// first rotation.
			fn := find(t, res, "aws:serverlessrepository/cloudFormationStack:CloudFormationStack", "db-rotation-function")
			errs := find(t, res, "aws:cloudwatch/metricAlarm:MetricAlarm", "db-rotation-errors-alarm")
			if errs.Input("namespace") != "AWS/Lambda" || errs.Input("metricName") != "Errors" ||
				errs.Input("dimensions", "FunctionName") != fn.Input("parameters", "functionName") ||
				errs.Input("alarmActions", 0) != res.Outputs[contract.OutAlertTopicARN] || !slices.Contains(rot.Dependencies, errs.URN) {
				t.Errorf("rotation errors alarm on %v %v of %v notifying %v (first rotation waits: %v), want AWS/Lambda Errors of the rotation function %v to the alert topic",
					errs.Input("namespace"), errs.Input("metricName"), errs.Input("dimensions"), errs.Input("alarmActions"), slices.Contains(rot.Dependencies, errs.URN), fn.Input("parameters", "functionName"))
			}
			if fn.Input("semanticVersion") != data.PinnedRotationVersion("aws") {
				t.Errorf("rotation application version %v, want the pinned %s", fn.Input("semanticVersion"), data.PinnedRotationVersion("aws"))
			}
			// A kept final snapshot keeps the option group in use: destroy leaves it.
			if og := find(t, res, "aws:rds/optionGroup:OptionGroup", "db-options"); og.Input("skipDestroy") != ws.finalSnapshot {
				t.Errorf("option group skipDestroy = %v, want %v (kept with the final snapshot)", og.Input("skipDestroy"), ws.finalSnapshot)
			}
			rg := find(t, res, replicationGroup, "cache-group")
			if got := num(rg.Input("numCacheClusters")); got != ws.cacheNodes {
				t.Errorf("cache nodes = %d, want %d", got, ws.cacheNodes)
			}
			if rg.Input("automaticFailoverEnabled") != ws.cacheFailover || rg.Input("multiAzEnabled") != ws.cacheFailover {
				t.Errorf("cache failover/multi-AZ = %v/%v, want %v", rg.Input("automaticFailoverEnabled"), rg.Input("multiAzEnabled"), ws.cacheFailover)
			}
			if rg.Input("atRestEncryptionEnabled") != true || rg.Input("transitEncryptionMode") != "required" || rg.Input("authToken") != mockaws.Secret {
				t.Errorf("cache: encryption at rest, TLS required and a secret AUTH token are required")
			}
			for _, x := range []*mockaws.Resource{w, r, rg} {
				if x.Protect != ws.protect {
					t.Errorf("%s: protect = %v, want %v", x.Name, x.Protect, ws.protect)
				}
			}

			// Both subnet groups hold exactly the data subnets.
			data := res.Outputs[contract.OutDataSubnetIDs]
			for _, sg := range []*mockaws.Resource{
				find(t, res, "aws:rds/subnetGroup:SubnetGroup", "db-subnets"),
				find(t, res, "aws:elasticache/subnetGroup:SubnetGroup", "cache-subnets"),
			} {
				if !reflect.DeepEqual(sg.Input("subnetIds"), data) {
					t.Errorf("%s: subnets %v, want the data subnets %v", sg.Name, sg.Input("subnetIds"), data)
				}
			}
		})
	}
}

// TestRotationAppVersionFromConfig: webstack:database.rotationAppVersion moves the rotation
// function to another version of the application without a code change.
func TestRotationAppVersionFromConfig(t *testing.T) {
	sf, err := plan.Load("..", "prod")
	if err != nil {
		t.Fatal(err)
	}
	sf, err = sf.WithSection("webstack:database", func(db map[string]any) { db["rotationAppVersion"] = "1.1.700" })
	if err != nil {
		t.Fatal(err)
	}
	_, res, err := plan.RunFiles(sf)
	if err != nil {
		t.Fatal(err)
	}
	fn := find(t, res, "aws:serverlessrepository/cloudFormationStack:CloudFormationStack", "db-rotation-function")
	if got := fn.Input("semanticVersion"); got != "1.1.700" {
		t.Errorf("rotation application version %v, want the configured 1.1.700", got)
	}
}

// TestDataSecurityGroupRules: MySQL only from the app, bastion and rotation function groups,
// Redis only from the app group, and no CIDR ingress on a data port anywhere. The rotation
// function runs in the app subnets (which reach the Secrets Manager API) in its own group.
func TestDataSecurityGroupRules(t *testing.T) {
	for _, name := range stacks {
		t.Run(name, func(t *testing.T) {
			_, res := runStack(t, name)
			sgID := func(role string) string { return find(t, res, securityGroup, "net-"+role+"-sg").ID }
			db, cache, app, bastion, rotation := sgID("db"), sgID("cache"), sgID("app"), sgID("bastion"), sgID("rotation")
			w := find(t, res, rdsInstance, "db-primary")
			dbPort, cachePort := num(w.Input("port")), num(find(t, res, replicationGroup, "cache-group").Input("port"))
			if dbPort == 3306 || dbPort == 0 {
				t.Errorf("database port %d: RDS.23 wants a non-default port", dbPort)
			}

			from := map[string][]string{}
			for _, rule := range res.ByType(ingressRule) {
				target, _ := rule.Input("securityGroupId").(string)
				port := num(rule.Input("fromPort"))
				if cidr := rule.Input("cidrIpv4"); cidr != nil && (port == dbPort || port == cachePort || target == db || target == cache) {
					t.Errorf("%s: CIDR %v ingress on port %d of %s", rule.Name, cidr, port, target)
				}
				if target == db || target == cache {
					if num(rule.Input("toPort")) != port || (target == db && port != dbPort) || (target == cache && port != cachePort) {
						t.Errorf("%s: ports %v-%v on %s, want only its data port", rule.Name, port, rule.Input("toPort"), target)
					}
					src, _ := rule.Input("referencedSecurityGroupId").(string)
					from[target] = append(from[target], src)
				}
			}
			for target, want := range map[string][]string{db: {app, bastion, rotation}, cache: {app}} {
				got := slices.Sorted(slices.Values(from[target]))
				if !slices.Equal(got, slices.Sorted(slices.Values(want))) {
					t.Errorf("ingress sources of %s = %v, want %v", target, got, want)
				}
			}
			// The data groups never open connections themselves.
			for _, rule := range res.ByType(egressRule) {
				if g := rule.Input("securityGroupId"); g == db || g == cache {
					t.Errorf("%s: egress from a data security group", rule.Name)
				}
			}
			for _, inst := range res.ByType(rdsInstance) {
				if !reflect.DeepEqual(inst.Input("vpcSecurityGroupIds"), []any{db}) {
					t.Errorf("%s: security groups %v, want only the db group %s", inst.Name, inst.Input("vpcSecurityGroupIds"), db)
				}
			}
			if got := find(t, res, replicationGroup, "cache-group").Input("securityGroupIds"); !reflect.DeepEqual(got, []any{cache}) {
				t.Errorf("cache security groups %v, want only the cache group %s", got, cache)
			}
			fn := find(t, res, "aws:serverlessrepository/cloudFormationStack:CloudFormationStack", "db-rotation-function")
			var appSubnets []string
			for _, s := range res.Outputs[contract.OutAppSubnetIDs].([]any) {
				appSubnets = append(appSubnets, s.(string))
			}
			if fn.Input("parameters", "vpcSecurityGroupIds") != rotation || fn.Input("parameters", "vpcSubnetIds") != strings.Join(appSubnets, ",") {
				t.Errorf("rotation function in %v / %v, want the rotation group %s in the app subnets %v",
					fn.Input("parameters", "vpcSecurityGroupIds"), fn.Input("parameters", "vpcSubnetIds"), rotation, appSubnets)
			}
		})
	}
}

// dataResources returns the data tier's resources (the Database and Cache components and
// everything under them) as comparable JSON, keyed by URN.
func dataResources(t *testing.T, res *mockaws.Result) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, r := range res.Resources {
		if !strings.Contains(r.URN, "webstack:data:") {
			continue
		}
		b, err := json.Marshal(map[string]any{
			"inputs": mockaws.PlainMap(r.Inputs), "protect": r.Protect, "parent": r.Parent,
			"dependencies": r.Dependencies, "provider": r.Provider, "ignoreChanges": r.IgnoreChanges,
		})
		if err != nil {
			t.Fatal(err)
		}
		out[r.URN] = string(b)
	}
	return out
}

// TestDataTierIgnoresNonDataConfig: changing config outside the data sections changes no
// data-tier resource. The lead extends the changes with webstack:app (version, active color)
// once the compute tier is merged; the design's invariant is that nothing in the data tier
// depends on them.
func TestDataTierIgnoresNonDataConfig(t *testing.T) {
	for _, name := range stacks {
		t.Run(name, func(t *testing.T) {
			sf, err := plan.Load("..", name)
			if err != nil {
				t.Fatal(err)
			}
			_, before, err := plan.RunFiles(sf)
			if err != nil {
				t.Fatal(err)
			}
			changes := map[string]string{
				"webstack:bastion": `{"instanceType": "t4g.small", "allowedCidrs": ["203.0.113.0/24"]}`,
			}
			for k, v := range changes {
				sf.Values[k] = v
			}
			_, after, err := plan.RunFiles(sf)
			if err != nil {
				t.Fatal(err)
			}
			// The change must be visible somewhere, or the test proves nothing.
			if reflect.DeepEqual(find(t, before, "aws:ec2/instance:Instance", "bastion").Inputs, find(t, after, "aws:ec2/instance:Instance", "bastion").Inputs) {
				t.Fatalf("changing %v changed nothing at all", changes)
			}
			b, a := dataResources(t, before), dataResources(t, after)
			if len(b) < 20 {
				t.Fatalf("only %d data-tier resources found; the URN filter is wrong", len(b))
			}
			for urn, v := range b {
				if a[urn] != v {
					t.Errorf("changing %v changed data resource %s:\nbefore %s\nafter  %s", changes, urn, v, a[urn])
				}
			}
			for urn := range a {
				if _, ok := b[urn]; !ok {
					t.Errorf("changing %v added data resource %s", changes, urn)
				}
			}
		})
	}
}

// TestSecretsNeverInPlan: neither the AUTH token nor the master password the mock generated
// appears in any view of the plan.
func TestSecretsNeverInPlan(t *testing.T) {
	for _, name := range stacks {
		for _, secret := range []string{"cache-auth-token", "db-master-password"} {
			t.Run(name+"/"+secret, func(t *testing.T) {
				p, res := runStack(t, name)
				pw := find(t, res, "random:index/randomPassword:RandomPassword", secret)
				v := pw.State["result"]
				if !v.IsSecret() {
					t.Fatalf("the mock's %s is not a secret: %v", secret, v)
				}
				value := v.SecretValue().Element.StringValue()
				var js, text bytes.Buffer
				if err := p.JSON(&js); err != nil {
					t.Fatal(err)
				}
				if err := p.Text(&text); err != nil {
					t.Fatal(err)
				}
				for view, s := range map[string]string{"json": js.String(), "text": text.String(), "outputs": fmt.Sprint(res.Outputs)} {
					if strings.Contains(s, value) {
						t.Errorf("%s appears in the plan's %s view", secret, view)
					}
				}
				if secret == "db-master-password" && (!strings.Contains(js.String(), `"password": "[secret]"`) || !strings.Contains(js.String(), `"secretString": "[secret]"`)) {
					t.Errorf("the plan JSON does not show the writer's password and the secret's value as [secret]")
				}
			})
		}
	}
}

// TestAuthTokenNeverInPlan: the AUTH token the mock generated appears in no view of the plan.
func TestAuthTokenNeverInPlan(t *testing.T) {
	for _, name := range stacks {
		t.Run(name, func(t *testing.T) {
			p, res := runStack(t, name)
			pw := find(t, res, "random:index/randomPassword:RandomPassword", "cache-auth-token")
			v := pw.State["result"]
			if !v.IsSecret() {
				t.Fatalf("the mock's token is not a secret: %v", v)
			}
			token := v.SecretValue().Element.StringValue()
			if len(token) < 16 {
				t.Fatalf("mock token %q too short to search for", token)
			}
			var js, text bytes.Buffer
			if err := p.JSON(&js); err != nil {
				t.Fatal(err)
			}
			if err := p.Text(&text); err != nil {
				t.Fatal(err)
			}
			outputs := fmt.Sprint(res.Outputs)
			for view, s := range map[string]string{"json": js.String(), "text": text.String(), "outputs": outputs} {
				if strings.Contains(s, token) {
					t.Errorf("the AUTH token appears in the plan's %s view", view)
				}
			}
			if !strings.Contains(js.String(), `"authToken": "[secret]"`) {
				t.Errorf("the plan JSON does not show the replication group's authToken as [secret]")
			}
		})
	}
}

// TestDataOutputs: the seven data outputs are present, plain and secret-free.
func TestDataOutputs(t *testing.T) {
	for _, name := range stacks {
		t.Run(name, func(t *testing.T) {
			_, res := runStack(t, name)
			for _, out := range []string{contract.OutDBWriterEndpoint, contract.OutDBSecretARN, contract.OutRedisPrimaryEndpoint, contract.OutRedisReaderEndpoint, contract.OutRedisAuthSecretARN} {
				s, ok := res.Outputs[out].(string)
				if !ok || s == "" || s == mockaws.Secret || s == mockaws.Unknown {
					t.Errorf("output %s = %#v, want a plain non-empty string", out, res.Outputs[out])
				}
			}
			for _, out := range []string{contract.OutDBSecretARN, contract.OutRedisAuthSecretARN} {
				if s, _ := res.Outputs[out].(string); !strings.HasPrefix(s, "arn:aws:secretsmanager:") {
					t.Errorf("output %s = %q, want a Secrets Manager ARN", out, s)
				}
			}
			if readers, _ := res.Outputs[contract.OutDBReaderEndpoints].([]any); len(readers) != 1 {
				t.Errorf("output %s = %v, want one endpoint per replica", contract.OutDBReaderEndpoints, res.Outputs[contract.OutDBReaderEndpoints])
			}
			if p := num(res.Outputs[contract.OutDBPort]); p != 3307 {
				t.Errorf("output %s = %v, want the configured 3307", contract.OutDBPort, res.Outputs[contract.OutDBPort])
			}
		})
	}
}
