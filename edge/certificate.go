package edge

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/acm"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudfront"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/route53"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// newValidatedCertificate requests an ACM certificate for one host name, validated by DNS in
// the zone (ACM.1: DNS-validated certificates renew themselves), with an RSA 2048 key (ACM.2).
// certOpts place the certificate and its validation (for CloudFront: the us-east-1
// provider); recordOpts place the validation record. It returns the certificate's ARN from
// the CertificateValidation, so that users of the ARN wait until the certificate is issued.
func newValidatedCertificate(ctx *pulumi.Context, name, host string, zoneID pulumi.StringInput, certOpts []pulumi.ResourceOption, recordOpts ...pulumi.ResourceOption) (pulumi.StringOutput, error) {
	cert, err := acm.NewCertificate(ctx, name+"-cert", &acm.CertificateArgs{
		DomainName:       pulumi.String(host),
		ValidationMethod: pulumi.String("DNS"),
		KeyAlgorithm:     pulumi.String("RSA_2048"),
		Tags:             pulumi.StringMap{"Name": pulumi.String(host)},
	}, certOpts...)
	if err != nil {
		return pulumi.StringOutput{}, fmt.Errorf("certificate for %s: %w", host, err)
	}
	// One host name, no alternative names: exactly one validation option.
	option := cert.DomainValidationOptions.Index(pulumi.Int(0))
	record, err := route53.NewRecord(ctx, name+"-cert-validation", &route53.RecordArgs{
		ZoneId:  zoneID,
		Name:    option.ResourceRecordName().Elem(),
		Type:    option.ResourceRecordType().Elem(),
		Records: pulumi.StringArray{option.ResourceRecordValue().Elem()},
		Ttl:     pulumi.Int(300),
		// The validation record of a host name is the same for every certificate ACM issues
		// for it: a re-created certificate takes the record over instead of failing.
		AllowOverwrite: pulumi.Bool(true),
	}, recordOpts...)
	if err != nil {
		return pulumi.StringOutput{}, fmt.Errorf("validation record for %s: %w", host, err)
	}
	validation, err := acm.NewCertificateValidation(ctx, name+"-cert-validated", &acm.CertificateValidationArgs{
		CertificateArn:        cert.Arn,
		ValidationRecordFqdns: pulumi.StringArray{record.Fqdn},
	}, certOpts...)
	if err != nil {
		return pulumi.StringOutput{}, fmt.Errorf("validation of %s: %w", host, err)
	}
	return validation.CertificateArn, nil
}

// viewerCertificate is what the distribution serves viewers with.
type viewerCertificate struct {
	cert    *cloudfront.DistributionViewerCertificateArgs
	aliases pulumi.StringArrayInput
}

// newViewerCertificate returns the distribution's viewer certificate: without a domain the
// default *.cloudfront.net one; with a domain a DNS-validated ACM certificate in us-east-1 for
// it, and the origin host name's record, which points at the ALB.
func newViewerCertificate(ctx *pulumi.Context, name string, a *EdgeArgs, global []pulumi.ResourceOption, opts ...pulumi.ResourceOption) (viewerCertificate, error) {
	domain := a.Origin.Domain
	if domain == "" {
		return viewerCertificate{cert: &cloudfront.DistributionViewerCertificateArgs{
			// With the default *.cloudfront.net certificate CloudFront uses TLSv1 as the minimum
			// protocol whatever is set, so it is set to what AWS applies; CloudFront.7/.15 need a
			// custom domain.
			// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-cloudfront-distribution-viewercertificate.html
			CloudfrontDefaultCertificate: pulumi.Bool(true),
			MinimumProtocolVersion:       pulumi.String("TLSv1"),
		}}, nil
	}
	// CloudFront takes ACM certificates only from us-east-1; its validation record goes
	// into the zone through the regional provider like every other record.
	// https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/cnames-and-https-requirements.html
	arn, err := newValidatedCertificate(ctx, name+"-viewer", domain, a.Origin.ZoneID, global, opts...)
	if err != nil {
		return viewerCertificate{}, fmt.Errorf("viewer certificate: %w", err)
	}
	// origin.<domain> -> the ALB, the name its certificate covers.
	if _, err := route53.NewRecord(ctx, name+"-origin-record", &route53.RecordArgs{
		ZoneId: a.Origin.ZoneID,
		Name:   pulumi.String(a.Origin.HostName),
		Type:   pulumi.String("A"),
		Aliases: route53.RecordAliasArray{&route53.RecordAliasArgs{
			Name:                 a.ALBDNSName,
			ZoneId:               a.ALBZoneID,
			EvaluateTargetHealth: pulumi.Bool(true),
		}},
	}, opts...); err != nil {
		return viewerCertificate{}, fmt.Errorf("origin record: %w", err)
	}
	return viewerCertificate{
		cert: &cloudfront.DistributionViewerCertificateArgs{
			AcmCertificateArn:      arn,
			SslSupportMethod:       pulumi.String("sni-only"),
			MinimumProtocolVersion: pulumi.String("TLSv1.2_2021"),
		},
		aliases: pulumi.StringArray{pulumi.String(domain)},
	}, nil
}
