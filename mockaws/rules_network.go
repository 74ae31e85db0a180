package mockaws

// networkRules are the AWS rules of the network tier's resource types (see Rule).
var networkRules = []Rule{}
