package edge

import (
	"errors"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/route53"
	"github.com/pulumi/pulumi-random/sdk/v4/go/random"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/webstack/webstack/contract"
)

// OriginArgs configures an Origin.
type OriginArgs struct {
	// Domain is the site's host name ("www.example.com"). Optional. Defaults to none: the
	// site is served on the distribution's *.cloudfront.net name and CloudFront reaches the
	// ALB over plain HTTP.
	Domain string
	// HostedZoneName is the Route 53 public zone that holds Domain ("example.com"). With
	// Domain, exactly one of HostedZoneName and HostedZoneID is required.
	HostedZoneName string
	// HostedZoneID is the ID of that zone, instead of its name.
	HostedZoneID string
}

func (a *OriginArgs) validate() error {
	var errs []error
	switch {
	case a.Domain == "" && (a.HostedZoneName != "" || a.HostedZoneID != ""):
		errs = append(errs, errors.New("a hosted zone is given without a domain"))
	case a.Domain != "" && (a.HostedZoneName == "") == (a.HostedZoneID == ""):
		errs = append(errs, fmt.Errorf("domain %q needs exactly one of a hosted zone name and a hosted zone id", a.Domain))
	}
	return errors.Join(errs...)
}

// Origin is the ALB side of the edge: the secret header CloudFront sends and the production
// listener requires and, with a custom domain, the origin host name, its Route 53 zone and its
// regional certificate. It is created before the compute tier, which consumes it; NewEdge
// then creates the distribution (and the origin's DNS record) from it and the ALB's address.
type Origin struct {
	pulumi.ResourceState

	// Domain is the site's custom domain, or "".
	Domain string
	// HostName is the host CloudFront connects to with a domain ("origin.<domain>"), or "".
	HostName string
	// Protocol is the origin protocol policy: OriginHTTPSOnly with a domain, OriginHTTPOnly
	// without one.
	Protocol string
	// ListenerPort is the ALB production listener port CloudFront connects to: 443 with a
	// domain, 80 without one.
	ListenerPort int
	// HeaderName is the secret header's name (OriginHeaderName).
	HeaderName string

	// HeaderValue is the secret header's value: a Pulumi secret, never exported in clear.
	HeaderValue pulumi.StringOutput `pulumi:"headerValue"`
	// ZoneID is the Route 53 hosted zone of the domain ("" without a domain).
	ZoneID pulumi.StringOutput `pulumi:"zoneId"`
	// CertificateARN is the DNS-validated regional ACM certificate for HostName, for the ALB's
	// HTTPS listeners; it resolves only once the certificate is issued. "" without a domain.
	CertificateARN pulumi.StringOutput `pulumi:"certificateArn"`
}

// NewOrigin registers the secret origin header and, with a domain, looks up the hosted zone
// and requests the origin certificate (in the provider's region, the ALB's).
func NewOrigin(ctx *pulumi.Context, name string, args *OriginArgs, opts ...pulumi.ResourceOption) (*Origin, error) {
	if args == nil {
		args = &OriginArgs{}
	}
	if err := args.validate(); err != nil {
		return nil, fmt.Errorf("edge: origin: %w", err)
	}
	o := &Origin{Domain: args.Domain, HeaderName: OriginHeaderName, Protocol: OriginHTTPOnly, ListenerPort: 80}
	if err := ctx.RegisterComponentResource(contract.TypeEdgeOrigin, name, o, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(o)

	// Letters and digits only: the value travels in an HTTP header and in a listener rule's
	// condition, where some punctuation would need escaping. 48 of 62 symbols ≈ 285 bits.
	secret, err := random.NewRandomPassword(ctx, name+"-header", &random.RandomPasswordArgs{
		Length:  pulumi.Int(48),
		Special: pulumi.Bool(false),
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("edge: origin header secret: %w", err)
	}
	o.HeaderValue = pulumi.ToSecret(secret.Result).(pulumi.StringOutput)
	o.ZoneID = pulumi.String("").ToStringOutput()
	o.CertificateARN = pulumi.String("").ToStringOutput()

	if args.Domain != "" {
		o.HostName = OriginHostName(args.Domain)
		o.Protocol, o.ListenerPort = OriginHTTPSOnly, 443
		zoneID := args.HostedZoneID
		if zoneID == "" {
			zone, err := route53.LookupZone(ctx, &route53.LookupZoneArgs{
				Name:        pulumi.StringRef(args.HostedZoneName),
				PrivateZone: pulumi.BoolRef(false),
			}, parent)
			if err != nil {
				return nil, fmt.Errorf("edge: looking up hosted zone %q: %w", args.HostedZoneName, err)
			}
			zoneID = zone.ZoneId
		}
		o.ZoneID = pulumi.String(zoneID).ToStringOutput()
		arn, err := newValidatedCertificate(ctx, name, o.HostName, o.ZoneID, []pulumi.ResourceOption{parent}, parent)
		if err != nil {
			return nil, fmt.Errorf("edge: origin certificate: %w", err)
		}
		o.CertificateARN = arn
	}

	if err := ctx.RegisterResourceOutputs(o, pulumi.Map{
		"headerValue":    o.HeaderValue,
		"zoneId":         o.ZoneID,
		"certificateArn": o.CertificateARN,
	}); err != nil {
		return nil, err
	}
	return o, nil
}
