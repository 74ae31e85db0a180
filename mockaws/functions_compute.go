package mockaws

import (
	"fmt"
	"slices"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/webstack/webstack/contract"
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
	contract.InvokeECRGetImage:      getImage,
	contract.InvokeECRGetRepository: getRepository,
	contract.InvokeELBGetServiceAccount: func(e *Engine, args resource.PropertyMap) (resource.PropertyMap, error) {
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
// Engine.Images, refusing as the provider reports ECR's answers. ECR answers a tag the
// repository does not hold with ImageNotFoundException (`The image with imageId
// {imageDigest:'null', imageTag:'1.5.0'} does not exist within the repository with name
// 'webstack-prod' in the registry with id '123456789012'`) and a repository that does not exist
// with RepositoryNotFoundException (`The repository with name '…' does not exist in the
// registry with id '…'`); the provider turns both into its not-found error, so the data source
// fails with the same text for both: "reading ECR Images: couldn't find resource"
// (terraform-provider-aws internal/service/ecr/image_data_source.go, findImageDetails: "if
// errs.IsA[*types.ImageNotFoundException](err) || errs.IsA[*types.RepositoryNotFoundException](err)
// { return nil, &retry.NotFoundError{...} }"). Which of the two it was only getRepository
// tells.
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
		if tags, ok := e.Images[repo]; !ok || !slices.Contains(tags, tag) {
			return nil, providerErr("reading ECR Images: couldn't find resource")
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

// getRepository answers aws:ecr/getRepository:getRepository (ECR's DescribeRepositories for one
// name) from Engine.Images: a repository exists when it is a key there (or when the run was
// given no registry at all, as getImage then assumes every image pushed). For a repository that
// does not exist ECR answers RepositoryNotFoundException, which the provider turns into its
// not-found error: "reading ECR Repository (<name>): couldn't find resource"
// (terraform-provider-aws internal/service/ecr/repository_data_source.go, findRepository; ECR
// API reference, DescribeRepositories,
// https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_DescribeRepositories.html).
func getRepository(e *Engine, args resource.PropertyMap) (resource.PropertyMap, error) {
	name := str(args, "name")
	registry := str(args, "registryId")
	if registry == "" {
		registry = AccountID
	}
	if name == "" {
		return nil, providerErr(`The argument "name" is required, but no definition was found.`)
	}
	var tags []string
	if e.Images != nil {
		var ok bool
		if tags, ok = e.Images[name]; !ok {
			return nil, providerErr("reading ECR Repository (%s): couldn't find resource", name)
		}
	}
	recent := []resource.PropertyValue{}
	if len(tags) > 0 {
		recent = append(recent, resource.NewProperty(tags[len(tags)-1]))
	}
	return resource.PropertyMap{
		"id":                  resource.NewProperty(name),
		"name":                resource.NewProperty(name),
		"arn":                 resource.NewProperty(fmt.Sprintf("arn:%s:ecr:%s:%s:repository/%s", Partition, e.Region, registry, name)),
		"registryId":          resource.NewProperty(registry),
		"repositoryUrl":       resource.NewProperty(fmt.Sprintf("%s.dkr.ecr.%s.amazonaws.com/%s", registry, e.Region, name)),
		"imageTagMutability":  resource.NewProperty("IMMUTABLE"),
		"mostRecentImageTags": resource.NewProperty(recent),
		"tags":                resource.NewProperty(resource.PropertyMap{}),
	}, nil
}
