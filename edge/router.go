package edge

import (
	_ "embed"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudfront"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// SPARouterJS is the CloudFront Function that routes client-side paths to /index.html (see
// spa-router.js for the rule). Keeping it in its own file lets tests run it with node.
//
//go:embed spa-router.js
var SPARouterJS string

// SPARouterRuntime is the CloudFront Functions runtime spa-router.js is written for.
const SPARouterRuntime = "cloudfront-js-2.0"

// newSPARouter publishes the routing function. A CloudFront Function is global: it needs no
// us-east-1 provider.
func newSPARouter(ctx *pulumi.Context, name string, opts ...pulumi.ResourceOption) (*cloudfront.Function, error) {
	fn, err := cloudfront.NewFunction(ctx, name+"-spa-router", &cloudfront.FunctionArgs{
		Runtime: pulumi.String(SPARouterRuntime),
		Comment: pulumi.String("Serve /index.html for client-side routes of the single-page app"),
		Code:    pulumi.String(SPARouterJS),
		Publish: pulumi.Bool(true),
	}, opts...)
	if err != nil {
		return nil, fmt.Errorf("spa router function: %w", err)
	}
	return fn, nil
}
