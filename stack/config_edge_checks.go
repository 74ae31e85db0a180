package stack

import "github.com/webstack/webstack/policy"

// Resource names and types the tiers register, as the checks see them.
const (
	edgeDistribution = "edge-cdn"
	edgeSiteBucket   = "edge-site"
	edgeLogBucket    = "edge-logs"
	albListenerProd  = "app-alb-production"
	albListenerTest  = "app-alb-test"
	albName          = "app-alb-lb"
	albLogBucket     = "app-alb-logs"
	appLogGroup      = "app-container-logs"
	alertTopic       = "alerts-topic"

	typeDistribution = "aws:cloudfront/distribution:Distribution"
	typeBucketV2     = "aws:s3/bucketV2:BucketV2"
	typeListener     = "aws:lb/listener:Listener"
	typeLoadBalancer = "aws:lb/loadBalancer:LoadBalancer"
	typeLogGroup     = "aws:cloudwatch/logGroup:LogGroup"
	typeTopic        = "aws:sns/topic:Topic"
)

// relaxations lists the controls webstack:edge deliberately relaxes, each scoped to the
// resources the key governs.
func (e *EdgeConfig) relaxations() []policy.Relaxation {
	key := Namespace + ":edge."
	var out []policy.Relaxation
	if e.Domain == "" {
		// No domain: viewers get the *.cloudfront.net certificate (CloudFront.7, .8, .15), and
		// with no certificate for the ALB, CloudFront reaches it over HTTP (CloudFront.9) and
		// the ALB's production and test listeners are plain HTTP (ELB.1). The origin header
		// still keeps everything but CloudFront off the production listener.
		for _, id := range []string{"CloudFront.7", "CloudFront.8", "CloudFront.9", "CloudFront.15"} {
			out = append(out, policy.Relaxation{Check: id, Type: typeDistribution, Name: edgeDistribution, Key: key + "domain"})
		}
		for _, name := range []string{albListenerProd, albListenerTest} {
			out = append(out, policy.Relaxation{Check: "ELB.1", Type: typeListener, Name: name, Key: key + "domain"})
		}
	}
	if e.Logs {
		// CloudFront standard logs are delivered through the bucket ACL, so the log bucket
		// needs BucketOwnerPreferred instead of BucketOwnerEnforced (CONTROLS gotcha 18).
		out = append(out, policy.Relaxation{Check: "S3.12", Type: typeBucketV2, Name: edgeLogBucket, Key: key + "logs"})
	} else {
		// No log bucket: no CloudFront standard logs and nowhere for the frontend bucket's
		// server access logs.
		out = append(out,
			policy.Relaxation{Check: "CloudFront.5", Type: typeDistribution, Name: edgeDistribution, Key: key + "logs"},
			policy.Relaxation{Check: "S3.9", Type: typeBucketV2, Name: edgeSiteBucket, Key: key + "logs"})
	}
	if !e.WAF {
		out = append(out, policy.Relaxation{Check: "CloudFront.6", Type: typeDistribution, Name: edgeDistribution, Key: key + "waf"})
	}
	if !e.Versioning {
		// The log bucket is always versioned; this key governs the frontend bucket only.
		out = append(out, policy.Relaxation{Check: "S3.14", Type: typeBucketV2, Name: edgeSiteBucket, Key: key + "versioning"})
	}
	if !e.Protect {
		for _, name := range []string{edgeSiteBucket, edgeLogBucket} {
			out = append(out, policy.Relaxation{Check: "webstack/protect", Type: typeBucketV2, Name: name, Key: key + "protect"})
		}
	}
	return out
}
