package mockaws

var edgeRuleTests = []ruleTest{}
