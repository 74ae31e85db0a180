package awsdouble_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-random/sdk/v4/go/random"
	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/webstack/webstack/internal/awsdouble"
)

// TestPluginUnderTheRealEngine runs a small program under the real CLI with the double's
// plugins: resources are created in the World with the mock's state, an invoke is answered, a
// changed input is an update, and a rule's refusal fails the up with AWS's error.
func TestPluginUnderTheRealEngine(t *testing.T) {
	if testing.Short() {
		t.Skip("engine test: skipped with -short")
	}
	bin, cmd := awsdouble.CLI(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	dir := t.TempDir()
	home := filepath.Join(dir, "home")
	if err := awsdouble.Install(ctx, bin, home); err != nil {
		t.Fatal(err)
	}
	world, err := awsdouble.NewWorld("double", "itest", "ap-northeast-2")
	if err != nil {
		t.Fatal(err)
	}
	defer world.Close()

	retention := 7
	program := func(ctx *pulumi.Context) error {
		p, err := aws.NewProvider(ctx, "aws", &aws.ProviderArgs{Region: pulumi.String("ap-northeast-2"),
			DefaultTags: &aws.ProviderDefaultTagsArgs{Tags: pulumi.StringMap{"ManagedBy": pulumi.String("pulumi")}}})
		if err != nil {
			return err
		}
		// Regular AZs only, as the program asks: the account also lists an opted-in Local Zone.
		zones, err := aws.GetAvailabilityZones(ctx, &aws.GetAvailabilityZonesArgs{Filters: []aws.GetAvailabilityZonesFilter{
			{Name: "opt-in-status", Values: []string{"opt-in-not-required"}}}}, pulumi.Provider(p))
		if err != nil {
			return err
		}
		vpc, err := ec2.NewVpc(ctx, "vpc", &ec2.VpcArgs{CidrBlock: pulumi.String("10.0.0.0/16")}, pulumi.Provider(p))
		if err != nil {
			return err
		}
		lg, err := cloudwatch.NewLogGroup(ctx, "logs", &cloudwatch.LogGroupArgs{RetentionInDays: pulumi.Int(retention)}, pulumi.Provider(p))
		if err != nil {
			return err
		}
		pw, err := random.NewRandomPassword(ctx, "pw", &random.RandomPasswordArgs{Length: pulumi.Int(20)})
		if err != nil {
			return err
		}
		ctx.Export("zone", pulumi.String(zones.Names[0]))
		ctx.Export("vpcId", vpc.ID())
		//lint:ignore SA1019 tagsAll is the only output that shows the provider's default tags, which this test is about
		ctx.Export("tags", vpc.TagsAll)
		ctx.Export("logArn", lg.Arn)
		ctx.Export("password", pw.Result)
		return nil
	}
	env := map[string]string{
		"PULUMI_BACKEND_URL":       "file://" + filepath.ToSlash(filepath.Join(dir, "state")),
		"PULUMI_CONFIG_PASSPHRASE": "double-test-only",
		"PULUMI_HOME":              home,
		"PULUMI_SKIP_UPDATE_CHECK": "true",
		awsdouble.EnvWorld:         world.URL(),
	}
	if err := os.MkdirAll(filepath.Join(dir, "state"), 0o755); err != nil {
		t.Fatal(err)
	}
	stack, err := auto.UpsertStackInlineSource(ctx, "itest", "double", program, auto.Pulumi(cmd), auto.EnvVars(env), auto.WorkDir(t.TempDir()))
	if err != nil {
		t.Fatal(err)
	}
	var log strings.Builder
	res, err := stack.Up(ctx, progress(&log)...)
	if err != nil {
		t.Fatalf("up: %v\n%s", err, log.String())
	}
	out := res.Outputs
	if got := out["zone"].Value; got != "ap-northeast-2a" {
		t.Errorf("zone output %v", got)
	}
	if id, _ := out["vpcId"].Value.(string); !strings.HasPrefix(id, "vpc-") {
		t.Errorf("vpcId output %v, want the mock's vpc-… id", out["vpcId"].Value)
	}
	if tags, _ := out["tags"].Value.(map[string]any); tags["ManagedBy"] != "pulumi" {
		t.Errorf("tagsAll %v: the provider's default tags are missing", out["tags"].Value)
	}
	if !out["password"].Secret {
		t.Errorf("the random password output is not a secret")
	}
	if n := len(world.Engine.Registered("aws:ec2/vpc:Vpc", nil)); n != 1 {
		t.Errorf("the World holds %d VPCs, want 1", n)
	}

	// A changed input is an in-place update.
	retention = 14
	log.Reset()
	res, err = stack.Up(ctx, progress(&log)...)
	if err != nil {
		t.Fatalf("second up: %v\n%s", err, log.String())
	}
	if got := (*res.Summary.ResourceChanges)["update"]; got != 1 {
		t.Errorf("second up: %d updates, want 1 (the log group): %v", got, *res.Summary.ResourceChanges)
	}
	lgs := world.Engine.Registered("aws:cloudwatch/logGroup:LogGroup", nil)
	if len(lgs) != 1 || lgs[0].Input("retentionInDays") != 14.0 {
		t.Errorf("log group after the update: %v", lgs)
	}

	// What AWS refuses, the up refuses, with AWS's words.
	retention = 2
	log.Reset()
	_, err = stack.Up(ctx, progress(&log)...)
	if err == nil || !strings.Contains(log.String()+err.Error(), "expected retention_in_days to be one of") {
		t.Errorf("up with a retention AWS refuses: err = %v\n%s", err, log.String())
	}
}

func progress(w *strings.Builder) []optup.Option { return []optup.Option{optup.ProgressStreams(w)} }
