// Package edge owns webstack's edge tier: the private S3 bucket that holds the React
// single-page app, the CloudFront distribution in front of it (origin access control, a
// viewer-request function for client-side routes, the API path pattern routed to the ALB, a
// response headers policy), the optional custom domain (ACM certificates and Route 53
// records), the optional WAF web ACL and the optional access-log bucket.
//
// It also owns what makes the ALB answer only CloudFront: the secret origin header
// (NewOrigin) and, with a custom domain, the origin host name and its regional certificate.
// The compute tier's production listener consumes those; the network tier admits the listener
// port only from CloudFront's origin-facing prefix list.
package edge
