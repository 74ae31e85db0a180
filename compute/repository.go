package compute

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ecr"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/webstack/webstack/contract"
)

// RepositoryArgs configures a Repository.
type RepositoryArgs struct {
	// Name is the repository name, e.g. "webstack-prod". Required; lowercase letters, digits
	// and '.', '_', '-', '/' separators, as ECR accepts.
	Name string
	// KeepImages is how many images the lifecycle policy keeps, newest first. Optional.
	// Defaults to 30.
	KeepImages int
	// PinnedTags are image tags the lifecycle policy never expires, however many images are
	// pushed after them: the versions the colors run or keep for a rollback. Optional. Each is
	// an image tag (letters, digits, '_', '.', '-'; no '*', which ECR reads as a wildcard).
	PinnedTags []string
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

var (
	repositoryName = regexp.MustCompile(`^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$`)
	// imageTag is the syntax of an image tag (Docker's): what a pinned tag must be.
	imageTag = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$`)
)

// untaggedExpiryDays is how long an untagged image (a failed or superseded push) is kept.
const untaggedExpiryDays = 7

// NewRepository registers the repository and its lifecycle policy.
func NewRepository(ctx *pulumi.Context, name string, args *RepositoryArgs, opts ...pulumi.ResourceOption) (*Repository, error) {
	if args == nil {
		return nil, errors.New("compute: repository: args are required")
	}
	a := *args
	if a.KeepImages == 0 {
		a.KeepImages = DefaultImageRetentionCount
	}
	if !repositoryName.MatchString(a.Name) || len(a.Name) < 2 || len(a.Name) > 256 {
		return nil, fmt.Errorf("compute: repository: name %q is not a valid ECR repository name", a.Name)
	}
	if a.KeepImages < 1 {
		return nil, fmt.Errorf("compute: repository: keep images %d must be at least 1", a.KeepImages)
	}
	for _, tag := range a.PinnedTags {
		if !imageTag.MatchString(tag) {
			return nil, fmt.Errorf("compute: repository: pinned tag %q is not an image tag", tag)
		}
	}
	r := &Repository{}
	if err := ctx.RegisterComponentResource(contract.TypeComputeRepository, name, r, opts...); err != nil {
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

	policy, err := lifecyclePolicy(a.KeepImages, a.PinnedTags)
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

// Lifecycle rule priorities: the untagged rule first, then one rule per pinned tag, and the
// count rule (tagStatus "any", which ECR requires to have the highest rulePriority) last.
const (
	untaggedRulePriority   = 1
	firstPinRulePriority   = 2
	keepNewestRulePriority = 100
)

// lifecyclePolicy expires untagged images after a week, never expires the pinned tags, and
// keeps the newest keep images of all others.
//
// Rules are evaluated by priority and an image is expired by at most one rule; "an image that
// matches the tagging requirements of a rule cannot be expired by a rule with a lower priority"
// (ECR user guide, lifecycle policies,
// https://docs.aws.amazon.com/AmazonECR/latest/userguide/LifecyclePolicies.html). So each pinned
// tag gets a rule of its own ahead of the count rule (one per tag: a tagPatternList of several
// tags selects only images carrying all of them), which selects the one image with that tag
// (tags are immutable and unique) and expires any beyond one: none. The count rule still counts
// the pinned images among the newest keep, but cannot expire them. Without the pins the policy
// counts pushes, not what runs: after keep pushes of scratch builds, the image a warm or
// scaled-to-zero color needs would expire, and its next instance would pull nothing.
func lifecyclePolicy(keep int, pinned []string) (string, error) {
	rules := []map[string]any{{
		"rulePriority": untaggedRulePriority,
		"description":  fmt.Sprintf("Expire untagged images after %d days", untaggedExpiryDays),
		"selection": map[string]any{
			"tagStatus":   "untagged",
			"countType":   "sinceImagePushed",
			"countUnit":   "days",
			"countNumber": untaggedExpiryDays,
		},
		"action": map[string]any{"type": "expire"},
	}}
	if firstPinRulePriority+len(pinned) > keepNewestRulePriority {
		return "", fmt.Errorf("%d pinned tags are too many", len(pinned))
	}
	for i, tag := range pinned {
		rules = append(rules, map[string]any{
			"rulePriority": firstPinRulePriority + i,
			"description":  fmt.Sprintf("Never expire %s: a color runs it or keeps it for a rollback", tag),
			"selection": map[string]any{
				"tagStatus":      "tagged",
				"tagPatternList": []string{tag},
				"countType":      "imageCountMoreThan",
				"countNumber":    1,
			},
			"action": map[string]any{"type": "expire"},
		})
	}
	rules = append(rules, map[string]any{
		"rulePriority": keepNewestRulePriority,
		"description":  fmt.Sprintf("Keep the newest %d images", keep),
		"selection": map[string]any{
			"tagStatus":   "any",
			"countType":   "imageCountMoreThan",
			"countNumber": keep,
		},
		"action": map[string]any{"type": "expire"},
	})
	b, err := json.Marshal(map[string]any{"rules": rules})
	return string(b), err
}
