// Package contract holds the names and small types that more than one part of webstack relies
// on: the stack outputs the release tool and deploy jobs read, the two colors and a color's
// fleet, the image-tag rule, the relaxations the stack's config hands to the built-in checks,
// the check IDs a waiver may name, the AWS type tokens the analyses (policy, plan, resilience,
// mockaws) match on, and the names of the children one package creates and another refers to.
//
// It imports only the standard library, so the deployed program, the release tool
// (cmd/deploy) and the analyses can all use it without linking one another: renaming a name
// here breaks the build of every user, not a production job.
package contract
