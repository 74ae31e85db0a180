package mockaws

import (
	"fmt"

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
