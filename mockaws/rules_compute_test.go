package mockaws

var computeRuleTests = []ruleTest{}
