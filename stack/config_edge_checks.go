package stack

import "github.com/webstack/webstack/contract"

// relaxations lists the controls webstack:edge deliberately relaxes, each scoped to the
// resources the key governs.
func (e *EdgeConfig) relaxations() []contract.Relaxation {
	key := Namespace + ":edge."
	var out []contract.Relaxation
	if e.Domain == "" {
		// No domain: viewers get the *.cloudfront.net certificate (CloudFront.7, .8, .15), and
		// with no certificate for the ALB, CloudFront reaches it over HTTP (CloudFront.9) and
		// the ALB's production and test listeners are plain HTTP (ELB.1). The origin header
		// still keeps everything but CloudFront off the production listener.
		for _, id := range []string{"CloudFront.7", "CloudFront.8", "CloudFront.9", "CloudFront.15"} {
			out = append(out, contract.Relaxation{Check: id, Type: contract.TypeCloudFrontDistribution, Name: contract.EdgeDistribution, Key: key + "domain"})
		}
		for _, name := range []string{contract.ALBProductionListener, contract.ALBTestListener} {
			out = append(out, contract.Relaxation{Check: "ELB.1", Type: contract.TypeLBListener, Name: name, Key: key + "domain"})
		}
	}
	if e.Logs {
		// CloudFront standard logs are delivered through the bucket ACL, and CloudFront refuses
		// a logging bucket with BucketOwnerEnforced, so the log bucket has
		// BucketOwnerPreferred (aws/aws-cdk#25291).
		out = append(out, contract.Relaxation{Check: "S3.12", Type: contract.TypeS3BucketV2, Name: contract.EdgeLogBucket, Key: key + "logs"})
		// S3 delivers server access logs only to SSE-S3 buckets: the frontend bucket's access
		// logs have a bucket of their own that cannot use the edge key.
		// https://docs.aws.amazon.com/AmazonS3/latest/userguide/troubleshooting-server-access-logging.html
		out = append(out, contract.Relaxation{Check: "S3.17", Type: contract.TypeS3BucketV2, Name: contract.EdgeAccessLogBucket, Key: key + "logs"})
	} else {
		// No log bucket: no CloudFront standard logs and nowhere for the frontend bucket's
		// server access logs.
		out = append(out,
			contract.Relaxation{Check: "CloudFront.5", Type: contract.TypeCloudFrontDistribution, Name: contract.EdgeDistribution, Key: key + "logs"},
			contract.Relaxation{Check: "S3.9", Type: contract.TypeS3BucketV2, Name: contract.EdgeSiteBucket, Key: key + "logs"})
		if e.Uploads.Enabled {
			out = append(out, contract.Relaxation{Check: "S3.9", Type: contract.TypeS3BucketV2, Name: contract.EdgeUploadsBucket, Key: key + "logs"})
		}
	}
	if !e.WAF {
		out = append(out, contract.Relaxation{Check: "CloudFront.6", Type: contract.TypeCloudFrontDistribution, Name: contract.EdgeDistribution, Key: key + "waf"})
	}
	if !e.Versioning {
		// The log bucket is always versioned; this key governs the frontend bucket only.
		out = append(out, contract.Relaxation{Check: "S3.14", Type: contract.TypeS3BucketV2, Name: contract.EdgeSiteBucket, Key: key + "versioning"})
	}
	if !e.Protect {
		buckets := []string{contract.EdgeSiteBucket, contract.EdgeLogBucket, contract.EdgeAccessLogBucket}
		if e.Uploads.Enabled {
			buckets = append(buckets, contract.EdgeUploadsBucket)
		}
		for _, name := range buckets {
			out = append(out, contract.Relaxation{Check: "webstack/protect", Type: contract.TypeS3BucketV2, Name: name, Key: key + "protect"})
		}
	}
	// The ALB's access-log bucket (the compute tier's, there only with webstack:app.accessLogs)
	// stays on SSE-S3: Elastic Load Balancing delivers logs only to SSE-S3 buckets (the ALB
	// guide's log bucket requirements: "The only server-side encryption option that's
	// supported is Amazon S3-managed keys (SSE-S3)"; access logs to an SSE-KMS bucket fail,
	// aws/aws-cdk#21947). Registered here, with the other bucket-encryption exceptions; it
	// names a resource only that key creates.
	// https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-health-check-logging.html
	out = append(out, contract.Relaxation{Check: "S3.17", Type: contract.TypeS3BucketV2, Name: contract.ALBLogBucket, Key: Namespace + ":app.accessLogs"})
	return out
}
