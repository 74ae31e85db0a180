package mockaws

import (
	"fmt"
	"slices"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// elbAccounts are the regional Elastic Load Balancing accounts that deliver ALB access logs
// in regions launched before August 2022 (AWS documentation); other regions get a made-up one.
var elbAccounts = map[string]string{
	"us-east-1":      "127311923021",
	"us-west-2":      "797873946194",
	"eu-west-1":      "156460612806",
	"eu-central-1":   "054676820928",
	"ap-northeast-1": "582318560864",
	"ap-northeast-2": "600734575887",
	"ap-southeast-1": "114774131450",
}

var computeFunctions = map[string]function{
	"aws:ecr/getImage:getImage": getImage,
	"aws:elb/getServiceAccount:getServiceAccount": func(e *Engine, args resource.PropertyMap) (resource.PropertyMap, error) {
		region := str(args, "region")
		if region == "" {
			region = e.Region
		}
		account, ok := elbAccounts[region]
		if !ok {
			account = "9" + hash("elb"+region, 11)
		}
		return resource.PropertyMap{
			"id":     resource.NewProperty(account),
			"arn":    resource.NewProperty(fmt.Sprintf("arn:%s:iam::%s:root", Partition, account)),
			"region": resource.NewProperty(region),
		}, nil
	},
}

// getImage answers aws:ecr/getImage:getImage (ECR's DescribeImages for one tag) from
// Engine.Images, refusing as the provider reports ECR's answers:
//
//   - a tag the repository does not hold: ECR's ImageNotFoundException, `The image with imageId
//     {imageDigest:'null', imageTag:'1.5.0'} does not exist within the repository with name
//     'webstack-prod' in the registry with id '123456789012'`, which the provider wraps in
//     "reading ECR Images: " (hashicorp/terraform-provider-aws#35268 quotes it);
//   - a repository that does not exist: ECR's RepositoryNotFoundException (`The repository with
//     name '…' does not exist in the registry with id '…'`), which the provider turns into its
//     not-found error, "reading ECR Images: couldn't find resource" (terraform-provider-aws
//     internal/service/ecr/image_data_source.go, FindImageDetails).
//
// Source: ECR API reference, DescribeImages (Errors),
// https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_DescribeImages.html. This is
// the mock's "image presence in ECR" rule: the program's image guard (stack/compute.go) looks
// up every running version, so a version that was never pushed is refused before any instance
// starts.
func getImage(e *Engine, args resource.PropertyMap) (resource.PropertyMap, error) {
	repo, tag := str(args, "repositoryName"), str(args, "imageTag")
	registry := str(args, "registryId")
	if registry == "" {
		registry = AccountID
	}
	if repo == "" || (tag == "" && str(args, "imageDigest") == "" && !args["mostRecent"].IsBool()) {
		return nil, providerErr(`one of "image_digest", "image_tag" or "most_recent" must be specified, with "repository_name"`)
	}
	if e.Images != nil {
		tags, ok := e.Images[repo]
		switch {
		case !ok:
			return nil, providerErr("reading ECR Images: couldn't find resource")
		case !slices.Contains(tags, tag):
			return nil, apiErr("reading ECR Images", "ECR: DescribeImages", "ImageNotFoundException",
				"The image with imageId {imageDigest:'null', imageTag:'%s'} does not exist within the repository with name '%s' in the registry with id '%s'",
				tag, repo, registry)
		}
	}
	digest := "sha256:" + hash(repo+":"+tag, 64)
	url := fmt.Sprintf("%s.dkr.ecr.%s.amazonaws.com/%s", registry, e.Region, repo)
	return resource.PropertyMap{
		"id":               resource.NewProperty(digest),
		"imageDigest":      resource.NewProperty(digest),
		"imageTag":         resource.NewProperty(tag),
		"imageTags":        resource.NewProperty([]resource.PropertyValue{resource.NewProperty(tag)}),
		"imageUri":         resource.NewProperty(url + "@" + digest),
		"imagePushedAt":    resource.NewProperty(1.7e9),
		"imageSizeInBytes": resource.NewProperty(1.5e8),
		"registryId":       resource.NewProperty(registry),
		"repositoryName":   resource.NewProperty(repo),
	}, nil
}
