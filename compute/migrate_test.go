package compute

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/webstack/webstack/mockaws"
)

func minimalRunner() *MigrationRunnerArgs {
	return &MigrationRunnerArgs{
		Partition: "aws", Region: region,
		SecurityGroupID: pulumi.String("sg-app"), InstanceType: "t4g.small",
		RepositoryARN:   pulumi.String("arn:aws:ecr:ap-northeast-2:123456789012:repository/webstack-unit"),
		RepositoryURL:   pulumi.String("123456789012.dkr.ecr.ap-northeast-2.amazonaws.com/webstack-unit"),
		MasterSecretARN: pulumi.String("arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:webstack-unit-db-master-AbCdEf"),
		DBHost:          pulumi.String("webstack-unit-db.abc.ap-northeast-2.rds.amazonaws.com"),
		DBPort:          3306, DBName: "app", AppUser: "webstack_app",
		Command:      "flyway -connectRetries=10 migrate",
		LogGroupName: "/webstack/unit/migrations", LogRetentionDays: 30,
	}
}

func runRunner(t *testing.T, args *MigrationRunnerArgs) (res *mockaws.Result, lt, policy, logs map[string]any) {
	t.Helper()
	r := run(t, func(ctx *pulumi.Context) error {
		_, err := NewMigrationRunner(ctx, "app-migrate", args)
		return err
	})
	return r, must(t, r, tLT, "app-migrate-lt").Inputs.Mappable(), must(t, r, tRP, "app-migrate-access").Inputs.Mappable(),
		must(t, r, tLogs, "app-migrate-logs").Inputs.Mappable()
}

func TestMigrationRunner(t *testing.T) {
	_, lt, policy, logs := runRunner(t, minimalRunner())
	if logs["name"] != "/webstack/unit/migrations" || logs["retentionInDays"] != 30.0 {
		t.Errorf("log group %v", logs)
	}
	md := lt["metadataOptions"].(map[string]any)
	if md["httpTokens"] != "required" || md["httpPutResponseHopLimit"] != 1.0 {
		t.Errorf("runner metadata options %v: IMDSv2 only, one hop", md)
	}
	if lt["instanceInitiatedShutdownBehavior"] != "terminate" || lt["imageId"] != "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64" {
		t.Errorf("runner launch template %v", lt)
	}
	if sgs := lt["vpcSecurityGroupIds"].([]any); len(sgs) != 1 || sgs[0] != "sg-app" {
		t.Errorf("runner security groups %v, want the app's", sgs)
	}
	if ebs := lt["blockDeviceMappings"].([]any)[0].(map[string]any)["ebs"].(map[string]any); ebs["encrypted"] != "true" {
		t.Errorf("runner volume %v not encrypted", ebs)
	}
	if _, ok := lt["networkInterfaces"]; ok {
		t.Errorf("runner launch template has network interfaces (a public address?)")
	}
	raw, _ := base64.StdEncoding.DecodeString(lt["userData"].(string))
	ud := string(raw)
	for _, want := range []string{
		"dnf install -y docker mariadb105",
		"shutdown -h +120",
		"https://truststore.pki.rds.amazonaws.com/ap-northeast-2/ap-northeast-2-bundle.pem",
		"CREATE USER IF NOT EXISTS 'webstack_app'@'%' IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS' REQUIRE SSL;",
		"GRANT SELECT, INSERT, UPDATE, DELETE ON `app`.* TO 'webstack_app'@'%';",
		"--ssl-verify-server-cert",
		`"$image" flyway -connectRetries=10 migrate`,
		"--secret-id 'arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:webstack-unit-db-master-AbCdEf'",
	} {
		if !strings.Contains(ud, want) {
			t.Errorf("runner user data lacks %q", want)
		}
	}
	for _, never := range []string{"set -x", "GRANT ALL", "WITH GRANT OPTION", "echo \"$DB_PASSWORD"} {
		if strings.Contains(ud, never) {
			t.Errorf("runner user data holds %q", never)
		}
	}
	var doc struct {
		Statement []struct {
			Sid      string
			Action   any
			Resource any
		}
	}
	if err := json.Unmarshal([]byte(policy["policy"].(string)), &doc); err != nil {
		t.Fatal(err)
	}
	got := map[string]any{}
	for _, s := range doc.Statement {
		got[s.Sid] = s.Resource
	}
	if got["ReadTheMigrationCredentials"] != "arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:webstack-unit-db-master-AbCdEf" ||
		got["PullTheApplicationImage"] != "arn:aws:ecr:ap-northeast-2:123456789012:repository/webstack-unit" ||
		// The SSM managed policy's GetParameter on "*" would reach the release-check secret.
		got["ReadNoParameter"] != "*" || !strings.Contains(policy["policy"].(string), `"Effect":"Deny","Resource":"*","Sid":"ReadNoParameter"`) {
		t.Errorf("runner policy %s", policy["policy"])
	}
}

func TestMigrationRunnerWithoutCommand(t *testing.T) {
	args := minimalRunner()
	args.Command = ""
	_, lt, _, _ := runRunner(t, args)
	raw, _ := base64.StdEncoding.DecodeString(lt["userData"].(string))
	if ud := string(raw); strings.Contains(ud, "docker run") || !strings.Contains(ud, "CREATE USER IF NOT EXISTS") {
		t.Errorf("without a command the runner must only maintain the user:\n%s", ud)
	}
}

func TestMigrationRunnerRefuses(t *testing.T) {
	for name, set := range map[string]func(*MigrationRunnerArgs){
		"shell command": func(a *MigrationRunnerArgs) { a.Command = "flyway migrate; cat /etc/shadow" },
		"no secret":     func(a *MigrationRunnerArgs) { a.MasterSecretARN = nil },
		"bad port":      func(a *MigrationRunnerArgs) { a.DBPort = 0 },
	} {
		args := minimalRunner()
		set(args)
		_, err := mockaws.Run(project, "unit", mockaws.Options{Region: region}, func(ctx *pulumi.Context) error {
			_, err := NewMigrationRunner(ctx, "app-migrate", args)
			return err
		})
		if err == nil || !strings.Contains(err.Error(), "migration runner") {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := (MigrationUserData{Project: "webstack", Stack: "unit", Region: region, Repository: "r/x", MasterSecretARN: "arn:x",
		DBHost: "h'; DROP", DBName: "app", AppUser: "webstack_app", DBPort: 3306}).Render(); err == nil {
		t.Error("a host that ends the quoting was embedded")
	}
}
