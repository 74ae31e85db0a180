// Package data owns webstack's data tier: the RDS MySQL writer with its read replicas
// (subnet group, parameter and option groups, log exports, enhanced monitoring, the
// RDS-managed master secret) and the ElastiCache replication group (subnet group, slow log,
// the AUTH token kept in Secrets Manager).
//
// Nothing here knows about the other tiers: the wiring (package stack) passes in the data
// subnets and security groups and reads the endpoints, port and secret ARNs back from the
// components' exported outputs. No secret value ever leaves AWS or appears in an output: the
// master password is created and stored by RDS, and the AUTH token is a secret from the
// moment pulumi-random generates it.
package data
