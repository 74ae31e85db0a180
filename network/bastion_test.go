package network

import (
	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/webstack/webstack/internal/ec2host"
	"github.com/webstack/webstack/mockaws"
)

func runBastion(t *testing.T, public bool) *mockaws.Result {
	t.Helper()
	res, err := mockaws.Run("webstack", "unit", mockaws.Options{Region: "ap-northeast-2"}, func(ctx *pulumi.Context) error {
		b, err := NewBastion(ctx, "bastion", &BastionArgs{
			SubnetID:        pulumi.String("subnet-app0"),
			SecurityGroupID: pulumi.String("sg-bastion"),
			Public:          public,
			Partition:       "aws",
		})
		if err != nil {
			return err
		}
		ctx.Export("publicIp", b.PublicIP)
		return nil
	})
	if err != nil {
		t.Fatalf("NewBastion: %v", err)
	}
	return res
}

func TestPrivateBastion(t *testing.T) {
	res := runBastion(t, false)
	i := res.Find("aws:ec2/instance:Instance", "bastion")
	if i == nil {
		t.Fatal("bastion instance missing")
	}
	for path, want := range map[string]any{
		"instanceType":                            "t4g.nano",
		"associatePublicIpAddress":                false,
		"subnetId":                                "subnet-app0",
		"metadataOptions.httpTokens":              "required",
		"metadataOptions.httpPutResponseHopLimit": 1.0,
		"rootBlockDevice.encrypted":               true,
		"rootBlockDevice.volumeType":              "gp3",
	} {
		var keys []any
		for _, k := range strings.Split(path, ".") {
			keys = append(keys, k)
		}
		if got := i.Input(keys...); got != want {
			t.Errorf("bastion %s = %v, want %v", path, got, want)
		}
	}
	// The root volume is as large as the AMI's snapshot: a fixed size fails RunInstances once
	// the AMI outgrows it.
	if size := i.Input("rootBlockDevice", "volumeSize"); size != nil {
		t.Errorf("bastion root volume size = %v, want none (the AMI's snapshot size)", size)
	}
	if ami, _ := i.Input("ami").(string); !strings.HasPrefix(ami, "ami-") {
		t.Errorf("bastion ami = %q, want the AMI from %s", ami, ec2host.AL2023ARM64Parameter)
	}
	if len(i.IgnoreChanges) != 1 || i.IgnoreChanges[0] != "ami" {
		t.Errorf("bastion ignoreChanges = %v, want [ami] so a new AMI does not replace it unasked", i.IgnoreChanges)
	}
	att := res.Find("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "bastion-ssm")
	if att == nil || att.Input("policyArn") != "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore" {
		t.Errorf("bastion role lacks AmazonSSMManagedInstanceCore: %v", att)
	}
	if n := len(res.ByType("aws:iam/rolePolicyAttachment:RolePolicyAttachment")) + len(res.ByType("aws:iam/rolePolicy:RolePolicy")); n != 1 {
		t.Errorf("bastion role has %d policies, want exactly the SSM one", n)
	}
	if res.Outputs["publicIp"] != "" {
		t.Errorf("private bastion publicIp output = %v, want empty", res.Outputs["publicIp"])
	}
}

func TestPublicBastion(t *testing.T) {
	res := runBastion(t, true)
	i := res.Find("aws:ec2/instance:Instance", "bastion")
	if i.Input("associatePublicIpAddress") != true {
		t.Errorf("public bastion has no public IP: %v", i.Inputs)
	}
	if ip, _ := res.Outputs["publicIp"].(string); ip == "" {
		t.Error("public bastion publicIp output is empty")
	}
}

// TestBastionDependsOn: the instance waits for what it is told to (a public bastion, for the
// network's PublicPath).
func TestBastionDependsOn(t *testing.T) {
	res, err := mockaws.Run("webstack", "unit", mockaws.Options{Region: "ap-northeast-2"}, func(ctx *pulumi.Context) error {
		igw, err := ec2.NewInternetGateway(ctx, "igw", &ec2.InternetGatewayArgs{VpcId: pulumi.String("vpc-1")})
		if err != nil {
			return err
		}
		_, err = NewBastion(ctx, "bastion", &BastionArgs{
			SubnetID: pulumi.String("subnet-public0"), SecurityGroupID: pulumi.String("sg-bastion"), Partition: "aws", Public: true,
			DependsOn: []pulumi.Resource{igw},
		})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	i, igw := res.Find("aws:ec2/instance:Instance", "bastion"), res.Find("aws:ec2/internetGateway:InternetGateway", "igw")
	if !slices.Contains(i.Dependencies, igw.URN) {
		t.Errorf("bastion depends on %v, not on the internet gateway", i.Dependencies)
	}
}
