package contract

// Components are the names the wiring (package stack) gives the tiers' components; a child is
// named `<component>-<role>`, with the role the tier's (below).
const (
	NetworkComponent = "net"
	EdgeComponent    = "edge"
	AppComponent     = "app"
	CacheComponent   = "cache"
	AlertsComponent  = "alerts"
	// ALBComponent is the compute tier's load balancer component, a child of AppComponent.
	ALBComponent = AppComponent + "-" + RoleALB
	// BastionInstance is the network tier's bastion host (a component of its own).
	BastionInstance = "bastion"
)

// Roles: the suffix a tier appends to its component's name for a child that another package
// names. The tiers build those children's names from these, so that a rename here renames
// the child and every reference to it at once (a rename replaces the real resource: give it
// pulumi.Aliases).
const (
	RoleALB             = "alb"
	RoleDistribution    = "cdn"
	RoleSiteBucket      = "site"
	RoleLogBucket       = "logs"
	RoleAccessLogBucket = "access-logs"
	RoleLoadBalancer    = "lb"
	RoleProduction      = "production"
	RoleTest            = "test"
	RoleContainerLogs   = "container-logs"
	RoleTopic           = "topic"
	RoleFlowLogs        = "flow-logs"
	RoleAuthSecret      = "auth-secret"
)

// Child is the name of a component's child in a role.
func Child(component, role string) string { return component + "-" + role }

// Names of resources one package creates and another names: the relaxations the config hands
// the checks scope a control to one of them.
const (
	// The edge tier's CloudFront distribution and its buckets.
	EdgeDistribution    = EdgeComponent + "-" + RoleDistribution
	EdgeSiteBucket      = EdgeComponent + "-" + RoleSiteBucket
	EdgeLogBucket       = EdgeComponent + "-" + RoleLogBucket
	EdgeAccessLogBucket = EdgeComponent + "-" + RoleAccessLogBucket
	// EdgeUploadsBucket is the uploads bucket (webstack:edge.uploads), a child of the
	// webstack:edge:Uploads component "uploads".
	EdgeUploadsBucket = "uploads-bucket"
	// The compute tier's load balancer, its listeners and its access-log bucket.
	ALBLoadBalancer       = ALBComponent + "-" + RoleLoadBalancer
	ALBProductionListener = ALBComponent + "-" + RoleProduction
	ALBTestListener       = ALBComponent + "-" + RoleTest
	ALBLogBucket          = ALBComponent + "-" + RoleLogBucket
	// AppLogGroup is the log group the application containers write to.
	AppLogGroup = AppComponent + "-" + RoleContainerLogs
	// AlertTopic is the monitoring tier's SNS topic.
	AlertTopic = AlertsComponent + "-" + RoleTopic
	// FlowLogGroup is the network tier's VPC flow-log group.
	FlowLogGroup = NetworkComponent + "-" + RoleFlowLogs
	// CacheAuthSecret is the data tier's Redis AUTH token secret.
	CacheAuthSecret = CacheComponent + "-" + RoleAuthSecret
)

// AppDatabaseUser is the MySQL user the application connects as, with IAM database
// authentication: the migration step creates it, the instance role may connect as it
// (rds-db:connect), and the app's settings name it (DB_USER). Never the master user.
const AppDatabaseUser = "webstack_app"
