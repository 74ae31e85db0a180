// Package mockaws is webstack's recording mock engine. It plays the AWS provider for
// pulumi.RunWithMocks: it keeps every registered resource (type, name, inputs, parent,
// dependencies, options), answers each resource with a plausible physical ID and provider
// state (ARNs, endpoints, DNS names), and answers the provider functions the program calls
// (availability zones, caller identity, SSM parameters, ...). A function it does not know
// fails loudly instead of returning an empty result, and so does an AWS resource type it does
// not know (awsTypes in taggable.go lists each type and whether the provider would report tagsAll,
// the provider's default tags merged with the resource's own; a test holds it to the SDK).
//
// Both the tests and the offline plan (cmd/plan) run the real program through it, so what the
// plan prints is what the tests assert.
package mockaws
