// Command pulumi-resource-random is the webstack AWS double's plugin for the random package:
// the Pulumi CLI loads it in place of the real random provider in the engine tests, and it
// forwards every call to the World named by WEBSTACK_AWS_DOUBLE. It is never a real provider.
package main

import (
	"fmt"
	"os"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/provider"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"

	"github.com/webstack/webstack/internal/awsdouble"
)

func main() {
	err := provider.Main("random", func(*provider.HostClient) (pulumirpc.ResourceProviderServer, error) {
		return awsdouble.NewProvider("random", awsdouble.RandomVersion)
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
