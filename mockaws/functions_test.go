package mockaws

import (
	"strings"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// TestGetAvailabilityZones: the mock region lists its AZs and an opted-in Local Zone, as a real
// region does once the account opts in, and honours the state argument and the filters.
func TestGetAvailabilityZones(t *testing.T) {
	for _, tt := range []struct {
		name string
		args *aws.GetAvailabilityZonesArgs
		want string
	}{
		{"everything", &aws.GetAvailabilityZonesArgs{},
			"ap-northeast-2-lcz-1a ap-northeast-2a ap-northeast-2b ap-northeast-2c ap-northeast-2d"},
		{"available, Local Zone included", &aws.GetAvailabilityZonesArgs{State: pulumi.StringRef("available")},
			"ap-northeast-2-lcz-1a ap-northeast-2a ap-northeast-2b ap-northeast-2c ap-northeast-2d"},
		{"impaired", &aws.GetAvailabilityZonesArgs{State: pulumi.StringRef("impaired")}, ""},
		{"only availability zones", &aws.GetAvailabilityZonesArgs{Filters: []aws.GetAvailabilityZonesFilter{
			{Name: "opt-in-status", Values: []string{"opt-in-not-required"}}}},
			"ap-northeast-2a ap-northeast-2b ap-northeast-2c ap-northeast-2d"},
		{"only Local Zones", &aws.GetAvailabilityZonesArgs{Filters: []aws.GetAvailabilityZonesFilter{
			{Name: "zone-type", Values: []string{"local-zone"}}}}, "ap-northeast-2-lcz-1a"},
		{"excluded", &aws.GetAvailabilityZonesArgs{ExcludeNames: []string{"ap-northeast-2a", "ap-northeast-2-lcz-1a"}},
			"ap-northeast-2b ap-northeast-2c ap-northeast-2d"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			_, err := Run("webstack", "zones", Options{Region: "ap-northeast-2"}, func(ctx *pulumi.Context) error {
				z, err := aws.GetAvailabilityZones(ctx, tt.args)
				if err != nil {
					return err
				}
				got = z.Names
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(got, " ") != tt.want {
				t.Errorf("zones %v, want %q", got, tt.want)
			}
		})
	}
	_, err := Run("webstack", "zones", Options{Region: "ap-northeast-2"}, func(ctx *pulumi.Context) error {
		_, err := aws.GetAvailabilityZones(ctx, &aws.GetAvailabilityZonesArgs{Filters: []aws.GetAvailabilityZonesFilter{{Name: "region-name", Values: []string{"x"}}}})
		return err
	})
	if err == nil || !strings.Contains(err.Error(), `filter "region-name" is not one the mock knows`) {
		t.Errorf("an unknown filter: %v", err)
	}
}
