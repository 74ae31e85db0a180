package mockaws

// computeRules are the AWS rules of the compute tier's resource types (see Rule).
var computeRules = []Rule{}
