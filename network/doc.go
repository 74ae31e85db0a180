// Package network owns webstack's network tier: the VPC, its public, app and data subnets in
// every availability zone, the internet and NAT gateways and the routes through them, the S3
// gateway endpoint and optional interface endpoints, VPC flow logs, the default security group
// (taken over with no rules), the security groups of every tier with the whole traffic matrix
// between them (firewall.go), and the bastion host.
//
// Things to know before deploying:
//   - The VPC is carved into four equal blocks (public, app, data, one kept free) of eight
//     subnets each, so the smallest VPC is a /22, whose public subnets are the /27 an
//     Application Load Balancer needs (ALBSubnetPrefix).
//   - Every NAT gateway takes an Elastic IP address, and an account holds 5 per region by
//     default, shared by all its stacks there: prod (3), dev and test (1 each) in one account and
//     region use all 5 (ElasticIPsPerRegion).
//   - Anything with a public address in the public subnets (the ALB, a public bastion) must be
//     created after Network.PublicPath, the internet gateway and the public routes.
//   - Subnets and NAT gateways are deleted before their replacements are created (a replacement
//     would conflict with its predecessor's CIDR or Elastic IP); the app subnets and the rotation
//     function's security group wait up to LambdaENIReleaseTimeout for Lambda's network
//     interfaces to be released on deletion.
//
// The package registers component resources with type tokens webstack:network:<Type>. It
// imports no other webstack tier; later tiers receive its IDs through the stack wiring.
package network
