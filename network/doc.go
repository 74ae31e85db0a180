// Package network owns webstack's network tier: the VPC, its public, app and data subnets in
// every availability zone, the internet and NAT gateways and the routes through them, the S3
// gateway endpoint and optional interface endpoints, VPC flow logs, the default security group
// (taken over with no rules), the security groups of every tier with the whole traffic matrix
// between them (firewall.go), and the bastion host.
//
// The package registers component resources with type tokens webstack:network:<Type>. It
// imports no other webstack tier; later tiers receive its IDs through the stack wiring.
package network
