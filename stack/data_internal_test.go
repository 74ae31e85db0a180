package stack

import (
	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/webstack/webstack/contract"
	"github.com/webstack/webstack/mockaws"
)

// TestAppEnvironment: the WAS fleet gets every data endpoint, the app user and how it
// connects, and exactly the cache's AUTH token secret ARN: never a secret value, never the
// master secret.
func TestAppEnvironment(t *testing.T) {
	var env pulumi.StringMap
	var arns pulumi.StringArray
	res, err := mockaws.Run("webstack", "dev", mockaws.Options{Region: DefaultRegion}, func(ctx *pulumi.Context) error {
		cfg, err := LoadConfig("webstack", "dev", map[string]string{"webstack:app": minimalApp})
		if err != nil {
			return err
		}
		d, err := build(ctx, cfg)
		if err != nil {
			return err
		}
		env, arns = d.data.AppEnvironment(), d.data.ReadableSecretARNs()
		ctx.Export("env", env)
		ctx.Export("arns", arns)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := res.Outputs["env"].(map[string]any)
	want := map[string]string{
		EnvDBWriterHost:       res.Outputs[contract.OutDBWriterEndpoint].(string),
		EnvDBReaderHost:       res.Outputs[contract.OutDBReaderEndpoints].([]any)[0].(string),
		EnvDBReaderHosts:      res.Outputs[contract.OutDBReaderEndpoints].([]any)[0].(string),
		EnvDBPort:             "3307",
		EnvDBName:             "app",
		EnvDBUser:             "webstack_app",
		EnvDBAuth:             "iam",
		EnvDBSSLMode:          "VERIFY_IDENTITY",
		EnvDBCABundleURL:      "https://truststore.pki.rds.amazonaws.com/ap-northeast-2/ap-northeast-2-bundle.pem",
		EnvRedisHost:          res.Outputs[contract.OutRedisPrimaryEndpoint].(string),
		EnvRedisReaderHost:    res.Outputs[contract.OutRedisReaderEndpoint].(string),
		EnvRedisPort:          "6379",
		EnvRedisTLS:           "true",
		EnvRedisAuthSecretARN: res.Outputs[contract.OutRedisAuthSecretARN].(string),
	}
	if len(got) != len(want) {
		t.Errorf("environment has %d variables, want %d: %v", len(got), len(want), got)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("environment %s = %v, want %q", k, got[k], v)
		}
	}
	gotARNs, _ := res.Outputs["arns"].([]any)
	wantARNs := []any{res.Outputs[contract.OutRedisAuthSecretARN]}
	if !slices.Equal(gotARNs, wantARNs) {
		t.Errorf("readable secret ARNs = %v, want exactly %v", gotARNs, wantARNs)
	}
	for _, a := range gotARNs {
		if s, _ := a.(string); !strings.HasPrefix(s, "arn:aws:secretsmanager:") {
			t.Errorf("readable secret %v is not a Secrets Manager ARN", a)
		}
	}
}
