package compute

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ecr"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// RepositoryArgs configures a Repository.
type RepositoryArgs struct {
	// Name is the repository name, e.g. "webstack-prod". Required; lowercase letters, digits
	// and '.', '_', '-', '/' separators, as ECR accepts.
	Name string
	// KeepImages is how many images the lifecycle policy keeps. Optional. Defaults to 30.
	KeepImages int
	// ForceDelete lets `pulumi destroy` delete the repository while it still holds images.
	// Optional. Defaults to false.
	ForceDelete bool
}

// Repository is the ECR repository of the application image: immutable tags, scanned on push,
// encrypted with KMS, old images expired by a lifecycle policy.
type Repository struct {
	pulumi.ResourceState

	// URL is the repository URL, "<account>.dkr.ecr.<region>.amazonaws.com/<name>".
	URL  pulumi.StringOutput `pulumi:"url"`
	ARN  pulumi.StringOutput `pulumi:"arn"`
	Name pulumi.StringOutput `pulumi:"name"`
}

var repositoryName = regexp.MustCompile(`^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$`)

// untaggedExpiryDays is how long an untagged image (a failed or superseded push) is kept.
const untaggedExpiryDays = 7

// NewRepository registers the repository and its lifecycle policy.
func NewRepository(ctx *pulumi.Context, name string, args *RepositoryArgs, opts ...pulumi.ResourceOption) (*Repository, error) {
	if args == nil {
		return nil, errors.New("compute: repository: args are required")
	}
	a := *args
	if a.KeepImages == 0 {
		a.KeepImages = 30
	}
	if !repositoryName.MatchString(a.Name) || len(a.Name) < 2 || len(a.Name) > 256 {
		return nil, fmt.Errorf("compute: repository: name %q is not a valid ECR repository name", a.Name)
	}
	if a.KeepImages < 1 {
		return nil, fmt.Errorf("compute: repository: keep images %d must be at least 1", a.KeepImages)
	}
	r := &Repository{}
	if err := ctx.RegisterComponentResource("webstack:compute:Repository", name, r, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(r)

	repo, err := ecr.NewRepository(ctx, name+"-repository", &ecr.RepositoryArgs{
		Name: pulumi.String(a.Name),
		// A version names exactly one image forever: a release or rollback to "1.4.2" always
		// runs what was tested as "1.4.2".
		ImageTagMutability: pulumi.String("IMMUTABLE"),
		ImageScanningConfiguration: &ecr.RepositoryImageScanningConfigurationArgs{
			ScanOnPush: pulumi.Bool(true),
		},
		// KMS with the AWS managed key (aws/ecr): pulls need no extra key permissions.
		EncryptionConfigurations: ecr.RepositoryEncryptionConfigurationArray{
			&ecr.RepositoryEncryptionConfigurationArgs{EncryptionType: pulumi.String("KMS")},
		},
		ForceDelete: pulumi.Bool(a.ForceDelete),
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("compute: repository: %w", err)
	}

	policy, err := lifecyclePolicy(a.KeepImages)
	if err != nil {
		return nil, fmt.Errorf("compute: repository lifecycle policy: %w", err)
	}
	if _, err := ecr.NewLifecyclePolicy(ctx, name+"-lifecycle", &ecr.LifecyclePolicyArgs{
		Repository: repo.Name,
		Policy:     pulumi.String(policy),
	}, parent); err != nil {
		return nil, fmt.Errorf("compute: repository lifecycle policy: %w", err)
	}

	r.URL = repo.RepositoryUrl
	r.ARN = repo.Arn
	r.Name = repo.Name
	if err := ctx.RegisterResourceOutputs(r, pulumi.Map{
		"url":  r.URL,
		"arn":  r.ARN,
		"name": r.Name,
	}); err != nil {
		return nil, err
	}
	return r, nil
}

// lifecyclePolicy expires untagged images after a week and keeps the newest keep images of
// all others. Rules are evaluated by priority; an image is expired by at most one rule.
func lifecyclePolicy(keep int) (string, error) {
	b, err := json.Marshal(map[string]any{
		"rules": []map[string]any{
			{
				"rulePriority": 1,
				"description":  fmt.Sprintf("Expire untagged images after %d days", untaggedExpiryDays),
				"selection": map[string]any{
					"tagStatus":   "untagged",
					"countType":   "sinceImagePushed",
					"countUnit":   "days",
					"countNumber": untaggedExpiryDays,
				},
				"action": map[string]any{"type": "expire"},
			},
			{
				"rulePriority": 2,
				"description":  fmt.Sprintf("Keep the newest %d images", keep),
				"selection": map[string]any{
					"tagStatus":   "any",
					"countType":   "imageCountMoreThan",
					"countNumber": keep,
				},
				"action": map[string]any{"type": "expire"},
			},
		},
	})
	return string(b), err
}
