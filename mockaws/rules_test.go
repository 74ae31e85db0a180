package mockaws

import (
	"errors"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// ruleTest shows one rule refusing what AWS refuses. Each tier's test file lists its rules'
// cases; TestRules runs them all and TestRulesAreTested holds that every rule has one.
type ruleTest struct {
	// rule is the ID of the rule that must refuse refused.
	rule string
	// name tells cases of one rule apart. Optional.
	name string
	// want is a part of AWS's error text the refusal must carry.
	want string
	// refused registers the combination AWS refuses.
	refused pulumi.RunFunc
	// allowed registers the nearest combination AWS accepts, so that the rule is shown not
	// to refuse too much. Optional.
	allowed pulumi.RunFunc
	// region is the engine's region. Optional. Defaults to ap-northeast-2.
	region string
}

// ruleTests are every tier's cases.
func ruleTests() []ruleTest {
	var all []ruleTest
	for _, list := range [][]ruleTest{networkRuleTests, dataRuleTests, computeRuleTests, edgeRuleTests, monitoringRuleTests, settingsRuleTests} {
		all = append(all, list...)
	}
	return all
}

func (tt ruleTest) run(program pulumi.RunFunc) error {
	region := tt.region
	if region == "" {
		region = "ap-northeast-2"
	}
	_, err := Run("webstack", "rules", Options{Region: region}, program)
	return err
}

func TestRules(t *testing.T) {
	for _, tt := range ruleTests() {
		name := tt.rule
		if tt.name != "" {
			name += "/" + tt.name
		}
		t.Run(name, func(t *testing.T) {
			err := tt.run(tt.refused)
			var re *RuleError
			switch {
			case err == nil:
				t.Fatalf("refused combination was accepted; want %q", tt.want)
			case !errors.As(err, &re):
				t.Fatalf("refused combination failed, but not by a rule: %v", err)
			case re.Rule.ID != tt.rule:
				t.Fatalf("refused by rule %s, want %s: %v", re.Rule.ID, tt.rule, err)
			case !strings.Contains(err.Error(), tt.want):
				t.Fatalf("error lacks %q:\n%v", tt.want, err)
			}
			if tt.allowed != nil {
				if err := tt.run(tt.allowed); err != nil {
					t.Errorf("allowed combination was refused: %v", err)
				}
			}
		})
	}
}

// TestRulesAreTested holds that every rule has a case in ruleTests, and every case names a rule.
func TestRulesAreTested(t *testing.T) {
	cases := map[string]bool{}
	for _, tt := range ruleTests() {
		cases[tt.rule] = true
	}
	known := map[string]bool{}
	for _, r := range Rules() {
		known[r.ID] = true
		if !cases[r.ID] {
			t.Errorf("rule %s (%s) has no case in ruleTests: add one that registers what it refuses", r.ID, r.Type)
		}
		if !strings.Contains(r.ID, "/") {
			t.Errorf("rule %s: IDs are <service>/<what>", r.ID)
		}
		if _, ok := awsTypes[r.Type]; !ok && !strings.HasPrefix(r.Type, "random:") {
			t.Errorf("rule %s judges %s, which the engine does not know (awsTypes)", r.ID, r.Type)
		}
	}
	for id := range cases {
		if !known[id] {
			t.Errorf("ruleTests has a case for %s, which is not a rule", id)
		}
	}
}
