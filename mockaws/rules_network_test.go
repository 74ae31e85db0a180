package mockaws

var networkRuleTests = []ruleTest{}
