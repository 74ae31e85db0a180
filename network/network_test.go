package network

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/webstack/webstack/mockaws"
)

const (
	tSubnet  = "aws:ec2/subnet:Subnet"
	tNAT     = "aws:ec2/natGateway:NatGateway"
	tEIP     = "aws:ec2/eip:Eip"
	tRoute   = "aws:ec2/route:Route"
	tRT      = "aws:ec2/routeTable:RouteTable"
	tRTA     = "aws:ec2/routeTableAssociation:RouteTableAssociation"
	tIGW     = "aws:ec2/internetGateway:InternetGateway"
	tSG      = "aws:ec2/securityGroup:SecurityGroup"
	tIngress = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
	tEgress  = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"
	tEndpt   = "aws:ec2/vpcEndpoint:VpcEndpoint"
	tFlowLog = "aws:ec2/flowLog:FlowLog"
)

func minimalArgs() *NetworkArgs {
	return &NetworkArgs{
		CIDR:      "10.0.0.0/16",
		AZs:       []string{"ap-northeast-2a", "ap-northeast-2b"},
		Region:    "ap-northeast-2",
		AccountID: mockaws.AccountID,
		Partition: "aws",
		Firewall:  FirewallArgs{ProductionPort: 443, AppPort: 8080, DatabasePort: 3306, CachePort: 6379},
	}
}

func runNetwork(t *testing.T, args *NetworkArgs) *mockaws.Result {
	t.Helper()
	res, err := mockaws.Run("webstack", "unit", mockaws.Options{Region: "ap-northeast-2"}, func(ctx *pulumi.Context) error {
		_, err := NewNetwork(ctx, "net", args)
		return err
	})
	if err != nil {
		t.Fatalf("NewNetwork: %v", err)
	}
	return res
}

func TestNetworkMinimalArgs(t *testing.T) {
	res := runNetwork(t, minimalArgs())
	c := res.Counts()
	for typ, want := range map[string]int{
		"webstack:network:Network": 1, "aws:ec2/vpc:Vpc": 1, tSubnet: 6, tIGW: 1,
		tNAT: 2, tEIP: 2, tRT: 4, tRTA: 6, tSG: 7, tEndpt: 1, tFlowLog: 1,
		"aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": 1,
	} {
		if c[typ] != want {
			t.Errorf("%s: %d registered, want %d", typ, c[typ], want)
		}
	}
	vpc := res.Find("aws:ec2/vpc:Vpc", "net-vpc")
	if vpc.Input("enableDnsSupport") != true || vpc.Input("enableDnsHostnames") != true {
		t.Errorf("net-vpc: DNS support/hostnames not enabled: %v", vpc.Inputs)
	}
	for _, r := range res.Resources {
		if r.Type != "webstack:network:Network" && !strings.HasPrefix(r.Parent, "urn:pulumi:unit::webstack::webstack:network:Network::net") {
			t.Errorf("%s %s is not parented to the network component (parent %q)", r.Type, r.Name, r.Parent)
		}
	}
	dsg := res.ByType("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup")[0]
	if dsg.Input("ingress") != nil || dsg.Input("egress") != nil {
		t.Errorf("default security group keeps rules: %v", dsg.Inputs)
	}
}

func TestSubnetsPerTier(t *testing.T) {
	args := minimalArgs()
	args.AZs = []string{"ap-northeast-2a", "ap-northeast-2b", "ap-northeast-2c"}
	res := runNetwork(t, args)
	want := map[string][]string{
		"public": {"10.0.0.0/21", "10.0.8.0/21", "10.0.16.0/21"},
		"app":    {"10.0.64.0/21", "10.0.72.0/21", "10.0.80.0/21"},
		"data":   {"10.0.128.0/21", "10.0.136.0/21", "10.0.144.0/21"},
	}
	for tier, cidrs := range want {
		for i, cidr := range cidrs {
			name := fmt.Sprintf("net-%s-%d", tier, i)
			s := res.Find(tSubnet, name)
			if s == nil {
				t.Fatalf("subnet %s missing", name)
			}
			if s.Input("cidrBlock") != cidr || s.Input("availabilityZone") != args.AZs[i] ||
				s.Input("tags", "Tier") != tier || s.Input("mapPublicIpOnLaunch") != false {
				t.Errorf("subnet %s: cidr %v az %v tier %v mapPublicIp %v; want %s %s %s false", name,
					s.Input("cidrBlock"), s.Input("availabilityZone"), s.Input("tags", "Tier"), s.Input("mapPublicIpOnLaunch"), cidr, args.AZs[i], tier)
			}
		}
	}
}

// routeTargets maps each subnet name to the default-route target of its route table:
// "igw", "nat-<n>", or "" when the table has no default route.
func routeTargets(t *testing.T, res *mockaws.Result) map[string]string {
	t.Helper()
	name := map[string]string{}
	for _, r := range res.Resources {
		name[r.ID] = r.Name
	}
	target := map[string]string{} // route table name -> target
	for _, r := range res.ByType(tRoute) {
		rt := name[r.Input("routeTableId").(string)]
		if r.Input("destinationCidrBlock") != "0.0.0.0/0" {
			t.Errorf("route %s: unexpected destination %v", r.Name, r.Input("destinationCidrBlock"))
		}
		switch {
		case r.Input("gatewayId") != nil:
			target[rt] = "igw"
		case r.Input("natGatewayId") != nil:
			target[rt] = strings.TrimPrefix(name[r.Input("natGatewayId").(string)], "net-")
		}
	}
	out := map[string]string{}
	for _, a := range res.ByType(tRTA) {
		out[name[a.Input("subnetId").(string)]] = target[name[a.Input("routeTableId").(string)]]
	}
	return out
}

func TestRouteTargetsPerNATMode(t *testing.T) {
	for _, tt := range []struct {
		mode string
		want map[string]string
		nats int
	}{
		{NATPerAZ, map[string]string{"net-public-0": "igw", "net-public-1": "igw", "net-app-0": "nat-0", "net-app-1": "nat-1", "net-data-0": "", "net-data-1": ""}, 2},
		{NATSingle, map[string]string{"net-public-0": "igw", "net-public-1": "igw", "net-app-0": "nat-0", "net-app-1": "nat-0", "net-data-0": "", "net-data-1": ""}, 1},
		{NATNone, map[string]string{"net-public-0": "igw", "net-public-1": "igw", "net-app-0": "", "net-app-1": "", "net-data-0": "", "net-data-1": ""}, 0},
	} {
		t.Run(tt.mode, func(t *testing.T) {
			args := minimalArgs()
			args.NATGateways = tt.mode
			res := runNetwork(t, args)
			got := routeTargets(t, res)
			for subnet, want := range tt.want {
				if got[subnet] != want {
					t.Errorf("%s: subnet %s routes 0.0.0.0/0 to %q, want %q", tt.mode, subnet, got[subnet], want)
				}
			}
			nats := res.ByType(tNAT)
			if len(nats) != tt.nats {
				t.Fatalf("%s: %d NAT gateways, want %d", tt.mode, len(nats), tt.nats)
			}
			subnetName := map[string]string{}
			for _, s := range res.ByType(tSubnet) {
				subnetName[s.ID] = s.Name
			}
			for i, n := range nats {
				if sn := subnetName[n.Input("subnetId").(string)]; sn != fmt.Sprintf("net-public-%d", i) {
					t.Errorf("%s: %s sits in %s, want net-public-%d", tt.mode, n.Name, sn, i)
				}
			}
		})
	}
}

func TestS3GatewayEndpointOnPrivateRouteTables(t *testing.T) {
	res := runNetwork(t, minimalArgs())
	ep := res.Find(tEndpt, "net-s3")
	if ep == nil || ep.Input("vpcEndpointType") != "Gateway" || ep.Input("serviceName") != "com.amazonaws.ap-northeast-2.s3" {
		t.Fatalf("net-s3 gateway endpoint missing or wrong: %v", ep)
	}
	name := map[string]string{}
	for _, r := range res.ByType(tRT) {
		name[r.ID] = r.Name
	}
	var got []string
	for _, id := range ep.Input("routeTableIds").([]any) {
		got = append(got, name[id.(string)])
	}
	sort.Strings(got)
	if strings.Join(got, ",") != "net-app-0-rt,net-app-1-rt,net-data-rt" {
		t.Errorf("net-s3 route tables = %v, want the app and data tables", got)
	}
}

func TestInterfaceEndpoints(t *testing.T) {
	args := minimalArgs()
	args.InterfaceEndpoints = true
	res := runNetwork(t, args)
	var ifaces int
	for _, ep := range res.ByType(tEndpt) {
		if ep.Input("vpcEndpointType") == "Interface" {
			ifaces++
			if ep.Input("privateDnsEnabled") != true || len(ep.Input("subnetIds").([]any)) != 2 {
				t.Errorf("%s: private DNS %v, subnets %v", ep.Name, ep.Input("privateDnsEnabled"), ep.Input("subnetIds"))
			}
		}
	}
	if ifaces != len(InterfaceEndpointServices) {
		t.Errorf("%d interface endpoints, want %d", ifaces, len(InterfaceEndpointServices))
	}
}

// TestSecureDefaults: a caller who leaves the optional args unset gets the secure choices (flow
// logs on, kept DefaultFlowLogRetentionDays; a NAT gateway per AZ), and opting out of flow logs
// takes DisableFlowLogs.
func TestSecureDefaults(t *testing.T) {
	res := runNetwork(t, minimalArgs())
	if res.Find(tFlowLog, "net-flow-log") == nil {
		t.Error("zero-valued args: no flow log, want flow logs on by default")
	}
	if lg := res.Find("aws:cloudwatch/logGroup:LogGroup", "net-flow-logs"); lg == nil || lg.Input("retentionInDays") != float64(DefaultFlowLogRetentionDays) {
		t.Errorf("zero-valued args: flow log group %v, want retention %d", lg, DefaultFlowLogRetentionDays)
	}
	if n := res.Counts()[tNAT]; n != 2 {
		t.Errorf("zero-valued args: %d NAT gateways, want one per AZ (2)", n)
	}
	args := minimalArgs()
	args.DisableFlowLogs = true
	if n := runNetwork(t, args).Counts()[tFlowLog]; n != 0 {
		t.Errorf("DisableFlowLogs: %d flow logs, want 0", n)
	}
}

func TestFlowLogs(t *testing.T) {
	args := minimalArgs()
	args.FlowLogRetentionDays = 90
	res := runNetwork(t, args)
	fl := res.Find(tFlowLog, "net-flow-log")
	if fl == nil {
		t.Fatal("net-flow-log missing")
	}
	if fl.Input("trafficType") != "ALL" || fl.Input("logDestinationType") != "cloud-watch-logs" || fl.Input("iamRoleArn") == nil {
		t.Errorf("net-flow-log: %v", fl.Inputs)
	}
	lg := res.Find("aws:cloudwatch/logGroup:LogGroup", "net-flow-logs")
	if lg == nil || lg.Input("retentionInDays") != 90.0 {
		t.Errorf("net-flow-logs log group retention: %v", lg)
	}
	role := res.Find("aws:iam/role:Role", "net-flow-logs-role")
	trust := role.Input("assumeRolePolicy").(string)
	if !strings.Contains(trust, `"aws:SourceAccount":"123456789012"`) || !strings.Contains(trust, "vpc-flow-logs.amazonaws.com") {
		t.Errorf("net-flow-logs-role trust policy lacks the service or the source-account condition: %s", trust)
	}
	rolePolicy := res.Find("aws:iam/rolePolicy:RolePolicy", "net-flow-logs-policy")
	if !slices.Contains(fl.Dependencies, rolePolicy.URN) {
		t.Errorf("net-flow-log does not wait for its role's policy: depends on %v", fl.Dependencies)
	}
	policy := rolePolicy.Input("policy").(string)
	if strings.Contains(policy, `"Resource":"*"`) || strings.Contains(policy, `logs:*`) {
		t.Errorf("flow log policy is not least privilege: %s", policy)
	}
}

// rule is one security group rule in the matrix: "<group> <direction> <peer> <port>".
func rules(res *mockaws.Result) []string {
	sgName := map[string]string{}
	for _, sg := range res.ByType(tSG) {
		sgName[sg.ID] = strings.TrimSuffix(strings.TrimPrefix(sg.Name, "net-"), "-sg")
	}
	var out []string
	for typ, dir := range map[string]string{tIngress: "from", tEgress: "to"} {
		for _, r := range res.ByType(typ) {
			peer, _ := r.Input("cidrIpv4").(string)
			if ref, ok := r.Input("referencedSecurityGroupId").(string); ok {
				peer = sgName[ref]
			}
			if _, ok := r.Input("prefixListId").(string); ok {
				peer = "cloudfront-prefix-list"
			}
			out = append(out, fmt.Sprintf("%s %s %s %v", sgName[r.Input("securityGroupId").(string)], dir, peer, r.Input("fromPort")))
		}
	}
	sort.Strings(out)
	return out
}

func TestTrafficMatrix(t *testing.T) {
	args := minimalArgs()
	args.InterfaceEndpoints = true
	args.Firewall.TestListenerPort = 9000
	args.Firewall.TestListenerCIDRs = []string{"203.0.113.0/24"}
	res := runNetwork(t, args)
	want := []string{
		"alb from 203.0.113.0/24 9000",
		"alb from cloudfront-prefix-list 443",
		"alb to app 8080",
		"app from alb 8080",
		"app to 0.0.0.0/0 443",
		"app to cache 6379",
		"app to db 3306",
		"app to endpoints 443",
		"bastion to 0.0.0.0/0 443",
		"bastion to db 3306",
		"bastion to endpoints 443",
		"cache from app 6379",
		"db from app 3306",
		"db from bastion 3306",
		"db from rotation 3306",
		"endpoints from app 443",
		"endpoints from bastion 443",
		"endpoints from rotation 443",
		"rotation to 0.0.0.0/0 443",
		"rotation to db 3306",
		"rotation to endpoints 443",
	}
	got := rules(res)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("traffic matrix:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestRotationReachesSecretsManager: the password rotation function reaches the Secrets
// Manager API through the NAT gateway where there is one and through the interface endpoint
// where there is one; without a NAT gateway it has no rule to the internet at all.
func TestRotationReachesSecretsManager(t *testing.T) {
	for _, tc := range []struct {
		nat       string
		endpoints bool
		want      []string
	}{
		{NATSingle, false, []string{"rotation to 0.0.0.0/0 443", "rotation to db 3306"}},
		{NATNone, true, []string{"rotation to db 3306", "rotation to endpoints 443"}},
	} {
		args := minimalArgs()
		args.NATGateways, args.InterfaceEndpoints = tc.nat, tc.endpoints
		var got []string
		for _, r := range rules(runNetwork(t, args)) {
			if strings.HasPrefix(r, "rotation ") {
				got = append(got, r)
			}
		}
		if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
			t.Errorf("nat %s, endpoints %v: rotation rules %v, want %v", tc.nat, tc.endpoints, got, tc.want)
		}
	}
}

// TestRotationPath: the first rotation can wait for exactly what its traffic needs: its rules,
// the app subnets' route table associations and default routes, and the Secrets Manager
// endpoint.
func TestRotationPath(t *testing.T) {
	args := minimalArgs()
	args.InterfaceEndpoints = true
	res, err := mockaws.Run("webstack", "unit", mockaws.Options{Region: "ap-northeast-2"}, func(ctx *pulumi.Context) error {
		n, err := NewNetwork(ctx, "net", args)
		if err != nil {
			return err
		}
		var urns pulumi.StringArray
		for _, r := range n.RotationPath {
			urns = append(urns, r.URN().ToStringOutput())
		}
		ctx.Export("path", urns)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, u := range res.Outputs["path"].([]any) {
		s := u.(string)
		got = append(got, s[strings.LastIndex(s, "::")+2:])
	}
	sort.Strings(got)
	want := []string{"net-app-0-default", "net-app-0-rta", "net-app-1-default", "net-app-1-rta", "net-db-from-rotation-3306", "net-endpoints-from-rotation-443",
		"net-rotation-to-db-3306", "net-rotation-to-endpoints-443", "net-rotation-to-internet-443", "net-secretsmanager"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("rotation path %v, want %v", got, want)
	}
}

// sgDescription is the character set AWS accepts in security group rule descriptions.
var sgDescription = regexp.MustCompile(`^[a-zA-Z0-9. _\-:/()#,@\[\]+=&;{}!$*]{1,255}$`)

func TestRulesAreDescribedAndNeverOpenAdminPorts(t *testing.T) {
	args := minimalArgs()
	args.Firewall.AdminCIDRs = []string{"198.51.100.0/24"}
	res := runNetwork(t, args)
	for _, typ := range []string{tIngress, tEgress} {
		for _, r := range res.ByType(typ) {
			d, _ := r.Input("description").(string)
			if !sgDescription.MatchString(d) || !strings.HasPrefix(d, "allow ") {
				t.Errorf("%s: description %q is not an AWS-valid \"allow ...\" sentence", r.Name, d)
			}
			if typ == tIngress && (r.Input("cidrIpv4") == "0.0.0.0/0" || r.Input("cidrIpv6") == "::/0") {
				t.Errorf("%s admits the whole internet on port %v: viewers come only through CloudFront", r.Name, r.Input("fromPort"))
			}
		}
	}
	ssh := res.Find(tIngress, "net-bastion-from-admin0-22")
	if ssh == nil || ssh.Input("cidrIpv4") != "198.51.100.0/24" {
		t.Errorf("SSH from the admin CIDR missing: %v", ssh)
	}
	for _, sg := range res.ByType(tSG) {
		if sg.Input("ingress") != nil || sg.Input("egress") != nil {
			t.Errorf("%s mixes inline rules with standalone rules", sg.Name)
		}
	}
}

func TestNoSSHWithoutAdminCIDRs(t *testing.T) {
	res := runNetwork(t, minimalArgs())
	for _, r := range res.ByType(tIngress) {
		if r.Input("fromPort") == 22.0 {
			t.Errorf("%s opens SSH though no admin CIDR is configured", r.Name)
		}
	}
}

func TestNetworkArgsRejected(t *testing.T) {
	for name, mutate := range map[string]func(a *NetworkArgs){
		"one AZ":           func(a *NetworkArgs) { a.AZs = a.AZs[:1] },
		"bad cidr":         func(a *NetworkArgs) { a.CIDR = "10.0.0.0/25" },
		"bad NAT mode":     func(a *NetworkArgs) { a.NATGateways = "many" },
		"no account":       func(a *NetworkArgs) { a.AccountID = "" },
		"port 0":           func(a *NetworkArgs) { a.Firewall.AppPort = 0 },
		"SSH from the web": func(a *NetworkArgs) { a.Firewall.AdminCIDRs = []string{"0.0.0.0/0"} },
		"test listener without CIDRs": func(a *NetworkArgs) {
			a.Firewall.TestListenerPort = 9000
		},
	} {
		t.Run(name, func(t *testing.T) {
			args := minimalArgs()
			mutate(args)
			res, err := mockaws.Run("webstack", "unit", mockaws.Options{Region: "ap-northeast-2"}, func(ctx *pulumi.Context) error {
				_, err := NewNetwork(ctx, "net", args)
				return err
			})
			if err == nil {
				t.Fatalf("%s: accepted", name)
			}
			if res != nil && len(res.Resources) > 0 {
				t.Errorf("%s: %d resources registered before the args were rejected", name, len(res.Resources))
			}
		})
	}
}
