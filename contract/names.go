package contract

// Names of resources one package creates and another names: the relaxations the config hands
// the checks scope a control to one of them. A child is named `<component>-<role>`: the
// component's name is the wiring's (package stack), the role the tier's.
const (
	// The edge tier's CloudFront distribution and its buckets.
	EdgeDistribution    = "edge-cdn"
	EdgeSiteBucket      = "edge-site"
	EdgeLogBucket       = "edge-logs"
	EdgeAccessLogBucket = "edge-access-logs"
	// The compute tier's load balancer, its listeners and its access-log bucket.
	ALBLoadBalancer       = "app-alb-lb"
	ALBProductionListener = "app-alb-production"
	ALBTestListener       = "app-alb-test"
	ALBLogBucket          = "app-alb-logs"
	// AppLogGroup is the log group the application containers write to.
	AppLogGroup = "app-container-logs"
	// AlertTopic is the monitoring tier's SNS topic.
	AlertTopic = "alerts-topic"
	// FlowLogGroup is the network tier's VPC flow-log group.
	FlowLogGroup = "net-flow-logs"
	// BastionInstance is the network tier's bastion host.
	BastionInstance = "bastion"
	// CacheAuthSecret is the data tier's Redis AUTH token secret.
	CacheAuthSecret = "cache-auth-secret"
	// AppDatabaseUser is the application's own MySQL user (IAM database authentication): the
	// migration runner creates it and grants it DML on the application's schema; the instances
	// connect as it, never as the master user.
	AppDatabaseUser = "webstack_app"
)
