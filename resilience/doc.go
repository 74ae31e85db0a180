// Package resilience owns webstack's availability-zone-loss analysis: for each AZ a stack's
// subnets are in, it removes that AZ and judges whether every tier still serves (the load
// balancer, the live color's fleet, NAT egress of the app subnets, the database, the cache),
// and reports the bastion, which gives admin access only. It reads nothing but what a run
// registered (a *mockaws.Result): never the stack's name or its config file, so the proof holds
// for whatever the program would build.
//
// Analyze returns a Report: a verdict per tier per AZ lost, the single points of failure (every
// AZ whose loss leaves a serving tier down or degraded), and text and Markdown renderings that
// never name the live color, so that a release flipping it changes none of them.
package resilience
