package mockaws

var dataRuleTests = []ruleTest{}
