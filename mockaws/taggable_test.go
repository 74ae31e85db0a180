package mockaws

import (
	"strings"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

func TestTaggable(t *testing.T) {
	for typ, want := range map[string]bool{
		"aws:ec2/vpc:Vpc":                      true,
		"aws:sns/topic:Topic":                  true,
		"aws:ec2/route:Route":                  false,
		"aws:iam/rolePolicy:RolePolicy":        false,
		"aws:autoscaling/group:Group":          false, // tags are blocks, propagated by the group itself
		"aws:ec2/notRegisteredHere:Anything":   false,
		"random:index/randomPassword:Password": false,
	} {
		if got := Taggable(typ); got != want {
			t.Errorf("Taggable(%s) = %v, want %v", typ, got, want)
		}
	}
	for typ, rt := range awsTypes {
		// The token's last part names the SDK type.
		if name := typ[strings.LastIndex(typ, ":")+1:]; rt.Name() != name {
			t.Errorf("awsTypes[%s] is %s", typ, rt.Name())
		}
	}
}

func TestDefaultTagsAndUnknownTypes(t *testing.T) {
	res, err := Run("webstack", "unit", Options{Region: "ap-northeast-2"}, func(ctx *pulumi.Context) error {
		_, err := ec2.NewVpc(ctx, "plain", &ec2.VpcArgs{CidrBlock: pulumi.String("10.0.0.0/16")})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	// Without tags of its own and with the default provider, the VPC still reports tagsAll.
	if v := res.Find("aws:ec2/vpc:Vpc", "plain"); v == nil || v.Output("tagsAll") == nil {
		t.Errorf("a taggable resource without tags has no tagsAll: %v", v)
	}

	_, err = Run("webstack", "unit", Options{Region: "ap-northeast-2"}, func(ctx *pulumi.Context) error {
		var r pulumi.CustomResourceState
		return ctx.RegisterResource("aws:ec2/madeUp:MadeUp", "x", pulumi.Map{}, &r)
	})
	if err == nil || !strings.Contains(err.Error(), "not in awsTypes") {
		t.Errorf("an unknown resource type was accepted: %v", err)
	}
}
