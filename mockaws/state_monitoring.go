package mockaws

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// monitoringStates are the attributes of the alert topic, its key, the alarms and the
// dashboard, shaped as the provider reports them.
var monitoringStates = map[string]stateFunc{
	"aws:kms/key:Key": func(e *Engine, r *Resource, s resource.PropertyMap) {
		id := uuid(r.URN)
		s["keyId"] = resource.NewProperty(id)
		s["arn"] = resource.NewProperty(e.arn("kms", "key/"+id))
	},
	"aws:kms/alias:Alias": func(e *Engine, r *Resource, s resource.PropertyMap) {
		s["arn"] = resource.NewProperty(e.arn("kms", str(s, "name")))
		s["targetKeyArn"] = resource.NewProperty(e.arn("kms", "key/"+str(s, "targetKeyId")))
	},
	"aws:sns/topic:Topic": func(e *Engine, r *Resource, s resource.PropertyMap) {
		name := autoName(r, s)
		s["name"] = resource.NewProperty(name)
		s["arn"] = resource.NewProperty(e.arn("sns", name))
		s["owner"] = resource.NewProperty(AccountID)
	},
	"aws:sns/topicSubscription:TopicSubscription": func(e *Engine, r *Resource, s resource.PropertyMap) {
		s["arn"] = resource.NewProperty(str(s, "topic") + ":" + uuid(r.URN))
		s["ownerId"] = resource.NewProperty(AccountID)
		// Email subscriptions wait until the address confirms.
		s["pendingConfirmation"] = resource.NewProperty(str(s, "protocol") == "email" || str(s, "protocol") == "email-json")
	},
	"aws:cloudwatch/metricAlarm:MetricAlarm": func(e *Engine, r *Resource, s resource.PropertyMap) {
		name := autoName(r, s)
		s["name"] = resource.NewProperty(name)
		s["arn"] = resource.NewProperty(e.arn("cloudwatch", "alarm:"+name))
	},
	"aws:cloudwatch/dashboard:Dashboard": func(e *Engine, r *Resource, s resource.PropertyMap) {
		// Dashboards are global: their ARN has no region.
		s["dashboardArn"] = resource.NewProperty(fmt.Sprintf("arn:%s:cloudwatch::%s:dashboard/%s", Partition, AccountID, str(s, "dashboardName")))
		s["arn"] = s["dashboardArn"]
	},
	"aws:rds/eventSubscription:EventSubscription": func(e *Engine, r *Resource, s resource.PropertyMap) {
		name := autoName(r, s)
		s["name"] = resource.NewProperty(name)
		s["arn"] = resource.NewProperty(e.arn("rds", "es:"+name))
		s["customerAwsId"] = resource.NewProperty(AccountID)
	},
}
