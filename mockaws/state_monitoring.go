package mockaws

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/webstack/webstack/contract"
)

// monitoringStates are the attributes of the alert topic, its key, the alarms and the
// dashboard, shaped as the provider reports them.
var monitoringStates = map[string]stateFunc{
	contract.TypeKMSKey: func(e *Engine, r *Resource, s resource.PropertyMap) {
		id := uuid(r.URN)
		s["keyId"] = resource.NewProperty(id)
		s["arn"] = resource.NewProperty(e.arn("kms", "key/"+id))
	},
	contract.TypeKMSAlias: func(e *Engine, r *Resource, s resource.PropertyMap) {
		s["arn"] = resource.NewProperty(e.arn("kms", str(s, "name")))
		s["targetKeyArn"] = resource.NewProperty(e.arn("kms", "key/"+str(s, "targetKeyId")))
	},
	contract.TypeSNSTopic: func(e *Engine, r *Resource, s resource.PropertyMap) {
		name := autoName(r, s)
		s["name"] = resource.NewProperty(name)
		s["arn"] = resource.NewProperty(e.arn("sns", name))
		s["owner"] = resource.NewProperty(AccountID)
	},
	contract.TypeSNSTopicSubscription: func(e *Engine, r *Resource, s resource.PropertyMap) {
		s["arn"] = resource.NewProperty(str(s, "topic") + ":" + uuid(r.URN))
		s["ownerId"] = resource.NewProperty(AccountID)
		// Email subscriptions wait until the address confirms.
		s["pendingConfirmation"] = resource.NewProperty(str(s, "protocol") == "email" || str(s, "protocol") == "email-json")
	},
	contract.TypeCloudWatchMetricAlarm: func(e *Engine, r *Resource, s resource.PropertyMap) {
		name := autoName(r, s)
		s["name"] = resource.NewProperty(name)
		s["arn"] = resource.NewProperty(e.arn("cloudwatch", "alarm:"+name))
	},
	contract.TypeCloudWatchDashboard: func(e *Engine, r *Resource, s resource.PropertyMap) {
		// Dashboards are global: their ARN has no region.
		s["dashboardArn"] = resource.NewProperty(fmt.Sprintf("arn:%s:cloudwatch::%s:dashboard/%s", Partition, AccountID, str(s, "dashboardName")))
		s["arn"] = s["dashboardArn"]
	},
	contract.TypeChatbotSlackChannelConfiguration: func(e *Engine, r *Resource, s resource.PropertyMap) {
		// Chatbot configurations are global: their ARN has no region.
		arn := fmt.Sprintf("arn:%s:chatbot::%s:chat-configuration/slack-channel/%s", Partition, AccountID, str(s, "configurationName"))
		s["chatConfigurationArn"], s["arn"] = resource.NewProperty(arn), resource.NewProperty(arn)
	},
	contract.TypeLambdaFunction: func(e *Engine, r *Resource, s resource.PropertyMap) {
		name := autoName(r, s)
		arn := e.arn("lambda", "function:"+name)
		s["name"] = resource.NewProperty(name)
		s["arn"] = resource.NewProperty(arn)
		s["qualifiedArn"] = resource.NewProperty(arn + ":$LATEST")
		s["version"] = resource.NewProperty("$LATEST")
		s["invokeArn"] = resource.NewProperty(fmt.Sprintf("arn:%s:apigateway:%s:lambda:path/2015-03-31/functions/%s/invocations", Partition, e.Region, arn))
	},
	contract.TypeSQSQueue: func(e *Engine, r *Resource, s resource.PropertyMap) {
		name := autoName(r, s)
		s["name"] = resource.NewProperty(name)
		s["arn"] = resource.NewProperty(e.arn("sqs", name))
		s["url"] = resource.NewProperty(fmt.Sprintf("https://sqs.%s.amazonaws.com/%s/%s", e.Region, AccountID, name))
	},
	contract.TypeRDSEventSubscription: func(e *Engine, r *Resource, s resource.PropertyMap) {
		name := autoName(r, s)
		s["name"] = resource.NewProperty(name)
		s["arn"] = resource.NewProperty(e.arn("rds", "es:"+name))
		s["customerAwsId"] = resource.NewProperty(AccountID)
	},
}
