// Command webstack is the Pulumi program: `pulumi up -s <stack>` runs it.
package main

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/webstack/webstack/stack"
)

func main() {
	pulumi.Run(stack.Program)
}
