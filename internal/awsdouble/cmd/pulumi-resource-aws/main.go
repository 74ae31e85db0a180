// Command pulumi-resource-aws is the webstack AWS double's plugin for the aws package: the
// Pulumi CLI loads it in place of the real AWS provider in the engine tests, and it forwards
// every call to the World named by WEBSTACK_AWS_DOUBLE. It is never a real provider.
package main

import (
	"fmt"
	"os"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/provider"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"

	"github.com/webstack/webstack/internal/awsdouble"
)

func main() {
	err := provider.Main("aws", func(*provider.HostClient) (pulumirpc.ResourceProviderServer, error) {
		return awsdouble.NewProvider("aws", awsdouble.AWSVersion)
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
