package mockaws

// edgeRules are the AWS rules of the edge tier's resource types (see Rule).
var edgeRules = []Rule{}
