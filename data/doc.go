// Package data owns webstack's data tier: the RDS MySQL writer with its read replicas
// (subnet group, parameter and option groups, log exports, enhanced monitoring, the
// Performance Insights key, and the master credentials: a generated password in a Secrets
// Manager secret the program owns, rotated by AWS's MySQL single-user rotation function) and
// the ElastiCache replication group (subnet group, slow log, the AUTH token kept in Secrets
// Manager).
//
// Nothing here knows about the other tiers: the wiring (package stack) passes in the subnets
// and security groups and reads the endpoints, port and secret ARNs back from the components'
// exported outputs. No secret value appears in an output: the master password and the AUTH
// token are secrets from the moment pulumi-random generates them.
package data
