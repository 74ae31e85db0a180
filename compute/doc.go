// Package compute owns webstack's application tier: the internet-facing Application Load
// Balancer with its blue and green target groups and its production and test listeners, one
// launch template and Auto Scaling group per color (the WAS fleet, running the application
// image as a Docker container on Amazon Linux 2023 arm64), the fleet's instance role, and the
// ECR repository the image comes from.
//
// Blue/green is declarative: which color is live, the canary share of the idle color and each
// color's version and capacity are plain arguments. The resources are laid out so that a
// release touches as little as possible: a color's version and capacity reach only that
// color's launch template and Auto Scaling group, and flipping the active color or the canary
// weight changes only listener and listener-rule resources.
package compute
